package jsruntime

import (
	"context"
	"testing"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
)

// TestInterruptInAsyncCode shows the goja limitation Broken guards against: stopping code
// inside an async function or a generator leaves the engine unable to run promise
// reactions; a busy loop outside them does not. When goja fixes it, the first cases fail:
// drop Broken then.
func TestInterruptInAsyncCode(t *testing.T) {
	tests := []struct {
		src    string
		broken bool
	}{
		{"(async () => { await null; stop(); for (;;) {} })()", true},
		{"(async () => { stop(); for (;;) {} })()", true},
		{"(function* () { stop(); for (;;) {} })().next()", true},
		{"stop(); for (;;) {}", false},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			vm, err := NewVM(Options{WorkDir: t.TempDir(), Install: func(_ bindings.VU, global *goja.Object) error {
				return global.Set("stop", cancel) // the loop that follows is interrupted
			}})
			if err != nil {
				t.Fatal(err)
			}
			defer vm.Close()
			if _, err := vm.Eval(ctx, tt.src); err == nil {
				t.Fatal("the busy script was not stopped")
			}
			if vm.Broken() != tt.broken {
				t.Fatalf("Broken() = %v, want %v", vm.Broken(), tt.broken)
			}
			if !tt.broken {
				v, err := vm.Eval(context.Background(), "Promise.resolve(42)")
				if err != nil || v.ToInteger() != 42 {
					t.Fatalf("after the interrupt: %v %v", v, err)
				}
			}
		})
	}
}
