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
	steps, _ := vm.steps.take()
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
	if again, _ := vm.steps.take(); steps[1].Result != "" || again != nil {
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

// TestStepLogGivesBack: bytes of a timeline no report keeps go back to the run's budget (an
// earlier attempt of a retried test, a hook phase, the file's end), a kept one's stay taken,
// and a step that ends after its log was taken holds nothing, in this log or the next.
func TestStepLogGivesBack(t *testing.T) {
	t.Parallel()
	budget := NewByteBudget(150)
	vm := &VM{opts: Options{RecordSteps: true, StepBytes: budget}, steps: &stepLog{run: budget}}
	read := func(size int) *mailview.Message {
		m := &mailview.Message{Subject: "s", Raw: make([]byte, size)}
		vm.OpenStep(bindings.StepStart{Kind: "mail", Name: "read"}).End(bindings.StepEnd{Messages: []*mailview.Message{m}})
		return m
	}
	left := func() int64 { return budget.left.Load() }

	// A retried test: attempt 1 reads 100, attempt 2 reads 100 again; only attempt 2 is reported.
	vm.startSteps()
	read(100)
	vm.endSteps()
	vm.startSteps()
	if m := read(100); m.Raw == nil {
		t.Errorf("the second attempt lost its bytes to the first, which no report keeps (%d left)", left())
	}
	vm.endSteps()
	if steps := vm.keepSteps(); len(steps) != 1 || left() != 50 {
		t.Errorf("kept %d steps with %d bytes left; want 1 step, 50 left", len(steps), left())
	}

	// A step still running when its log is taken ends later with 100 bytes: nothing is held.
	vm.startSteps()
	late := vm.OpenStep(bindings.StepStart{Kind: "mail", Name: "waitFor"})
	vm.endSteps()
	vm.startSteps()
	late.End(bindings.StepEnd{Messages: []*mailview.Message{{Raw: make([]byte, 40)}}})
	if left() != 50 || vm.steps.held != 0 {
		t.Errorf("a late step's message was held: %d left in the run, %d held by the next log", left(), vm.steps.held)
	}

	// The file ends with a timeline no test took (a hook's, a --grep'd script's).
	read(50)
	vm.endSteps()
	vm.dropSteps()
	if left() != 50 {
		t.Errorf("%d bytes left after a dropped timeline; want its 50 back, 50 in all", left())
	}
}
