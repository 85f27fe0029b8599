package secretstest

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"testing"
)

// token returns a fresh random credential or token, unlike any value a test plants.
func token(prefix string) string { return prefix + rand.Text() }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// fatalf reports a protocol violation by the client under test: the fake answers 400 and the
// test fails with what was wrong, rather than the client seeing a confusing reply.
func fatalf(t testing.TB, w http.ResponseWriter, format string, args ...any) {
	t.Helper()
	t.Errorf(format, args...)
	http.Error(w, "protocol violation", http.StatusBadRequest)
}
