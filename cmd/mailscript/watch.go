package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/chzyer/readline"
	"github.com/mailscript/mailscript/jsruntime/report"
	"github.com/mailscript/mailscript/jsruntime/watch"
)

const watchUsage = "Usage: mailscript watch [paths...] [flags]\n\nRuns the test files, then re-runs the ones each save affects. Keys: a all, f failed, Enter again, q quit.\n\nFlags (those of run):\n"

// watchCommand runs test files on every save until q or Ctrl-C.
func watchCommand(ctx context.Context, st *state, args []string) error {
	var c runConfig
	fs := runFlags(&c)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if c.pflagHelp {
		fmt.Fprint(st.stdout, watchUsage+fs.FlagUsages())
		return nil
	}
	if c.shard != "" {
		return &usageError{"--shard splits a CI run; watch runs every file it is given"}
	}
	setup, err := newRunSetup(ctx, st, c, fs.Args())
	if err != nil {
		return err
	}
	defer setup.cleanup()
	colors := setup.colors
	if _, closeReports, err := reporters(st, c, colors); err != nil { // check the flags once
		return err
	} else if err := closeReports(); err != nil {
		return err
	}
	var ignore []string
	for _, p := range []string{c.junit, c.jsonOut} {
		if p != "" {
			abs, _ := filepath.Abs(p)
			ignore = append(ignore, abs)
		}
	}
	src, err := watch.NewFSNotify()
	if err != nil {
		return fmt.Errorf("cannot watch files: %w", err)
	}
	defer src.Close()

	keys := watch.Keys(st.stdin)
	if f, ok := st.stdin.(*os.File); ok && st.isTTY && readline.IsTerminal(int(f.Fd())) {
		// Keys act at once, without Enter; output is unchanged.
		if old, err := readline.MakeRaw(int(f.Fd())); err == nil {
			defer readline.Restore(int(f.Fd()), old)
		}
	}
	return watch.Run(ctx, watch.Options{
		Paths:    setup.paths,
		Run:      setup.runFile,
		Parallel: c.parallel,
		Reporter: func() report.Reporter {
			setup.stepBytes.Refill()
			rep, closeReports, err := reporters(st, c, colors)
			if err != nil { // checked above; a report file that became unwritable
				fmt.Fprintln(st.stderr, "mailscript:", err)
				return report.NewPretty(st.stdout, report.PrettyOptions{Colors: colors})
			}
			return closingReporter{rep, closeReports}
		},
		Out:    st.stdout,
		TTY:    st.isTTY,
		Colors: colors,
		Source: src,
		Keys:   keys,
		Ignore: ignore,
	})
}

// closingReporter closes a run's report files once the run is reported.
type closingReporter struct {
	report.Reporter
	close func() error
}

func (r closingReporter) Finished(files []report.File, s report.Summary) error {
	err := r.Reporter.Finished(files, s)
	if cerr := r.close(); err == nil {
		err = cerr
	}
	return err
}
