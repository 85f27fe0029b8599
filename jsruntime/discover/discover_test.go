package discover

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func testFS() fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, name := range []string{
		"tests/b.test.js", "tests/a.test.ts", "tests/c.spec.mjs", "tests/d.test.cjs", "tests/e.spec.mts",
		"tests/helper.js", "tests/data.test.json", "tests/.test.js", "tests/readme.md", "tests/spec.js",
		"tests/sub/deep/f.test.js", "tests/node_modules/lib/x.test.js", "tests/.cache/y.test.js",
		".hidden/z.test.js", "docs/readme.md", "linear.js", "notes.txt", "other/o.spec.js",
	} {
		fsys[name] = &fstest.MapFile{}
	}
	return fsys
}

func TestFilesFS(t *testing.T) {
	tests := []struct {
		name    string
		paths   []string
		want    []string
		wantErr string
	}{
		{name: "folder", paths: []string{"tests"}, want: []string{
			"tests/a.test.ts", "tests/b.test.js", "tests/c.spec.mjs", "tests/d.test.cjs", "tests/e.spec.mts", "tests/sub/deep/f.test.js"}},
		{name: "explicit file whatever its name", paths: []string{"linear.js"}, want: []string{"linear.js"}},
		{name: "explicit file in a skipped folder", paths: []string{"tests/node_modules/lib/x.test.js"}, want: []string{"tests/node_modules/lib/x.test.js"}},
		{name: "hidden folder given explicitly", paths: []string{".hidden"}, want: []string{".hidden/z.test.js"}},
		{name: "root skips hidden folders", paths: []string{"."}, want: []string{
			"other/o.spec.js", "tests/a.test.ts", "tests/b.test.js", "tests/c.spec.mjs", "tests/d.test.cjs", "tests/e.spec.mts", "tests/sub/deep/f.test.js"}},
		{name: "sorted and deduplicated", paths: []string{"other", "tests/sub", "./tests/sub/deep/f.test.js", "other/"}, want: []string{
			"other/o.spec.js", "tests/sub/deep/f.test.js"}},
		{name: "folder without tests", paths: []string{"docs"}, want: nil},
		{name: "path is cleaned", paths: []string{"tests/node_modules/lib/../../sub/deep/../.."}, want: []string{
			"tests/a.test.ts", "tests/b.test.js", "tests/c.spec.mjs", "tests/d.test.cjs", "tests/e.spec.mts", "tests/sub/deep/f.test.js"}},
		{name: "missing path", paths: []string{"tests", "nope/x.test.js"}, wantErr: "nope/x.test.js: no such file or folder"},
		{name: "not a script", paths: []string{"notes.txt"}, wantErr: "notes.txt: not a script: give a .js, .mjs, .cjs, .ts, .mts file or a folder"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FilesFS(testFS(), tc.paths)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestFilesOS(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"suite/a.test.js", "suite/b.spec.ts", "suite/node_modules/n.test.js", "suite/.git/g.test.js", "suite/lib.js"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join(dir, "suite"), link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		paths   []string
		want    []string
		wantErr string
	}{
		{"folder", []string{filepath.Join(dir, "suite")}, []string{"suite/a.test.js", "suite/b.spec.ts"}, ""},
		{"folder with trailing slash", []string{filepath.Join(dir, "suite") + "/"}, []string{"suite/a.test.js", "suite/b.spec.ts"}, ""},
		{"symlinked folder", []string{link}, []string{"link/a.test.js", "link/b.spec.ts"}, ""},
		{"file", []string{filepath.Join(dir, "suite/lib.js")}, []string{"suite/lib.js"}, ""},
		{"missing", []string{filepath.Join(dir, "gone")}, nil, filepath.Join(dir, "gone") + ": no such file or folder"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Files(tc.paths)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var rel []string
			for _, p := range got {
				rel = append(rel, filepath.ToSlash(strings.TrimPrefix(p, dir+string(filepath.Separator))))
			}
			if !slices.Equal(rel, tc.want) {
				t.Errorf("got  %q\nwant %q", rel, tc.want)
			}
		})
	}
}

func TestIsTestFile(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"a.test.js", true}, {"a.test.ts", true}, {"a.test.mjs", true}, {"a.test.cjs", true}, {"a.test.mts", true},
		{"a.spec.js", true}, {"dir/a.b.spec.ts", true},
		{"a.js", false}, {"a.test.json", false}, {"a.spec.md", false}, {".test.js", false}, {"test.js", false},
		{"a.tests.js", false}, {"a.test.jsx", false},
	}
	for _, tc := range tests {
		if got := IsTestFile(tc.name); got != tc.want {
			t.Errorf("IsTestFile(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}
