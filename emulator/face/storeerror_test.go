package face

import (
	"errors"
	"fmt"
	"testing"

	"github.com/mailscript/mailscript/emulator/store"
)

func TestStoreError(t *testing.T) {
	t.Parallel()
	mapped := func(err error) string {
		p := StoreError(err, func() *string { s := "not found"; return &s },
			func(reason string) *string { s := "invalid: " + reason; return &s },
			func() *string { s := "internal"; return &s })
		if p == nil {
			return "nil"
		}
		return *p
	}
	for err, want := range map[error]string{
		nil: "nil",
		fmt.Errorf("message 7: %w", store.ErrNotFound):       "not found",
		fmt.Errorf("%w: subject too long", store.ErrInvalid): "invalid: subject too long",
		errors.New("disk on fire"):                           "internal",
	} {
		if got := mapped(err); got != want {
			t.Errorf("StoreError(%v) = %q, want %q", err, got, want)
		}
	}
}
