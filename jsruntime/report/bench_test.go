package report

import (
	"io"
	"testing"
	"time"
)

// BenchmarkOneTestRun measures what reporting adds to a one-test run with
// the console, JSON and JUnit reporters all on (the `mailscript run` target
// is 20ms for the whole run).
func BenchmarkOneTestRun(b *testing.B) {
	files := []File{{File: "one.test.js", Duration: time.Millisecond,
		Tests: []Test{{Name: "works", Status: Passed, Duration: time.Millisecond}}}}
	s := Summarize(files, time.Millisecond)
	b.ReportAllocs()
	for b.Loop() {
		r := Multi(NewPretty(io.Discard, PrettyOptions{}), NewJSON(io.Discard), NewJUnit(io.Discard))
		if err := replay(r, files, s); err != nil {
			b.Fatal(err)
		}
	}
}
