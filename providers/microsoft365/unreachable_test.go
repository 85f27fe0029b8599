package microsoft365

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/providers"
)

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// TestUnreachableHostsAreNamed checks that a refused connection to the login or Graph host is
// reported at once (not after half a minute of retries, which the context's deadline would
// cut short) and names the host and the setting to check.
func TestUnreachableHostsAreNamed(t *testing.T) {
	t.Parallel()
	login := closedPort(t)
	want := func(t *testing.T, err error, msg string) {
		t.Helper()
		if errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("the call retried until its context ended: %v", err)
		}
		var pe *providers.Error
		if !errors.As(err, &pe) || pe.Code != providers.Unavailable || !strings.Contains(pe.Message, msg) {
			t.Fatalf("err = %v, want UNAVAILABLE saying %q", err, msg)
		}
	}
	t.Run("login", func(t *testing.T) {
		t.Parallel()
		e := startEmulator(t, emulator.Config{})
		mb := e.connect(t, nil, EnvLoginURL, "http://"+login)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_, err := mb.List(ctx, providers.Criteria{})
		want(t, err, "cannot reach Microsoft Entra at "+login+": connection refused (check "+EnvLoginURL)
	})
	t.Run("graph", func(t *testing.T) {
		t.Parallel()
		e := startEmulator(t, emulator.Config{})
		mb := e.connect(t, nil)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if _, err := mb.List(ctx, providers.Criteria{}); err != nil {
			t.Fatal(err)
		}
		// The token is cached; Graph goes away.
		graph := strings.TrimPrefix(e.env[EnvGraphURL], "http://")
		if err := e.srv.Close(); err != nil {
			t.Fatal(err)
		}
		_, err := mb.List(ctx, providers.Criteria{})
		want(t, err, "cannot reach Microsoft Graph at "+strings.TrimSuffix(graph, "/")+": connection refused (check "+EnvGraphURL)
	})
}
