package emulator

import (
	"net/http"
	"time"
)

// accessLog logs every request at Info when it ends: face, method, route (ids and users
// replaced by placeholders, no query string: queries can carry access_token), status,
// duration, response bytes and the fault applied. It never logs headers or bodies, so no
// token, secret or assertion reaches the log.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w}
		start := time.Now()
		defer func() {
			status := rec.status
			if status == 0 && rec.fault == "" {
				status = http.StatusOK
			}
			attrs := []any{"face", faceOf(r.URL.Path), "method", r.Method, "route", routeOf(r.URL.Path),
				"status", status, "duration", time.Since(start), "bytes", rec.bytes}
			if rec.fault != "" {
				attrs = append(attrs, "fault", rec.fault)
			}
			s.cfg.Logger.Info("request", attrs...)
		}()
		next.ServeHTTP(rec, r)
	})
}

// recorder notes what a handler answered; the fault middleware names the fault it applied.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
	fault  string
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// noteFault adds to the request's log line a fault the middleware applied.
func noteFault(w http.ResponseWriter, fault string) {
	if rec, ok := w.(*recorder); ok {
		if rec.fault != "" {
			rec.fault += ","
		}
		rec.fault += fault
	}
}
