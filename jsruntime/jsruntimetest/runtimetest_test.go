package jsruntimetest

import (
	"testing"

	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/report"
)

func TestRun(t *testing.T) {
	f := Run(t, "x.test.ts", "const n: number = 1;\ntest('a', () => { expect(n).toBe(2); });\n", jsruntime.Options{})
	if f.File != "x.test.ts" || len(f.Tests) != 1 || f.Tests[0].Status != report.Failed || f.Tests[0].Error.Location != "x.test.ts:2:29" {
		t.Fatalf("unexpected result: %+v %+v", f, f.Tests)
	}
	RequirePassed(t, Run(t, "y.test.js", "test('b', () => {});", jsruntime.Options{}))
}
