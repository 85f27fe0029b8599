package runtime

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// The bundle cache keeps what Compile made of a script, as Jest and Deno keep their
// transforms, so that running a file whose sources have not changed skips esbuild: a run of a
// one-test file then takes 5 MB less memory. An entry is keyed by the script's path and the
// mailscript executable (a rebuilt or upgraded mailscript never reads an older entry), and is
// used only when every file in the bundle still has the content it had.

// bundleCacheMaxAge is how long an entry that is not used stays in the cache.
const bundleCacheMaxAge = 30 * 24 * time.Hour

type cacheEntry struct {
	Files map[string]string `json:"files"` // absolute path → sha256 of the content
	// Configs are the settings files esbuild may read next to the sources and above them
	// (tsconfig.json, jsconfig.json, package.json): path → sha256, or "" when absent, so that
	// one appearing counts as a change too.
	Configs   map[string]string `json:"configs"`
	Code      string            `json:"code"`
	SourceMap []byte            `json:"sourceMap"`
	Imports   []string          `json:"imports"`
}

// configFiles are the files whose settings change how esbuild compiles a source below them.
var configFiles = []string{"tsconfig.json", "jsconfig.json", "package.json"}

// executableIdentity names the running mailscript build: its path, size and modification time.
var executableIdentity = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	st, err := os.Stat(exe)
	if err != nil {
		return ""
	}
	return exe + "\x00" + strconv.FormatInt(st.Size(), 10) + "\x00" + strconv.FormatInt(st.ModTime().UnixNano(), 10)
})

// compileCached is Compile through the bundle cache in dir ("" means no cache). The cache is
// an optimisation only: an entry that cannot be read or written is compiled as if absent.
func compileCached(path, dir string) (*Module, error) {
	id := executableIdentity()
	if dir == "" || id == "" {
		return Compile(path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return Compile(path)
	}
	sum := sha256.Sum256([]byte(id + "\x00" + abs))
	file := filepath.Join(dir, hex.EncodeToString(sum[:16])+".json")
	if m := readCacheEntry(file, abs); m != nil {
		return m, nil
	}
	started := time.Now()
	m, err := Compile(path)
	if err == nil {
		writeCacheEntry(dir, file, m, started)
	}
	return m, err
}

func readCacheEntry(file, abs string) *Module {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	var e cacheEntry
	if json.Unmarshal(b, &e) != nil || len(e.Files) == 0 || e.Code == "" {
		return nil
	}
	for path, want := range e.Files {
		if got, err := fileHash(path); err != nil || got != want {
			return nil
		}
	}
	for path, want := range e.Configs {
		got, err := fileHash(path)
		if errors.Is(err, fs.ErrNotExist) {
			got, err = "", nil
		}
		if err != nil || got != want {
			return nil
		}
	}
	// Pruning goes by modification time; an entry in use is touched once a day.
	if st, err := os.Stat(file); err == nil && time.Since(st.ModTime()) > 24*time.Hour {
		now := time.Now()
		_ = os.Chtimes(file, now, now)
	}
	return &Module{Path: abs, Code: e.Code, SourceMap: e.SourceMap, Imports: e.Imports}
}

// writeCacheEntry stores m unless one of its sources changed after compiling started (a save
// during the compile could pair the new content with the old bundle), then prunes old entries.
func writeCacheEntry(dir, file string, m *Module, started time.Time) {
	e := cacheEntry{Files: make(map[string]string, len(m.Imports)), Configs: map[string]string{}, Code: m.Code, SourceMap: m.SourceMap, Imports: m.Imports}
	for _, path := range m.Imports {
		st, err := os.Stat(path)
		if err != nil || !st.ModTime().Before(started) {
			return
		}
		if e.Files[path], err = fileHash(path); err != nil {
			return
		}
		for dir := filepath.Dir(path); ; dir = filepath.Dir(dir) {
			for _, name := range configFiles {
				c := filepath.Join(dir, name)
				if _, seen := e.Configs[c]; seen {
					continue
				}
				switch h, err := fileHash(c); {
				case err == nil:
					e.Configs[c] = h
				case errors.Is(err, fs.ErrNotExist):
					e.Configs[c] = ""
				default:
					return
				}
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	b, err := json.Marshal(e)
	if err != nil || os.MkdirAll(dir, 0o700) != nil {
		return
	}
	tmp, err := os.CreateTemp(dir, ".bundle-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(b)
	if cerr := tmp.Close(); werr != nil || cerr != nil || os.Rename(tmp.Name(), file) != nil {
		_ = os.Remove(tmp.Name())
		return
	}
	pruneCache(dir)
}

func pruneCache(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, d := range entries {
		if info, err := d.Info(); err == nil && time.Since(info.ModTime()) > bundleCacheMaxAge {
			_ = os.Remove(filepath.Join(dir, d.Name()))
		}
	}
}

func fileHash(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
