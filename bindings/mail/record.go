package mail

import (
	"context"
	"fmt"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/internal/mailview"
	"github.com/mailscript/mailscript/providers"
)

// step opens the timeline step of a Mailbox call, after its arguments were checked (a call
// the script got a TypeError for never started); nil when no timeline is kept.
func (m *mailbox) step(method string, call goja.FunctionCall) bindings.Step {
	return bindings.OpenStep(m.vu, m.start(method, call))
}

func (m *mailbox) start(method string, call goja.FunctionCall) bindings.StepStart {
	return bindings.StepStart{Kind: "mail", Name: method, Mailbox: m.box.Address(),
		Args: func() string { return bindings.FormatCallArgs(m.vu.Runtime(), call.Arguments) }}
}

// said gives a fixed result for a step.
func said[T any](result func(T) string) func(context.Context, T) (string, []*mailview.Message) {
	return func(_ context.Context, v T) (string, []*mailview.Message) { return result(v), nil }
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func describeSummaries(_ context.Context, list []providers.Summary) (string, []*mailview.Message) {
	return count(len(list), "message", "messages"), nil
}

// describeMessage shows a message read or waited for, with its view for the report.
func (m *mailbox) describeMessage(ctx context.Context, msg *providers.Message) (string, []*mailview.Message) {
	return fmt.Sprintf("%q from %s", msg.Subject, msg.From.Address), []*mailview.Message{messageView(ctx, m.box, msg)}
}

func describeFolders(_ context.Context, list []providers.Folder) (string, []*mailview.Message) {
	return count(len(list), "folder", "folders"), nil
}
