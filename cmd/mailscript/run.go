package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/discover"
	"github.com/mailscript/mailscript/jsruntime/report"
	"github.com/mailscript/mailscript/jsruntime/schedule"
	"github.com/mailscript/mailscript/providers"
	"github.com/spf13/pflag"
)

type runConfig struct {
	envFlags
	grep            string
	timeout         time.Duration
	parallel        int
	maxMemory       memorySize
	shard           string
	bail            bool
	passWithNoTests bool
	forbidOnly      bool
	retries         int
	reporter        string
	junit           string
	jsonOut         string
	html            string
	noColor         bool
	verbose         bool
	noCache         bool
	pflagHelp       bool
}

func runFlags(c *runConfig) *pflag.FlagSet {
	fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
	fs.SortFlags = false
	c.envFlags.register(fs, "start the built-in emulator for this run and point every provider at it")
	fs.StringVar(&c.grep, "grep", "", "run only tests whose full name (describe > test) matches this regular expression")
	fs.DurationVar(&c.timeout, "timeout", 120*time.Second, "per-test timeout")
	fs.IntVar(&c.parallel, "parallel", runtime.NumCPU(), "test files run at once")
	fs.Var(&c.maxMemory, "max-memory", maxMemoryUsage)
	fs.StringVar(&c.shard, "shard", "", "run the i-th of n deterministic slices of the files, as i/n")
	fs.BoolVar(&c.bail, "bail", false, "stop after the first failing test")
	fs.IntVar(&c.retries, "retries", 0, "run a failed test again up to this many times (with its beforeEach/afterEach hooks); one that then passes is reported as flaky")
	fs.BoolVar(&c.forbidOnly, "forbid-only", false, "fail files that call test.only or describe.only (on by default when CI is set)")
	fs.BoolVar(&c.passWithNoTests, "pass-with-no-tests", false, "exit 0 when no test is found (a --grep matching nothing, an empty shard)")
	fs.StringVar(&c.reporter, "reporter", "pretty", "console output: pretty, dots, json, github (pretty plus GitHub Actions annotations), or html (pretty plus the HTML report, in "+defaultHTMLDir+" unless --html says)")
	fs.StringVar(&c.junit, "junit", "", "also write a JUnit XML report to this file")
	fs.StringVar(&c.jsonOut, "json", "", "also write a JSON report to this file")
	fs.StringVar(&c.html, "html", "", "also write an HTML report (index.html, opened from disk, with every test's steps and messages) to this folder")
	fs.BoolVar(&c.noColor, "no-color", false, "no colours in the output (also with NO_COLOR set)")
	fs.BoolVarP(&c.verbose, "verbose", "v", false, "print the console output of passing tests too")
	fs.BoolVar(&c.noCache, "no-cache", false, "compile every script afresh instead of reusing unchanged bundles (also with MAILSCRIPT_CACHE_DIR=off)")
	fs.BoolVarP(&c.pflagHelp, "help", "h", false, "show this help")
	return fs
}

// parseFlags parses args into fs; a bad or unknown flag is a usage error, naming the closest
// flag when the unknown one looks misspelt.
func parseFlags(fs *pflag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return &usageError{err.Error() + flagSuggestion(fs, err)}
	}
	return nil
}

