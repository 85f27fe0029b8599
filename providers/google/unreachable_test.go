package google

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/mailscript/mailscript/providers"
)

// TestUnreachableTokenEndpoint checks that a refused connection to the key's token_uri is
// reported at once (not after half a minute of retries, which the context's deadline would
// cut short: the error would then be a TIMEOUT) and names the endpoint.
func TestUnreachableTokenEndpoint(t *testing.T) {
	t.Parallel()
	e := newEmu(t, emuOptions{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tokenURI := "http://" + l.Addr().String() + "/token"
	l.Close()
	var key map[string]string
	if err := json.Unmarshal(e.key, &key); err != nil {
		t.Fatal(err)
	}
	key["token_uri"] = tokenURI
	b, _ := json.Marshal(key)
	mb, err := Connect(providers.Options{"credentials": string(b), "user": qaUser, "gmailUrl": "http://127.0.0.1:1/"}, nil, providers.NewShared(nil))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	_, err = mb.List(ctx, providers.Criteria{})
	if ctx.Err() != nil {
		t.Fatalf("the call retried until its context ended: %v", err)
	}
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Code != providers.Unavailable || !strings.Contains(pe.Message, "cannot reach the token endpoint "+tokenURI) ||
		!strings.Contains(pe.Message, "connection refused") {
		t.Fatalf("err = %v, want UNAVAILABLE naming %s, connection refused", err, tokenURI)
	}
}
