package main

import (
	"context"
	"regexp"

	"github.com/mailscript/mailscript/runtime"
	"github.com/mailscript/mailscript/runtime/report"
	"github.com/mailscript/mailscript/runtime/suite"
	"github.com/mailscript/mailscript/secrets"
)

// fileRunner binds the run's options to runtime.RunFile. Console output is captured per test
// and shown by the reporters (failing tests, or all with --verbose), so that parallel files
// never interleave their output.
func fileRunner(c runConfig, env func(string) string, grep *regexp.Regexp, profiles *secrets.Profiles) suite.RunFile {
	cache := &secrets.Cache{Resolver: secrets.Resolver{Getenv: env}}
	opts := runtime.Options{
		Timeout: c.timeout,
		Grep:    grep,
		Bail:    c.bail,
		Env:     env,
		Install: globals(newRegistry(), profiles, cache),
	}
	return func(ctx context.Context, path string, rep report.Reporter) report.File {
		return runtime.RunFile(ctx, path, opts, rep)
	}
}
