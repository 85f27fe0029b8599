package jsruntimetest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/report"
)

// Run writes src to a file called name (its extension picks JavaScript or TypeScript) in a
// temporary folder and runs it like `mailscript run` would, with opts.
func Run(t testing.TB, name, src string, opts jsruntime.Options) report.File {
	t.Helper()
	return RunIn(t, t.TempDir(), name, src, opts)
}

// RunIn is Run with the script in dir, for a script that reads files the test put there
// (open(), attachments by path).
func RunIn(t testing.TB, dir, name, src string, opts jsruntime.Options) report.File {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	if opts.WorkDir == "" {
		opts.WorkDir = filepath.Dir(path)
	}
	return jsruntime.RunFile(context.Background(), path, opts, nil)
}

// RequirePassed fails t, showing every failure, unless f ran at least one test and all of
// its tests passed.
func RequirePassed(t testing.TB, f report.File) {
	t.Helper()
	var problems []string
	if f.Error != nil {
		problems = append(problems, describe("(file)", f.Error))
	}
	for _, tt := range f.Tests {
		if tt.Status != report.Passed {
			problems = append(problems, describe(tt.FullName()+" ["+string(tt.Status)+"]", tt.Error))
			if tt.Output != "" {
				problems = append(problems, "    console: "+strings.ReplaceAll(strings.TrimSpace(tt.Output), "\n", "\n    "))
			}
		}
	}
	if len(f.Tests) == 0 && f.Error == nil {
		problems = append(problems, "no test ran")
	}
	if len(problems) > 0 {
		t.Fatalf("%s:\n%s", f.File, strings.Join(problems, "\n"))
	}
}

func describe(what string, e *report.Error) string {
	if e == nil {
		return "  " + what
	}
	return "  " + what + ": " + e.Name + ": " + e.Message + " @ " + e.Location + "\n" + e.Source
}
