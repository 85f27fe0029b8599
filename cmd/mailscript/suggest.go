package main

import (
	"errors"

	"github.com/spf13/pflag"

	"github.com/mailscript/mailscript/providers"
)

// commands are the words run dispatches on, for "did you mean" after a misspelt one; the
// first four have help of their own (helpTopics).
var (
	commands   = []string{"run", "repl", "watch", "emulator", "help", "version"}
	helpTopics = commands[:4]
)

// flagSuggestion is " (did you mean --emulator?)" for pflag's "unknown flag: --emulater", or
// "". A long flag written with one dash ("-grep") reaches pflag as a group of shorthands, so
// the group is matched against the long names too.
func flagSuggestion(fs *pflag.FlagSet, err error) string {
	var ne *pflag.NotExistError
	if !errors.As(err, &ne) {
		return ""
	}
	typed := "--" + ne.GetSpecifiedName()
	if group := ne.GetSpecifiedShortnames(); len(group) > 1 {
		typed = "-" + group
	}
	var names []string
	fs.VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			names = append(names, "--"+f.Name)
		}
	})
	return providers.DidYouMean(typed, names)
}