// runSetup is what run and watch share once their flags are parsed: the paths, the scripts'
// environment (with the emulator when asked for), the profiles and the file runner.
type runSetup struct {
	paths   []string
	env     func(string) string
	colors  bool
	runFile schedule.RunFile
	// stepBytes is what the run's HTML report may keep of messages (refilled per watch run).
	stepBytes *jsruntime.ByteBudget
	cleanup   func() // stops the emulator, if one was started
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
	if c.retries < 0 {
		return nil, &usageError{"--retries must be 0 or more, like --retries 2"}
	}
	if c.parallel < 1 {
		return nil, &usageError{"--parallel must be at least 1"}
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	// CI services set CI; a .only committed by mistake must not quietly shrink the suite there.
	if ci := st.getenv("CI"); ci != "" && ci != "false" && ci != "0" {
		c.forbidOnly = true
	}
	env, cleanup, err := scriptEnv(ctx, st, c.envFlags)
	if err != nil {
		return nil, err
	}
	profiles, err := connections(c.config, env)
	if err != nil {
		cleanup()
		return nil, err
	}
	stepBytes := jsruntime.NewByteBudget(reportMessageBytes)
	return &runSetup{
		paths:     paths,
		env:       env,
		colors:    st.isTTY && !c.noColor && env("NO_COLOR") == "",
		runFile:   fileRunner(c, st.shared, env, grep, profiles, stepBytes),
		stepBytes: stepBytes,
		cleanup:   cleanup,
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
	var noFiles string // why the run has no file, when it has none
	switch {
	case len(files) == 0:
		noFiles = fmt.Sprintf("no test files in %s: name them *.test.js, *.test.ts or *.spec.js", strings.Join(setup.paths, ", "))
	case shard[1] > 0:
		all := len(files)
		if files = discover.Shard(files, shard[0], shard[1]); len(files) == 0 {
			noFiles = fmt.Sprintf("shard %d/%d has no files: %d test files make fewer than %d shards", shard[0], shard[1], all, shard[1])
		}
	}
	rep, closeReports, err := reporters(st, c, setup.colors)
	if err != nil {
		return 0, err
	}
	// An empty run still writes its (empty) reports: a CI job that publishes them finds them.
	_, summary, repErr := schedule.Run(ctx, files, schedule.Options{Parallel: c.parallel, Bail: c.bail}, setup.runFile, rep)
	if err := closeReports(); err != nil && repErr == nil {
		repErr = err
	}
	if repErr != nil {
		return 0, fmt.Errorf("writing reports: %w", repErr)
	}
	if code := signalExit(ctx); code != 0 {
		return code, nil
	}
	if summary.Failed > 0 || summary.Interrupted {
		return exitFailed, nil
	}
	if summary.Passed+summary.Flaky+summary.Skipped == 0 {
		return noTests(st, c, noFiles), nil
	}
	return exitOK, nil
}

// noTests ends a run that selected no test: a typo in --grep or a path, or a shard that got no
// file, must not pass a CI job unnoticed (as in Jest and Playwright), unless asked to.
func noTests(st *state, c runConfig, why string) int {
	if why == "" && c.grep != "" {
		why = fmt.Sprintf("--grep %q matches no test name", c.grep)
	}
	msg := "no tests found"
	if why != "" {
		msg += ": " + why
	}
	if c.passWithNoTests {
		fmt.Fprintln(st.stderr, "mailscript:", msg+" (passing: --pass-with-no-tests)")
		return exitOK
	}
	fmt.Fprintln(st.stderr, "mailscript:", msg+"; --pass-with-no-tests makes this pass")
	return exitFailed
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
	case "github":
		// Annotations first, so that the log still ends with the summary.
		console = report.Multi(report.NewGitHub(stdout), report.NewPretty(stdout, opts))
	case "html":
		console = report.NewPretty(stdout, opts)
	default:
		if strings.EqualFold(c.reporter, "junit") {
			return nil, nil, &usageError{fmt.Sprintf("--reporter %q: JUnit XML is a report file, written next to the console output with --junit FILE (like --junit junit.xml); --reporter takes pretty, dots, json, github or html", c.reporter)}
		}
		return nil, nil, &usageError{fmt.Sprintf("--reporter %q: use pretty, dots, json, github or html%s", c.reporter,
			providers.DidYouMean(c.reporter, []string{"pretty", "dots", "json", "github", "html"}))}
	}
	reps := []report.Reporter{console}
	if dir := c.htmlDir(); dir != "" {
		reps = append(reps, &htmlReport{HTML: report.NewHTML(report.HTMLOptions{Dir: dir, Redact: st.shared.Redactor().Redact}), stderr: st.stderr})
	}
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
		{c.junit, func(w io.Writer) report.Reporter {
			junit := report.NewJUnit(w)
			if dir := c.htmlDir(); dir != "" {
				junit.LinkHTML(relativeTo(filepath.Dir(c.junit), filepath.Join(dir, "index.html")))
			}
			return junit
		}},
		{c.jsonOut, func(w io.Writer) report.Reporter { return report.NewJSON(w) }},
	} {
		if out.path == "" {
			continue
		}
		f, err := createReport(out.path)
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("cannot write the report: %w", err)
		}
		files = append(files, f)
		reps = append(reps, out.make(st.shared.Redactor().Writer(f)))
	}
	return report.Multi(reps...), closeAll, nil
}

// defaultHTMLDir is where --reporter html writes without --html, as Playwright's
// playwright-report.
const defaultHTMLDir = "mailscript-report"

// htmlDir is the folder of the HTML report, "" when none is asked for.
func (c runConfig) htmlDir() string {
	if c.html == "" && c.reporter == "html" {
		return defaultHTMLDir
	}
	return c.html
}

// htmlReport tells where the report went once it is written.
type htmlReport struct {
	*report.HTML
	stderr io.Writer
}

func (r *htmlReport) Finished(files []report.File, s report.Summary) error {
	if err := r.HTML.Finished(files, s); err != nil {
		return err
	}
	fmt.Fprintf(r.stderr, "mailscript: HTML report: %s\n", r.Written.Index)
	return nil
}

// relativeTo is target as a reader in dir finds it, with forward slashes (a URL): the JUnit
// file links the HTML report this way, so both can be published together anywhere.
func relativeTo(dir, target string) string {
	absDir, err1 := filepath.Abs(dir)
	absTarget, err2 := filepath.Abs(target)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(absDir, absTarget); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(target)
}

// createReport creates a report file and the folders it goes in, as CI jobs name a fresh
// folder (reports/junit.xml) for their artifacts.
func createReport(path string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	return os.Create(path)
}
