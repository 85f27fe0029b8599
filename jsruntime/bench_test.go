package jsruntime

import (
	"context"
	"testing"

	"github.com/mailscript/mailscript/jsruntime/report"
)

// BenchmarkRunFile measures a whole one-test file: esbuild bundle, fresh VM, test, result.
// The target is well under 20 ms per file.
func BenchmarkRunFile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		f := RunFile(context.Background(), "testdata/one.test.ts", Options{}, nil)
		if len(f.Tests) != 1 || f.Tests[0].Status != report.Passed {
			b.Fatalf("unexpected result: %+v", f)
		}
	}
}
