package jsruntime

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/internal/mailview"
	"github.com/mailscript/mailscript/jsruntime/report"
	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/secrets"
)

// stepLog is the running test's timeline (Options.RecordSteps): its last attempt's steps,
// its beforeEach and afterEach hooks included (beforeAll and afterAll belong to no test).
// While it is on, the mail binding also fetches the source and parts of the messages read,
// for the report (see bindings/mail's MaxEmbeddedPart). Steps are opened on the loop
// and ended from the goroutines doing their work, hence the lock; a step ended after its test
// was over belongs to a log already taken and changes nothing that was reported.
type stepLog struct {
	mu    sync.Mutex
	begin time.Time
	steps []*openStep
	held  int // bytes of message sources and embedded parts kept so far (see maxHeldBytes)
	// gen tells this log's steps from those of a log already taken or dropped: a step that
	// ends after that belongs to nothing reported, and keeps nothing.
	gen uint64
	// run is what the whole run may still keep (Options.StepBytes); nil is no run-wide bound.
	run *ByteBudget
	// redactor is the run's (Options.Redactor).
	redactor *secrets.Redactor
}

// maxHeldBytes bounds the message sources and embedded parts one test's timeline keeps: the
// run holds every test's result until it ends, so a test reading large mail many times keeps
// the first ones whole and the others without their bytes.
const maxHeldBytes = 64 << 20

type openStep struct {
	log   *stepLog
	gen   uint64
	began time.Time
	ended bool
	s     report.Step
}

var _ bindings.StepRecorder = (*VM)(nil)

// OpenStep implements bindings.StepRecorder.
func (vm *VM) OpenStep(start bindings.StepStart) bindings.Step {
	if !vm.opts.RecordSteps {
		return nil
	}
	st := &openStep{log: vm.steps, s: report.Step{Kind: start.Kind, Name: vm.steps.redact(start.Name), Mailbox: vm.steps.redact(start.Mailbox)}}
	if start.Args != nil {
		st.s.Args = vm.steps.redact(start.Args())
	}
	st.began = time.Now() // after formatting, which is the recorder's time, not the call's
	l := vm.steps
	l.mu.Lock()
	defer l.mu.Unlock()
	st.s.Start = st.began.Sub(l.begin)
	st.gen = l.gen
	l.steps = append(l.steps, st)
	return st
}

// Poll implements bindings.Step.
func (st *openStep) Poll(p providers.Poll) {
	out := report.Poll{Duration: p.Duration, Seen: p.Seen, Matched: p.Matched}
	if p.Err != nil {
		out.Error = st.log.redact(p.Err.Error())
	}
	st.log.mu.Lock()
	defer st.log.mu.Unlock()
	out.Start = p.Start.Sub(st.log.begin)
	st.s.Polls = append(st.s.Polls, out)
}

// End implements bindings.Step.
func (st *openStep) End(e bindings.StepEnd) {
	at := e.At
	switch {
	case at.IsZero():
		at = time.Now()
	case at.Before(st.began):
		at = st.began
	}
	outcome, msg := "ok", ""
	if e.Err != nil {
		outcome, msg = "error", st.log.redact(e.Err.Error())
	}
	result := st.log.redact(e.Result)
	for _, m := range e.Messages {
		st.log.redactMessage(m)
	}
	st.log.mu.Lock()
	defer st.log.mu.Unlock()
	if st.gen != st.log.gen {
		return // its log was taken while it ran: the report has it as pending
	}
	for _, m := range e.Messages {
		st.log.hold(m)
	}
	st.ended = true
	st.s.Duration = at.Sub(st.began)
	st.s.Outcome, st.s.Error, st.s.Result, st.s.Messages = outcome, msg, result, e.Messages
}

// hold counts m's bytes against maxHeldBytes and the run's budget, or lets them go when
// they do not fit in either.
func (l *stepLog) hold(m *mailview.Message) {
	size := len(m.Raw)
	for _, p := range m.Attachments {
		if strings.HasPrefix(p.URL, "data:") {
			size += len(p.URL)
		}
	}
	if l.held+size <= maxHeldBytes && l.run.take(int64(size)) {
		l.held += size
		return
	}
	m.Raw = nil
	for i, p := range m.Attachments {
		if strings.HasPrefix(p.URL, "data:") {
			m.Attachments[i].URL = ""
		}
	}
}

// ByteBudget is a count of bytes that many goroutines take from until it runs out.
type ByteBudget struct {
	size int64
	left atomic.Int64
}

// NewByteBudget returns a budget of n bytes.
func NewByteBudget(n int64) *ByteBudget {
	b := &ByteBudget{size: n}
	b.left.Store(n)
	return b
}

// Refill gives the budget its n bytes again, for a new run of the same files (watch).
func (b *ByteBudget) Refill() { b.left.Store(b.size) }

// give returns n bytes taken for a timeline that will not be reported (an earlier attempt
// of a retried test, a hook phase, a test --grep leaves out), never beyond the budget's size.
func (b *ByteBudget) give(n int64) {
	if b == nil || n <= 0 {
		return
	}
	for {
		left := b.left.Load()
		if b.left.CompareAndSwap(left, min(b.size, left+n)) {
			return
		}
	}
}

// take takes n bytes if that many are left; a nil budget always has them.
func (b *ByteBudget) take(n int64) bool {
	if b == nil {
		return true
	}
	for {
		left := b.left.Load()
		if left < n {
			return false
		}
		if b.left.CompareAndSwap(left, left-n) {
			return true
		}
	}
}

// restart empties the log for a test starting now; what it held goes back to the run.
func (l *stepLog) restart() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.run.give(int64(l.held))
	l.begin, l.steps, l.held = time.Now(), nil, 0
	l.gen++
}

// take returns the steps recorded since restart, the ones still running marked pending, and
// the bytes they hold of the run's budget, and empties the log.
func (l *stepLog) take() ([]report.Step, int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.gen++
	held := int64(l.held)
	l.held = 0
	if len(l.steps) == 0 {
		return nil, held
	}
	now := time.Now()
	out := make([]report.Step, len(l.steps))
	for i, st := range l.steps {
		out[i] = st.s
		if !st.ended {
			out[i].Outcome, out[i].Duration = "pending", now.Sub(st.began)
		}
	}
	l.steps = nil
	return out, held
}

func (l *stepLog) redact(s string) string { return l.redactor.Redact(s) }

// redactMessage masks secrets in a message's text: a script may well send one it revealed.
// Parts' bytes are left as they are: an image or a PDF is not text to search.
func (l *stepLog) redactMessage(m *mailview.Message) {
	texts := []*string{&m.Subject, &m.Text, &m.HTML, &m.From.Name, &m.From.Address}
	for _, list := range [][]mailview.Address{m.To, m.Cc, m.Bcc, m.ReplyTo} {
		for i := range list {
			texts = append(texts, &list[i].Name, &list[i].Address)
		}
	}
	for i := range m.Headers {
		texts = append(texts, &m.Headers[i].Value)
	}
	for i := range m.Links {
		texts = append(texts, &m.Links[i])
	}
	for i := range m.Attachments {
		texts = append(texts, &m.Attachments[i].Name)
	}
	for _, s := range texts {
		*s = l.redact(*s)
	}
	if m.Raw != nil {
		m.Raw = []byte(l.redact(string(m.Raw)))
	}
}
