package jsruntime

import (
	"testing"

	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/internal/mailview"
)

// TestStepLogHoldsBoundedBytes: a test's timeline keeps message sources and embedded parts up
// to maxHeldBytes; messages past that keep everything but their bytes.
func TestStepLogHoldsBoundedBytes(t *testing.T) {
	t.Parallel()
	vm := &VM{opts: Options{RecordSteps: true}, steps: &stepLog{}}
	vm.steps.restart()
	big := func() *mailview.Message {
		return &mailview.Message{Subject: "big", Raw: make([]byte, maxHeldBytes/2),
			Attachments: []mailview.Part{{Name: "a.png", URL: "data:image/png;base64,AAAA"}, {Name: "b.pdf", URL: "b.pdf"}}}
	}
	first, second, third := big(), big(), big()
	vm.OpenStep(bindings.StepStart{Kind: "mail", Name: "read"}).End(bindings.StepEnd{Messages: []*mailview.Message{first, second}})
	open := vm.OpenStep(bindings.StepStart{Kind: "mail", Name: "waitFor"})
	vm.OpenStep(bindings.StepStart{Kind: "mail", Name: "read"}).End(bindings.StepEnd{Messages: []*mailview.Message{third}})
	steps := vm.steps.take()
	if len(steps) != 3 || steps[1].Outcome != "pending" || steps[0].Outcome != "ok" {
		t.Fatalf("steps = %+v", steps)
	}
	if first.Raw == nil || first.Attachments[0].URL == "" {
		t.Error("the first message lost its bytes")
	}
	for _, m := range []*mailview.Message{second, third} {
		if m.Raw != nil || m.Attachments[0].URL != "" || m.Attachments[1].URL != "b.pdf" || m.Subject != "big" {
			t.Errorf("a message past the limit kept %d bytes of source, parts %+v", len(m.Raw), m.Attachments)
		}
	}
	open.End(bindings.StepEnd{Result: "late"})
	if steps[1].Result != "" || vm.steps.take() != nil {
		t.Error("a step ended after its test was over changed the taken timeline")
	}
}

// TestStepLogRunBudget: the tests of a run share Options.StepBytes, across VMs; past it a
// message keeps all but its bytes even in a test under its own bound, until a Refill.
func TestStepLogRunBudget(t *testing.T) {
	t.Parallel()
	budget := NewByteBudget(150)
	read := func(vm *VM, size int) *mailview.Message {
		m := &mailview.Message{Subject: "s", Raw: make([]byte, size)}
		vm.OpenStep(bindings.StepStart{Kind: "mail", Name: "read"}).End(bindings.StepEnd{Messages: []*mailview.Message{m}})
		return m
	}
	newVM := func() *VM {
		vm := &VM{opts: Options{RecordSteps: true, StepBytes: budget}, steps: &stepLog{run: budget}}
		vm.steps.restart()
		return vm
	}
	a, b := newVM(), newVM()
	if m := read(a, 100); m.Raw == nil {
		t.Fatal("the first message lost its bytes")
	}
	if m := read(b, 100); m.Raw != nil {
		t.Error("another file's test kept 100 bytes with 50 left in the run's budget")
	}
	if m := read(b, 50); m.Raw == nil {
		t.Error("a message that fits what is left lost its bytes")
	}
	budget.Refill()
	if m := read(a, 150); m.Raw == nil {
		t.Error("after Refill the budget is whole again")
	}
}
