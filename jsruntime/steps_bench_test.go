package jsruntime_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/report"
)

// BenchmarkSteps runs a test that logs 1000 lines with the timeline off and on: recording
// costs nothing when off and little when on.
func BenchmarkSteps(b *testing.B) {
	path := filepath.Join(b.TempDir(), "log.test.js")
	src := "test('logs', () => { for (let i = 0; i < 1000; i++) console.log('line', i, { i }); });\n"
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		b.Fatal(err)
	}
	for _, record := range []bool{false, true} {
		name := map[bool]string{false: "off", true: "on"}[record]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				f := jsruntime.RunFile(context.Background(), path, jsruntime.Options{RecordSteps: record, WorkDir: filepath.Dir(path)}, nil)
				if len(f.Tests) != 1 || f.Tests[0].Status != report.Passed || (len(f.Tests[0].Steps) == 1000) != record {
					b.Fatalf("unexpected result: %+v", f.Tests)
				}
			}
		})
	}
}
