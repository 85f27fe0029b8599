package eventloop

import "github.com/dop251/goja"

// rejectionSet holds the promises rejected without a handler since the last check, in
// rejection order so that the first one is reported.
type rejectionSet struct {
	order   []*goja.Promise
	pending map[*goja.Promise]bool
}

func (s *rejectionSet) track(p *goja.Promise, op goja.PromiseRejectionOperation) {
	if op == goja.PromiseRejectionHandle {
		delete(s.pending, p)
		return
	}
	if s.pending == nil {
		s.pending = make(map[*goja.Promise]bool)
	}
	s.pending[p] = true
	s.order = append(s.order, p)
}

// check returns the first rejection still unhandled, and forgets all of them.
func (s *rejectionSet) check() error {
	if len(s.pending) == 0 {
		s.order = s.order[:0]
		return nil
	}
	var err error
	for _, p := range s.order {
		if s.pending[p] {
			err = &UnhandledRejectionError{Reason: p.Result()}
			break
		}
	}
	s.clear()
	return err
}

func (s *rejectionSet) clear() {
	clear(s.pending)
	s.order = s.order[:0]
}

// UnhandledRejectionError reports a promise that was rejected and had no handler by the end
// of the callback that rejected it, like Node's "Uncaught (in promise)".
type UnhandledRejectionError struct {
	Reason goja.Value
}

func (e *UnhandledRejectionError) Error() string {
	return "Uncaught (in promise) " + e.Reason.String()
}
