package open

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/internal/fileread"
	"github.com/mailscript/mailscript/providers"
)

// MaxBytes caps what open() reads: far more than any fixture or attachment a mail service
// takes (35 MB a message), and far less than would take a machine's memory.
const MaxBytes = 100 << 20

// Install defines the open global.
func Install(vu bindings.VU, global *goja.Object) error {
	rt := vu.Runtime()
	return global.Set("open", func(call goja.FunctionCall) goja.Value {
		name, ok := call.Argument(0).Export().(string)
		if !ok || name == "" {
			panic(rt.NewTypeError("open(path, mode?): path must be a non-empty string, like open('fixtures/body.html')"))
		}
		binary := false
		switch mode := call.Argument(1); {
		case goja.IsUndefined(mode) || mode.String() == "":
		case mode.String() == "b":
			binary = true
		default:
			panic(rt.NewTypeError("open(path, mode?): mode must be 'b' for bytes or left out for text, not %q", mode.String()))
		}
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(vu.Dir(), path)
		}
		data, err := fileread.Read(path, MaxBytes)
		if err != nil {
			panic(readError(rt, name, path, err))
		}
		if !binary {
			return rt.ToValue(string(data))
		}
		u8, err := rt.New(rt.Get("Uint8Array"), rt.ToValue(rt.NewArrayBuffer(data)))
		if err != nil {
			panic(err)
		}
		return u8
	})
}

func readError(rt *goja.Runtime, name, path string, err error) *goja.Object {
	var (
		nr *fileread.NotRegularError
		tl *fileread.TooLargeError
	)
	switch {
	case errors.As(err, &nr):
		return rt.NewTypeError("open: %q: %v: name a file", name, err)
	case errors.As(err, &tl):
		obj, _ := rt.New(rt.Get("RangeError"), rt.ToValue(fmt.Sprintf("open: %q (%s) is larger than %s, the most open() reads", name, path, providers.FormatSize(tl.Limit))))
		return obj
	}
	why := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		why = pe.Err.Error()
	}
	msg := fmt.Sprintf("open: cannot read %q (%s): %s", name, path, why)
	if errors.Is(err, fs.ErrNotExist) {
		msg += "; relative paths start from the script's folder"
	}
	obj, _ := rt.New(rt.Get("Error"), rt.ToValue(msg))
	return obj
}
