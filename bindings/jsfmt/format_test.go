package jsfmt

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/dop251/goja"
)

type goldenCase struct {
	Name string
	Expr string
	Opts Options
	Want string
}

func loadGolden(t *testing.T) (inspect, args []goldenCase) {
	t.Helper()
	b, err := os.ReadFile("testdata/inspect.golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct{ Inspect, Args []goldenCase }
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g.Inspect, g.Args
}

func eval(t *testing.T, rt *goja.Runtime, expr string) goja.Value {
	t.Helper()
	v, err := rt.RunString("{" + expr + "}")
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// TestFormatMatchesNode compares with util.inspect output recorded by testdata/gen.js.
func TestFormatMatchesNode(t *testing.T) {
	cases, _ := loadGolden(t)
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			rt := goja.New()
			if got := Format(rt, eval(t, rt, tc.Expr), tc.Opts); got != tc.Want {
				t.Errorf("Format(%s)\n got: %q\nwant: %q\n got:\n%s\nwant:\n%s", tc.Expr, got, tc.Want, got, tc.Want)
			}
		})
	}
}

// TestFormatArgsMatchesNode compares with util.formatWithOptions output recorded by testdata/gen.js.
func TestFormatArgsMatchesNode(t *testing.T) {
	_, cases := loadGolden(t)
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			rt := goja.New()
			var args []goja.Value
			if err := rt.ExportTo(eval(t, rt, tc.Expr), &args); err != nil {
				t.Fatal(err)
			}
			if got := FormatArgs(rt, args, tc.Opts); got != tc.Want {
				t.Errorf("FormatArgs(%s)\n got: %q\nwant: %q", tc.Expr, got, tc.Want)
			}
		})
	}
}
