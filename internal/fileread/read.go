package fileread

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// NotRegularError names a path that is not a regular file.
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file", e.Path, kind(e.Mode))
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// TooLargeError names a file over the limit; Size is at least Limit+1 (when it grew while
// being read, the reading stopped there).
type TooLargeError struct {
	Path        string
	Size, Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is %d bytes, over the limit of %d", e.Path, e.Size, e.Limit)
}

// Check stats path (following links) and returns its size, or a *NotRegularError or a
// *TooLargeError; other errors are the file system's.
func Check(path string, limit int64) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return check(path, fi, limit)
}

func check(path string, fi fs.FileInfo, limit int64) (int64, error) {
	if !fi.Mode().IsRegular() {
		return 0, &NotRegularError{Path: path, Mode: fi.Mode()}
	}
	if fi.Size() > limit {
		return 0, &TooLargeError{Path: path, Size: fi.Size(), Limit: limit}
	}
	return fi.Size(), nil
}

// Read reads path whole when it is a regular file of at most limit bytes. The path is checked
// before it is opened (opening a FIFO would block), the opened file again (it may have been
// replaced meanwhile), and the reading stops after limit bytes (it may be growing).
func Read(path string, limit int64) ([]byte, error) {
	if _, err := Check(path, limit); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size, err := check(path, fi, limit)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(int(size) + bytes.MinRead) // ReadFrom wants MinRead free bytes to see the end
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > limit {
		return nil, &TooLargeError{Path: path, Size: int64(buf.Len()), Limit: limit}
	}
	return buf.Bytes(), nil
}
