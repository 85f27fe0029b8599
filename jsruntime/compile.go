package jsruntime

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// Module is a script bundled with its local imports into one program for goja.
type Module struct {
	Path      string   // absolute path of the entry file
	Code      string   // the bundle, wrapped in an async function so top-level await works
	SourceMap []byte   // maps Code back to the original files, columns prepared for goja
	Imports   []string // absolute paths of every source file in the bundle, the entry included, sorted

	// sources is what the bundle was made of, for the bundle cache: the sha256 of the bytes
	// esbuild loaded for each file, and of each such file's folder listing when it loaded.
	sources *sourceRecord
}

// bundleName is the name the generated program carries next to its entry file; source map
// paths are relative to its folder.
func bundleName(entry string) string { return entry + ".bundle.js" }

const (
	entryNamespace = "<mailscript>"
	// The wrapper makes top-level await legal in goja; esbuild offsets the source map for it.
	wrapStart = "(async () => {"
	wrapEnd   = "})()"
)

var loaders = map[string]api.Loader{
	".js": api.LoaderJS, ".mjs": api.LoaderJS, ".cjs": api.LoaderJS,
	".ts": api.LoaderTS, ".mts": api.LoaderTS, ".cts": api.LoaderTS,
	".json": api.LoaderJSON,
}

// Compile bundles the script at path with esbuild: TypeScript types are stripped, local
// imports and requires are inlined, and anything else (node:fs, npm packages) is refused. A
// script that cannot be bundled gives a *CompileError.
func Compile(path string) (*Module, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(abs); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("cannot read %s: no such file", path)
		}
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	} else if st.IsDir() {
		return nil, fmt.Errorf("cannot run %s: it is a folder, not a script", path)
	}
	entry, _ := json.Marshal(abs)
	sources := &sourceRecord{files: map[string]string{}, dirs: map[string]string{}}
	res := api.Build(api.BuildOptions{
		// Importing the script from a synthetic entry keeps its exports out of the bundle: no
		// trailing `export {...}` for goja to choke on.
		Stdin: &api.StdinOptions{
			Contents:   "import " + string(entry) + ";",
			ResolveDir: filepath.Dir(abs),
			Sourcefile: entryNamespace,
		},
		AbsWorkingDir: filepath.Dir(abs),
		Outfile:       bundleName(abs),
		Bundle:        true,
		Write:         false,
		Format:        api.FormatESModule,
		Target:        api.ESNext,
		Platform:      api.PlatformNeutral,
		Sourcemap:     api.SourceMapExternal,
		Loader:        loaders,
		Banner:        map[string]string{"js": wrapStart},
		Footer:        map[string]string{"js": wrapEnd},
		Metafile:      true,
		LogLevel:      api.LogLevelSilent,
		Plugins:       []api.Plugin{localOnly, sources.plugin()},
	})
	if len(res.Errors) > 0 {
		return nil, newCompileError(res.Errors, filepath.Dir(abs))
	}
	m := &Module{Path: abs, sources: sources}
	for _, f := range res.OutputFiles {
		if strings.HasSuffix(f.Path, ".map") {
			m.SourceMap = gojaColumns(f.Contents)
		} else {
			m.Code = string(f.Contents)
		}
	}
	m.Imports, err = bundledFiles(res.Metafile, filepath.Dir(abs))
	return m, err
}

// bundledFiles lists the source files of a bundle from esbuild's metafile.
func bundledFiles(metafile, dir string) ([]string, error) {
	var meta struct {
		Inputs map[string]json.RawMessage `json:"inputs"`
	}
	if err := json.Unmarshal([]byte(metafile), &meta); err != nil {
		return nil, fmt.Errorf("reading esbuild's metafile: %w", err)
	}
	files := make([]string, 0, len(meta.Inputs))
	for in := range meta.Inputs {
		if in == entryNamespace {
			continue
		}
		files = append(files, filepath.Join(dir, filepath.FromSlash(in)))
	}
	sort.Strings(files)
	return files, nil
}

// localOnly refuses bare imports with a message that says what scripts can import.
var localOnly = api.Plugin{
	Name: "mailscript",
	Setup: func(b api.PluginBuild) {
		b.OnResolve(api.OnResolveOptions{Filter: `^[^./]`}, func(args api.OnResolveArgs) (api.OnResolveResult, error) {
			if filepath.IsAbs(args.Path) {
				return api.OnResolveResult{}, nil
			}
			return api.OnResolveResult{}, fmt.Errorf("cannot import %q: scripts run without Node.js built-ins or npm packages; "+
				"import local files with a relative path like './helpers.ts'", args.Path)
		})
	},
}
