package jsruntime

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/evanw/esbuild/pkg/api"
)

// The bundle cache keeps what Compile made of a script, as Jest and Deno keep their
// transforms, so that running a file whose sources have not changed skips esbuild: a run of a
// one-test file then takes 5 MB less memory. An entry is keyed by the script's path and the
// mailscript executable (a rebuilt or upgraded mailscript never reads an older entry), and is
// used only while every file in the bundle has the bytes esbuild compiled, the folders that
// hold them list the same files (a new helper.ts next to helper.js changes what an import
// finds), and the settings files esbuild reads are unchanged.

// bundleCacheMaxAge is how long an entry that is not used stays in the cache.
const bundleCacheMaxAge = 30 * 24 * time.Hour

// cacheEntryName matches the files the cache writes; pruning touches nothing else.
var cacheEntryName = regexp.MustCompile(`^(?:[0-9a-f]{32}\.json|\.bundle-[0-9]+)$`)

type cacheEntry struct {
	Files map[string]string `json:"files"` // absolute path → sha256 of the bytes compiled
	Dirs  map[string]string `json:"dirs"`  // folder → sha256 of its listing when compiled
	// Configs are the settings files esbuild may read next to the sources and above them:
	// path → sha256, or "" when absent, so that one appearing counts as a change too.
	Configs   map[string]string `json:"configs"`
	Code      string            `json:"code"`
	SourceMap []byte            `json:"sourceMap"`
	Imports   []string          `json:"imports"`
}

// configFiles are the files whose settings change how esbuild compiles a source below them.
var configFiles = []string{"tsconfig.json", "jsconfig.json", "package.json"}

// sourceRecord collects, during a build, the hash of the bytes esbuild loaded for each file and
// of the file's folder listing at that moment, which precedes resolving the file's imports.
type sourceRecord struct {
	mu    sync.Mutex
	files map[string]string
	dirs  map[string]string
}

// plugin loads every local source itself, so that what is hashed is exactly what is compiled.
// Files without a loader of ours are left to esbuild, which reports them.
func (r *sourceRecord) plugin() api.Plugin {
	return api.Plugin{Name: "mailscript-sources", Setup: func(b api.PluginBuild) {
		b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: "file"}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
			loader, ok := loaders[strings.ToLower(filepath.Ext(args.Path))]
			if !ok {
				return api.OnLoadResult{}, nil
			}
			data, err := os.ReadFile(args.Path)
			if err != nil {
				return api.OnLoadResult{}, nil // esbuild reads it again and says what is wrong
			}
			dir := filepath.Dir(args.Path)
			r.mu.Lock()
			r.files[args.Path] = hashBytes(data)
			_, seen := r.dirs[dir]
			r.mu.Unlock()
			if !seen {
				listing, _ := dirListing(dir)
				r.mu.Lock()
				if _, seen := r.dirs[dir]; !seen {
					r.dirs[dir] = listing
				}
				r.mu.Unlock()
			}
			contents := string(data)
			return api.OnLoadResult{Contents: &contents, Loader: loader}, nil
		})
	}}
}

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
// an optimisation only: an entry that cannot be read or written is compiled as if absent, and
// a folder that others could write to is not used at all (an entry is code that will run).
func compileCached(path, dir string) (*Module, error) {
	id := executableIdentity()
	if dir == "" || id == "" {
		return Compile(path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return Compile(path)
	}
	if os.MkdirAll(dir, 0o700) != nil || !privateDir(dir) {
		return Compile(path)
	}
	sum := sha256.Sum256([]byte(id + "\x00" + abs))
	file := filepath.Join(dir, hex.EncodeToString(sum[:16])+".json")
	if m := readCacheEntry(file, abs); m != nil {
		return m, nil
	}
	m, err := Compile(path)
	if err == nil {
		writeCacheEntry(dir, file, m)
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
	for dir, want := range e.Dirs {
		if got, err := dirListing(dir); err != nil || got != want {
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

// writeCacheEntry stores m with the hashes of what it was compiled from, then prunes old
// entries. A bundle whose settings extend another file is not kept: following "extends" is
// esbuild's business, and a change there would go unnoticed.
func writeCacheEntry(dir, file string, m *Module) {
	if m.sources == nil {
		return
	}
	m.sources.mu.Lock()
	e := cacheEntry{Files: map[string]string{}, Dirs: map[string]string{}, Configs: map[string]string{},
		Code: m.Code, SourceMap: m.SourceMap, Imports: m.Imports}
	for _, path := range m.Imports {
		h, ok := m.sources.files[path]
		if !ok {
			m.sources.mu.Unlock()
			return
		}
		e.Files[path] = h
		e.Dirs[filepath.Dir(path)] = m.sources.dirs[filepath.Dir(path)]
	}
	m.sources.mu.Unlock()
	for _, path := range m.Imports {
		for d := filepath.Dir(path); ; d = filepath.Dir(d) {
			if !recordConfigs(e.Configs, d) {
				return
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	b, err := json.Marshal(e)
	if err != nil {
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

// recordConfigs adds the settings files of folder d to configs (hash, or "" when absent). It
// reports false when one cannot be read or extends another, and the bundle must not be kept.
func recordConfigs(configs map[string]string, d string) bool {
	for _, name := range configFiles {
		c := filepath.Join(d, name)
		if _, seen := configs[c]; seen {
			continue
		}
		data, err := os.ReadFile(c)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			configs[c] = ""
		case err != nil:
			return false
		case name != "package.json" && strings.Contains(string(data), `"extends"`):
			return false
		default:
			configs[c] = hashBytes(data)
		}
	}
	return true
}

// pruneCache removes the cache's own files that were not used for bundleCacheMaxAge; anything
// else in the folder is left alone.
func pruneCache(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, d := range entries {
		if !d.Type().IsRegular() || !cacheEntryName.MatchString(d.Name()) {
			continue
		}
		if info, err := d.Info(); err == nil && time.Since(info.ModTime()) > bundleCacheMaxAge {
			_ = os.Remove(filepath.Join(dir, d.Name()))
		}
	}
}

// dirListing hashes a folder's entry names (and kinds), which decide what an import resolves to.
func dirListing(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, e := range entries {
		kind := byte('f')
		switch {
		case e.IsDir():
			kind = 'd'
		case e.Type()&fs.ModeSymlink != 0:
			kind = 'l'
		}
		b.WriteString(e.Name())
		b.WriteByte(kind)
		b.WriteByte(0)
	}
	return hashBytes([]byte(b.String())), nil
}

func fileHash(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return hashBytes(b), nil
}

func hashBytes(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
