package main

import (
	"path/filepath"
	"runtime"
	"testing"
)

func TestBundleCacheDir(t *testing.T) {
	home := filepath.Join(string(filepath.Separator), "home", "ada")
	for _, c := range []struct {
		name    string
		noCache bool
		env     map[string]string
		want    string
	}{
		{"explicit", false, map[string]string{"MAILSCRIPT_CACHE_DIR": "/ci/cache", "HOME": home}, "/ci/cache"},
		{"off", false, map[string]string{"MAILSCRIPT_CACHE_DIR": "off", "HOME": home}, ""},
		{"--no-cache wins", true, map[string]string{"MAILSCRIPT_CACHE_DIR": "/ci/cache"}, ""},
		{"XDG", false, map[string]string{"XDG_CACHE_HOME": "/xdg", "HOME": home}, filepath.Join("/xdg", "mailscript", "bundles")},
		{"no home, no cache", false, map[string]string{}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := bundleCacheDir(runConfig{noCache: c.noCache}, func(k string) string { return c.env[k] }); got != c.want {
				t.Errorf("bundleCacheDir = %q, want %q", got, c.want)
			}
		})
	}
	if runtime.GOOS == "linux" {
		if got := bundleCacheDir(runConfig{}, func(k string) string { return map[string]string{"HOME": home}[k] }); got != filepath.Join(home, ".cache", "mailscript", "bundles") {
			t.Errorf("default on Linux = %q", got)
		}
	}
}

// TestRunKeepsBundles: run keeps the compiled script in the cache folder, and --no-cache
// does not.
func TestRunKeepsBundles(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.test.js": "test('adds', () => expect(1 + 1).toBe(2));\n"})
	cache := t.TempDir()
	for i := 0; i < 2; i++ {
		if code, out, errs := runCLI(t, map[string]string{"MAILSCRIPT_CACHE_DIR": cache}, "run", "--reporter", "dots", dir); code != 0 {
			t.Fatalf("run %d: exit %d\n%s%s", i, code, out, errs)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(cache, "*.json")); len(m) != 1 {
		t.Errorf("cache holds %v, want one bundle", m)
	}
	other := t.TempDir()
	if code, out, errs := runCLI(t, map[string]string{"MAILSCRIPT_CACHE_DIR": other}, "run", "--no-cache", dir); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if m, _ := filepath.Glob(filepath.Join(other, "*")); len(m) != 0 {
		t.Errorf("--no-cache wrote %v", m)
	}
}
