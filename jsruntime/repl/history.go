package repl

import (
	"errors"
	"io/fs"
	"os"
	"strings"
)

// historyMode keeps the history file private: lines typed at the prompt may hold addresses,
// message ids and, despite the filter, data a user did not mean to keep.
const historyMode = 0o600

// prepareHistory makes the history file private (creating it, or fixing the mode of one an
// older version wrote 0644) and drops the lines that keep refuses, so that a secret registered
// in this session is removed from earlier sessions' lines too.
func prepareHistory(path string, keep func(string) bool) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, historyMode)
		if err != nil {
			return err
		}
		return f.Close()
	}
	if err != nil {
		return err
	}
	if err := os.Chmod(path, historyMode); err != nil {
		return err
	}
	if keep == nil {
		return nil
	}
	lines := strings.SplitAfter(string(b), "\n")
	kept := lines[:0]
	for _, l := range lines {
		if keep(strings.TrimRight(l, "\n")) {
			kept = append(kept, l)
		}
	}
	if len(kept) == len(lines) {
		return nil
	}
	return os.WriteFile(path, []byte(strings.Join(kept, "")), historyMode)
}
