package expect

import (
	"testing"

	"github.com/dop251/goja"
)

// TestUnawaited names the .resolves/.rejects expectations whose promise is still pending,
// once, in the order they were made; settled ones are forgotten.
func TestUnawaited(t *testing.T) {
	t.Parallel()
	rt := goja.New()
	e := New(rt, Options{})
	must(rt.Set("expect", e.Func()))
	_, err := rt.RunString(`
		expect(new Promise(() => {})).rejects.toThrow();
		expect(Promise.resolve(1)).resolves.toBe(1);
		expect(new Promise(() => {})).resolves.toBe(2);
	`)
	if err != nil {
		t.Fatal(err)
	}
	got := e.Unawaited()
	if len(got) != 2 || got[0].What != "rejects" || got[1].What != "resolves" || len(got[0].Stack) == 0 {
		t.Fatalf("Unawaited() = %+v, want rejects then resolves, with stacks", got)
	}
	if again := e.Unawaited(); len(again) != 0 {
		t.Errorf("second Unawaited() = %+v, want none", again)
	}
}
