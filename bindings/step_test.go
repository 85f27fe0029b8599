package bindings

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/internal/mailview"
	"github.com/mailscript/mailscript/providers"
)

func TestFormatCallArgs(t *testing.T) {
	t.Parallel()
	rt := goja.New()
	v, err := rt.RunString(`[{ subject: 'hi', limit: 5 }, 'inbox', 'é'.repeat(3000)]`)
	if err != nil {
		t.Fatal(err)
	}
	// The values themselves, not Export's Go copies: a Go map would lose the keys' order.
	arr := v.ToObject(rt)
	var args []goja.Value
	for i := range 3 {
		args = append(args, arr.Get(strconv.Itoa(i)))
	}
	if got := FormatCallArgs(rt, args[:2]); got != "{ subject: 'hi', limit: 5 }, 'inbox'" {
		t.Errorf("FormatCallArgs = %q", got)
	}
	long := FormatCallArgs(rt, args[2:])
	if !strings.Contains(long, "... 2500 more characters") || utf8.RuneCountInString(long) > maxArgs+1 {
		t.Errorf("a long string is shown as %d characters: %q", utf8.RuneCountInString(long), long[len(long)-60:])
	}
	many := FormatCallArgs(rt, []goja.Value{args[2], args[2], args[2], args[2], args[2]})
	if n := utf8.RuneCountInString(many); n != maxArgs+1 || !strings.HasSuffix(many, "…") || !utf8.ValidString(many) {
		t.Errorf("arguments past the limit: %d characters, ending %q", n, many[len(many)-10:])
	}
}

// fakeStep keeps what a step was told.
type fakeStep struct {
	polls []providers.Poll
	ends  []StepEnd
}

func (s *fakeStep) Poll(p providers.Poll) { s.polls = append(s.polls, p) }
func (s *fakeStep) End(e StepEnd)         { s.ends = append(s.ends, e) }

// TestRecorded: the wrapped work's polls reach the step, which ends once with the outcome and,
// after success only, the description; a panic ends it as failed and goes on up.
func TestRecorded(t *testing.T) {
	t.Parallel()
	step := &fakeStep{}
	msg := &mailview.Message{Subject: "s"}
	describe := func(_ context.Context, n int) (string, []*mailview.Message) {
		return strings.Repeat("x", n), []*mailview.Message{msg}
	}
	work := Recorded(step, func(ctx context.Context) (int, error) {
		looked := 1
		_, _ = providers.ObservePoll(ctx, &looked, func() (*providers.Message, error) { looked++; return nil, nil })
		return 3, nil
	}, describe)
	if n, err := work(context.Background()); n != 3 || err != nil {
		t.Fatalf("work = %d, %v", n, err)
	}
	if len(step.polls) != 1 || step.polls[0].Seen != 1 || len(step.ends) != 1 || step.ends[0].Result != "xxx" || step.ends[0].Messages[0] != msg || step.ends[0].At.IsZero() {
		t.Errorf("step = %+v", step)
	}

	failed := &fakeStep{}
	boom := errors.New("boom")
	if _, err := Recorded(failed, func(context.Context) (int, error) { return 0, boom }, describe)(context.Background()); err != boom {
		t.Fatal(err)
	}
	if len(failed.ends) != 1 || failed.ends[0].Err != boom || failed.ends[0].Result != "" || failed.ends[0].Messages != nil {
		t.Errorf("failed step = %+v", failed)
	}

	panicked := &fakeStep{}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not go on up")
			}
		}()
		_, _ = Recorded(panicked, func(context.Context) (int, error) { panic("kaboom") }, describe)(context.Background())
	}()
	if len(panicked.ends) != 1 || panicked.ends[0].Err == nil || !strings.Contains(panicked.ends[0].Err.Error(), "kaboom") {
		t.Errorf("panicked step = %+v", panicked)
	}
}
