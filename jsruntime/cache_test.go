package jsruntime

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func cacheFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	return m
}

// rewriteCached marks the code of the only cache entry, so that a later compile shows whether it
// came from the cache.
func rewriteCached(t *testing.T, dir string) {
	t.Helper()
	files := cacheFiles(t, dir)
	if len(files) != 1 {
		t.Fatalf("cache holds %v, want one entry", files)
	}
	b, _ := os.ReadFile(files[0])
	var e cacheEntry
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	e.Code += "\n/* from the cache */"
	b, _ = json.Marshal(e)
	if err := os.WriteFile(files[0], b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func writeOld(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Minute)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
}

func TestBundleCache(t *testing.T) {
	src, cache := t.TempDir(), filepath.Join(t.TempDir(), "bundles")
	main, helper := filepath.Join(src, "a.test.ts"), filepath.Join(src, "helper.ts")
	writeOld(t, helper, "export const code = (s: string): string => s.slice(-6);\n")
	writeOld(t, main, "import { code } from './helper.ts';\ntest('code', () => expect(code('is 123456')).toBe('123456'));\n")

	first, err := compileCached(main, cache)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(cache); err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("cache folder: %v %v", st, err)
	}
	rewriteCached(t, cache)
	hit, err := compileCached(main, cache)
	if err != nil || !strings.HasSuffix(hit.Code, "/* from the cache */") {
		t.Fatalf("second compile did not come from the cache: %v", err)
	}
	if hit.Path != first.Path || string(hit.SourceMap) != string(first.SourceMap) || strings.Join(hit.Imports, ",") != strings.Join(first.Imports, ",") {
		t.Errorf("cached module differs: %+v", hit)
	}

	// An entry in use is kept: reading it moves its time forward, out of pruning's reach.
	files := cacheFiles(t, cache)
	old := time.Now().Add(-40 * 24 * time.Hour)
	if err := os.Chtimes(files[0], old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := compileCached(main, cache); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(files[0]); err != nil || time.Since(st.ModTime()) > time.Hour {
		t.Errorf("a used entry was not touched: %v %v", st.ModTime(), err)
	}

	// An imported file that changes makes the entry stale.
	writeOld(t, helper, "export const code = (s: string): string => s.slice(-4);\n")
	miss, err := compileCached(main, cache)
	if err != nil || strings.Contains(miss.Code, "from the cache") || !strings.Contains(miss.Code, "slice(-4)") {
		t.Fatalf("changed import still served from the cache: %v\n%s", err, miss.Code)
	}

	// A settings file esbuild reads that appears, changes or goes also makes it stale.
	compileCached(main, cache)
	rewriteCached(t, cache)
	tsconfig := filepath.Join(src, "tsconfig.json")
	writeOld(t, tsconfig, `{"compilerOptions": {"useDefineForClassFields": false}}`)
	if m, err := compileCached(main, cache); err != nil || strings.Contains(m.Code, "from the cache") {
		t.Fatalf("a new tsconfig.json did not invalidate the entry: %v", err)
	}
	rewriteCached(t, cache)
	writeOld(t, tsconfig, `{"compilerOptions": {}}`)
	if m, err := compileCached(main, cache); err != nil || strings.Contains(m.Code, "from the cache") {
		t.Fatalf("a changed tsconfig.json did not invalidate the entry: %v", err)
	}
	rewriteCached(t, cache)
	if m, err := compileCached(main, cache); err != nil || !strings.Contains(m.Code, "from the cache") {
		t.Fatalf("an unchanged tsconfig.json invalidated the entry: %v", err)
	}

	// A broken entry is compiled as if absent.
	for _, f := range cacheFiles(t, cache) {
		if err := os.WriteFile(f, []byte("{not json"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if m, err := compileCached(main, cache); err != nil || !strings.Contains(m.Code, "slice(-4)") {
		t.Fatalf("broken entry: %v", err)
	}
}

// TestBundleCacheKeysOnCompiledBytes: the entry holds the hashes of the bytes esbuild compiled,
// so a save landing between the compile and the write cannot pair new content with the old
// bundle.
func TestBundleCacheKeysOnCompiledBytes(t *testing.T) {
	src, cache := t.TempDir(), t.TempDir()
	main := filepath.Join(src, "a.test.js")
	writeOld(t, main, "test('old', () => {});\n")
	m, err := Compile(main)
	if err != nil {
		t.Fatal(err)
	}
	writeOld(t, main, "test('new', () => {});\n") // saved while the compile ran
	file := filepath.Join(cache, strings.Repeat("a", 32)+".json")
	writeCacheEntry(cache, file, m)
	if _, err := os.Stat(file); err != nil {
		t.Fatal("no entry written")
	}
	if got := readCacheEntry(file, main); got != nil {
		t.Errorf("the bundle of the old content was served for the new one:\n%s", got.Code)
	}
}

// TestBundleCacheSeesResolutionChanges: a file that appears beside an import can change what
// the import finds; tsconfig "extends" chains are not followed, so such bundles are not kept.
func TestBundleCacheSeesResolutionChanges(t *testing.T) {
	src, cache := t.TempDir(), t.TempDir()
	main := filepath.Join(src, "a.test.ts")
	writeOld(t, main, "import { v } from './helpers';\ntest(v, () => {});\n")
	writeOld(t, filepath.Join(src, "helpers.js"), "export const v = 'from js';\n")
	if _, err := compileCached(main, cache); err != nil {
		t.Fatal(err)
	}
	writeOld(t, filepath.Join(src, "helpers.ts"), "export const v: string = 'from ts';\n")
	m, err := compileCached(main, cache)
	if err != nil || !strings.Contains(m.Code, "from ts") {
		t.Fatalf("a new helpers.ts did not change the bundle: %v", err)
	}

	other := t.TempDir()
	writeOld(t, filepath.Join(other, "tsconfig.json"), `{"extends": "./base.json"}`)
	writeOld(t, filepath.Join(other, "base.json"), `{"compilerOptions": {}}`)
	script := filepath.Join(other, "b.test.ts")
	writeOld(t, script, "test('x', () => {});\n")
	before := len(cacheFiles(t, cache))
	if _, err := compileCached(script, cache); err != nil {
		t.Fatal(err)
	}
	if after := len(cacheFiles(t, cache)); after != before {
		t.Errorf("a bundle under a tsconfig with extends was cached (%d entries, had %d)", after, before)
	}
}

// TestBundleCacheLeavesOtherFiles: pruning removes only the cache's own old entries, and a
// folder others can write to is not used.
func TestBundleCacheLeavesOtherFiles(t *testing.T) {
	src, cache := t.TempDir(), t.TempDir()
	old := time.Now().Add(-60 * 24 * time.Hour)
	mine := filepath.Join(cache, strings.Repeat("b", 32)+".json")
	theirs := filepath.Join(cache, "important.txt")
	folder := filepath.Join(cache, "keep")
	writeOld(t, mine, "{}")
	writeOld(t, theirs, "do not delete")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{mine, theirs, folder} {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	main := filepath.Join(src, "a.test.js")
	writeOld(t, main, "test('x', () => {});\n")
	if _, err := compileCached(main, cache); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(mine); !os.IsNotExist(err) {
		t.Errorf("an old entry was kept: %v", err)
	}
	for _, p := range []string{theirs, folder} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("pruning removed %s: %v", p, err)
		}
	}

	if runtime.GOOS != "windows" {
		shared := t.TempDir()
		if err := os.Chmod(shared, 0o777); err != nil {
			t.Fatal(err)
		}
		if _, err := compileCached(main, shared); err != nil {
			t.Fatal(err)
		}
		if files := cacheFiles(t, shared); len(files) != 0 {
			t.Errorf("a world-writable cache folder was used: %v", files)
		}
	}
}

// TestBundleCachePrunes: writing an entry removes the ones unused for 30 days.
func TestBundleCachePrunes(t *testing.T) {
	src, cache := t.TempDir(), t.TempDir()
	stale := filepath.Join(cache, strings.Repeat("0", 32)+".json")
	writeOld(t, stale, "{}")
	old := time.Now().Add(-31 * 24 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	main := filepath.Join(src, "a.test.js")
	writeOld(t, main, "test('x', () => {});\n")
	if _, err := compileCached(main, cache); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale entry kept: %v", err)
	}
	if files := cacheFiles(t, cache); len(files) != 1 {
		t.Errorf("cache holds %v, want the new entry", files)
	}
}

// TestBundleCacheOff: no folder, no cache; a compile error is never cached.
func TestBundleCacheOff(t *testing.T) {
	src, cache := t.TempDir(), t.TempDir()
	bad := filepath.Join(src, "bad.test.js")
	writeOld(t, bad, "test('x', () => {\n")
	if _, err := compileCached(bad, cache); err == nil {
		t.Fatal("a syntax error compiled")
	}
	if files := cacheFiles(t, cache); len(files) != 0 {
		t.Errorf("a failed compile was cached: %v", files)
	}
	good := filepath.Join(src, "good.test.js")
	writeOld(t, good, "test('x', () => {});\n")
	if _, err := compileCached(good, ""); err != nil {
		t.Fatal(err)
	}
}
