package main

import (
	"context"
	"path/filepath"
	"regexp"
	"runtime"

	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/report"
	"github.com/mailscript/mailscript/jsruntime/schedule"
	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/secrets"
)

// fileRunner binds the run's options to jsruntime.RunFile. Console output is captured per test
// and shown by the reporters (failing tests, or all with --verbose), so that parallel files
// never interleave their output.
func fileRunner(c runConfig, shared *providers.Shared, env func(string) string, grep *regexp.Regexp, profiles *secrets.Profiles, stepBytes *jsruntime.ByteBudget) schedule.RunFile {
	cache := &secrets.Cache{Resolver: secrets.Resolver{Getenv: env, Redactor: shared.Redactor()}}
	opts := jsruntime.Options{
		Timeout:    c.timeout,
		MaxMemory:  c.maxMemory.bytes(c.parallel),
		Grep:       grep,
		Bail:       c.bail,
		ForbidOnly: c.forbidOnly,
		Retries:    c.retries,
		Env:        env,
		CacheDir:   bundleCacheDir(c, env),
		// Only the HTML report shows the steps: other runs do not pay for them.
		RecordSteps: c.htmlDir() != "",
		StepBytes:   stepBytes,
		Redactor:    shared.Redactor(),
		Install:     globals(newRegistry(shared), profiles, cache),
	}
	return func(ctx context.Context, path string, rep report.Reporter) report.File {
		return jsruntime.RunFile(ctx, path, opts, rep)
	}
}

// reportMessageBytes bounds the message sources and parts a run keeps for its HTML report
// (beside each test's own bound): past it, the report shows later messages' headers and text
// but not their raw source or embedded parts, and says so.
const reportMessageBytes = 256 << 20

// bundleCacheDir is where compiled scripts are kept between runs: MAILSCRIPT_CACHE_DIR, or
// mailscript/bundles in the user's cache folder; "" (no cache) with --no-cache,
// MAILSCRIPT_CACHE_DIR=off or no home folder.
func bundleCacheDir(c runConfig, env func(string) string) string {
	dir := env("MAILSCRIPT_CACHE_DIR")
	switch {
	case c.noCache || dir == "off":
		return ""
	case dir != "":
		return dir
	}
	base := env("XDG_CACHE_HOME")
	if base == "" {
		switch home := env("HOME"); {
		case runtime.GOOS == "windows":
			base = env("LocalAppData")
		case home == "":
		case runtime.GOOS == "darwin":
			base = filepath.Join(home, "Library", "Caches")
		default:
			base = filepath.Join(home, ".cache")
		}
	}
	if base == "" {
		return ""
	}
	return filepath.Join(base, "mailscript", "bundles")
}
