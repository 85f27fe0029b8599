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
