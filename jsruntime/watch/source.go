package watch

import (
	"io"
	"strings"

	"github.com/fsnotify/fsnotify"
)

// FSNotify is the operating system's file events, through fsnotify.
type FSNotify struct {
	w     *fsnotify.Watcher
	added map[string]bool
}

// NewFSNotify starts an fsnotify watcher; Close stops it.
func NewFSNotify() (*FSNotify, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	return &FSNotify{w: w, added: map[string]bool{}}, nil
}

// Add watches a folder's entries (not its subfolders); adding it again does nothing.
func (f *FSNotify) Add(folder string) error {
	if f.added[folder] {
		return nil
	}
	if err := f.w.Add(folder); err != nil {
		return err
	}
	f.added[folder] = true
	return nil
}

func (f *FSNotify) Events() <-chan fsnotify.Event { return f.w.Events }
func (f *FSNotify) Errors() <-chan error          { return f.w.Errors }
func (f *FSNotify) Close() error                  { return f.w.Close() }

// Keys turns what the user types into key presses. A terminal in cbreak mode delivers each
// key alone; a line-buffered one delivers "a\n", which counts as the key a, so that typing a
// letter and Enter works everywhere. The channel closes at the end of input.
func Keys(r io.Reader) <-chan byte {
	keys := make(chan byte)
	go func() {
		defer close(keys)
		buf := make([]byte, 64)
		for {
			n, err := r.Read(buf)
			if n > 0 {
				chunk := string(buf[:n])
				key := byte('\n')
				if t := strings.TrimSpace(chunk); t != "" {
					key = t[0]
				}
				keys <- key
			}
			if err != nil {
				return
			}
		}
	}()
	return keys
}
