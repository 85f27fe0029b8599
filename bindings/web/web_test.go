package web

import (
	"testing"

	"github.com/dop251/goja"
)

func TestWebGlobals(t *testing.T) {
	rt := goja.New()
	if err := Install(rt, rt.GlobalObject()); err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{
		`new URL('https://app.example.com/reset?token=a%20b&u=1#x').searchParams.get('token')`: "a b",
		`new URL('https://app.example.com:8443/p').port`:                                       "8443",
		`new URL('/verify', 'https://app.example.com/a/b').href`:                               "https://app.example.com/verify",
		`new URLSearchParams('a=1&b=2').get('b')`:                                              "2",
		`btoa('hello')`:      "aGVsbG8=",
		`atob('aGVsbG8=')`:   "hello",
		`atob(' aGVs bG8 ')`: "hello",
		`new TextDecoder().decode(new TextEncoder().encode('héllo ✓'))`:               "héllo ✓",
		`new TextEncoder().encode('é').length`:                                        "2",
		`(() => { try { btoa('✓') } catch (e) { return e.name } })()`:                 "TypeError",
		`(() => { try { atob('%%%') } catch (e) { return e.name } })()`:               "TypeError",
		`(() => { try { new URL('not a url') } catch (e) { return e.name } })()`:      "TypeError",
		`(() => { try { new TextDecoder('latin1') } catch (e) { return e.name } })()`: "TypeError",
	}
	for js, want := range tests {
		v, err := rt.RunString(js)
		if err != nil {
			t.Errorf("%s: %v", js, err)
			continue
		}
		if v.String() != want {
			t.Errorf("%s = %q, want %q", js, v.String(), want)
		}
	}
}
