package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	goruntime "runtime"
	"strings"
	"time"

	"github.com/mailscript/mailscript/runtime/discover"
	"github.com/mailscript/mailscript/runtime/report"
	"github.com/mailscript/mailscript/runtime/suite"
	"github.com/mailscript/mailscript/secrets"
	"github.com/spf13/pflag"
)

type runConfig struct {
	grep      string
	timeout   time.Duration
	parallel  int
	maxMemory memorySize
	shard     string
	bail      bool
	reporter  string
	junit     string
	jsonOut   string
	envFile   string
	config    string
	emulator  bool
	noColor   bool
	verbose   bool
	noCache   bool
	pflagHelp bool
}

func runFlags(c *runConfig) *pflag.FlagSet {
	fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
	fs.SortFlags = false
	fs.BoolVar(&c.emulator, "emulator", false, "start the built-in emulator for this run and point every provider at it")
	fs.StringVar(&c.envFile, "env-file", "", "load KEY=VALUE lines into the scripts' environment")
	fs.StringVar(&c.config, "config", "", "connection profiles file (default mailscript.json, or MAILSCRIPT_CONFIG)")
	fs.StringVar(&c.grep, "grep", "", "run only tests whose full name (describe > test) matches this regular expression")
	fs.DurationVar(&c.timeout, "timeout", 120*time.Second, "per-test timeout")
	fs.IntVar(&c.parallel, "parallel", goruntime.NumCPU(), "test files run at once")
	fs.Var(&c.maxMemory, "max-memory", maxMemoryUsage)
	fs.StringVar(&c.shard, "shard", "", "run the i-th of n deterministic slices of the files, as i/n")
	fs.BoolVar(&c.bail, "bail", false, "stop after the first failing test")
	fs.StringVar(&c.reporter, "reporter", "pretty", "console output: pretty, dots or json")
	fs.StringVar(&c.junit, "junit", "", "also write a JUnit XML report to this file")
	fs.StringVar(&c.jsonOut, "json", "", "also write a JSON report to this file")
	fs.BoolVar(&c.noColor, "no-color", false, "no colours in the output (also with NO_COLOR set)")
	fs.BoolVarP(&c.verbose, "verbose", "v", false, "print the console output of passing tests too")
	fs.BoolVar(&c.noCache, "no-cache", false, "compile every script afresh instead of reusing unchanged bundles (also with MAILSCRIPT_CACHE_DIR=off)")
	fs.BoolVarP(&c.pflagHelp, "help", "h", false, "show this help")
	return fs
}

// parseFlags parses args into fs; a bad or unknown flag is a usage error.
func parseFlags(fs *pflag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return &usageError{err.Error()}
	}
	return nil
}

// runSetup is what run and watch share once their flags are parsed: the paths, the scripts'
// environment (with the emulator when asked for), the profiles and the file runner.
type runSetup struct {
	paths   []string
	env     func(string) string
	colors  bool
	runFile suite.RunFile
	cleanup func() // stops the emulator, if one was started
}

func newRunSetup(ctx context.Context, st *state, c runConfig, paths []string) (*runSetup, error) {
	var grep *regexp.Regexp
	if c.grep != "" {
		var err error
		if grep, err = regexp.Compile(c.grep); err != nil {
			return nil, &usageError{fmt.Sprintf("--grep %q is not a regular expression: %v", c.grep, err)}
		}
	}
	if c.timeout <= 0 {
		return nil, &usageError{"--timeout must be positive, like 30s or 2m"}
	}
	if c.parallel < 1 {
		return nil, &usageError{"--parallel must be at least 1"}
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	env, cleanup, err := scriptEnv(ctx, st, c)
	if err != nil {
		return nil, err
	}
	profiles, err := connections(c.config, env)
	if err != nil {
		cleanup()
		return nil, err
	}
	return &runSetup{
		paths:   paths,
		env:     env,
		colors:  st.isTTY && !c.noColor && env("NO_COLOR") == "",
		runFile: fileRunner(c, env, grep, profiles),
		cleanup: cleanup,
	}, nil
}

// runCommand returns the exit code of a run that happened, or an error for one that could not
// start (exit 2).
func runCommand(ctx context.Context, st *state, args []string) (int, error) {
	var c runConfig
	fs := runFlags(&c)
	if err := parseFlags(fs, args); err != nil {
		return 0, err
	}
	if c.pflagHelp {
		return help(st, []string{"run"}), nil
	}
	var shard [2]int
	if c.shard != "" {
		i, n, err := discover.ParseShard(c.shard)
		if err != nil {
			return 0, &usageError{err.Error()}
		}
		shard = [2]int{i, n}
	}
	setup, err := newRunSetup(ctx, st, c, fs.Args())
	if err != nil {
		return 0, err
	}
	defer setup.cleanup()
	files, err := discover.Files(setup.paths)
	if err != nil {
		return 0, err
	}
	if shard[1] > 0 {
		files = discover.Shard(files, shard[0], shard[1])
	}
	if len(files) == 0 {
		return 0, fmt.Errorf("no test files in %s: name them *.test.js, *.test.ts or *.spec.js", strings.Join(setup.paths, ", "))
	}
	rep, closeReports, err := reporters(st, c, setup.colors)
	if err != nil {
		return 0, err
	}
	_, summary, repErr := suite.Run(ctx, files, suite.Options{Parallel: c.parallel, Bail: c.bail}, setup.runFile, rep)
	if err := closeReports(); err != nil && repErr == nil {
		repErr = err
	}
	if repErr != nil {
		return 0, fmt.Errorf("writing reports: %w", repErr)
	}
	if summary.Failed > 0 || summary.Interrupted {
		return exitFailed, nil
	}
	return exitOK, nil
}

// reporters builds the console reporter and the report files; close flushes and closes files.
func reporters(st *state, c runConfig, colors bool) (report.Reporter, func() error, error) {
	opts := report.PrettyOptions{Colors: colors, TTY: st.isTTY, Verbose: c.verbose}
	stdout := st.stdout
	var console report.Reporter
	switch c.reporter {
	case "pretty":
		console = report.NewPretty(stdout, opts)
	case "dots":
		console = report.NewDots(stdout, opts)
	case "json":
		console = report.NewJSON(stdout)
	default:
		return nil, nil, &usageError{fmt.Sprintf("--reporter %q: use pretty, dots or json", c.reporter)}
	}
	reps := []report.Reporter{console}
	var files []*os.File
	closeAll := func() error {
		var first error
		for _, f := range files {
			if err := f.Close(); err != nil && first == nil {
				first = err
			}
		}
		return first
	}
	for _, out := range []struct {
		path string
		make func(io.Writer) report.Reporter
	}{
		{c.junit, func(w io.Writer) report.Reporter { return report.NewJUnit(w) }},
		{c.jsonOut, func(w io.Writer) report.Reporter { return report.NewJSON(w) }},
	} {
		if out.path == "" {
			continue
		}
		f, err := os.Create(out.path)
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("cannot write the report: %w", err)
		}
		files = append(files, f)
		reps = append(reps, out.make(secrets.Default.Writer(f)))
	}
	return report.Multi(reps...), closeAll, nil
}
