package web

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
	"github.com/dop251/goja_nodejs/url"
)

// Install adds URL, URLSearchParams, atob, btoa, TextEncoder and TextDecoder to global.
func Install(rt *goja.Runtime, global *goja.Object) error {
	module := rt.NewObject()
	exports := rt.NewObject()
	if err := module.Set("exports", exports); err != nil {
		return err
	}
	url.Require(rt, module)
	for _, name := range []string{"URL", "URLSearchParams"} {
		if err := global.Set(name, exports.Get(name)); err != nil {
			return err
		}
	}
	steps := map[string]any{
		"atob": func(s string) string {
			b, err := base64.StdEncoding.DecodeString(strings.Map(dropSpace, s))
			if err != nil {
				b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(strings.Map(dropSpace, s), "="))
			}
			if err != nil {
				panic(rt.NewTypeError("atob: the string is not valid base64"))
			}
			return latin1(b)
		},
		"btoa": func(s string) string {
			b := make([]byte, 0, len(s))
			for _, r := range s {
				if r > 0xff {
					panic(rt.NewTypeError("btoa: the string has characters outside Latin-1; encode it first, e.g. btoa(String.fromCharCode(...new TextEncoder().encode(s)))"))
				}
				b = append(b, byte(r))
			}
			return base64.StdEncoding.EncodeToString(b)
		},
		"TextEncoder": textEncoder(rt),
		"TextDecoder": textDecoder(rt),
	}
	for name, v := range steps {
		if err := global.Set(name, v); err != nil {
			return err
		}
	}
	return nil
}

func dropSpace(r rune) rune {
	if r == ' ' || r == '\t' || r == '\n' || r == '\f' || r == '\r' {
		return -1
	}
	return r
}

// latin1 maps each byte to the code point of the same value, as atob does.
func latin1(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		sb.WriteRune(rune(c))
	}
	return sb.String()
}

func uint8Array(rt *goja.Runtime, b []byte) goja.Value {
	u8, err := rt.New(rt.Get("Uint8Array"), rt.ToValue(rt.NewArrayBuffer(b)))
	if err != nil {
		panic(err)
	}
	return u8
}

// textEncoder is the TextEncoder constructor: UTF-8 only, as the standard says.
func textEncoder(rt *goja.Runtime) func(goja.ConstructorCall) *goja.Object {
	return func(call goja.ConstructorCall) *goja.Object {
		_ = call.This.Set("encoding", "utf-8")
		_ = call.This.Set("encode", func(c goja.FunctionCall) goja.Value {
			s := ""
			if v := c.Argument(0); !goja.IsUndefined(v) {
				s = v.String()
			}
			return uint8Array(rt, []byte(s))
		})
		return nil
	}
}

// textDecoder is the TextDecoder constructor for UTF-8; other labels are refused rather than
// decoded wrongly.
func textDecoder(rt *goja.Runtime) func(goja.ConstructorCall) *goja.Object {
	return func(call goja.ConstructorCall) *goja.Object {
		label := "utf-8"
		if v := call.Argument(0); !goja.IsUndefined(v) {
			label = strings.ToLower(strings.TrimSpace(v.String()))
		}
		if label != "utf-8" && label != "utf8" && label != "unicode-1-1-utf-8" {
			panic(rt.NewTypeError("TextDecoder: only utf-8 is supported, got %q (mail bodies arrive already decoded in msg.text and msg.html)", label))
		}
		_ = call.This.Set("encoding", "utf-8")
		_ = call.This.Set("decode", func(c goja.FunctionCall) goja.Value {
			var b []byte
			switch x := c.Argument(0).Export().(type) {
			case nil:
			case goja.ArrayBuffer:
				b = x.Bytes()
			case []byte:
				b = x
			default:
				panic(rt.NewTypeError("TextDecoder.decode: expected a Uint8Array or an ArrayBuffer"))
			}
			if !utf8.Valid(b) {
				return rt.ToValue(strings.ToValidUTF8(string(b), "\uFFFD"))
			}
			return rt.ToValue(string(b))
		})
		return nil
	}
}
