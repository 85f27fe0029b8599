package watch

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/discover"
)

// graph knows the watched test files and the local files each one bundles.
type graph struct {
	roots   []string            // absolute folders and files given on the command line
	imports map[string][]string // test file -> every file of its bundle, itself included
	// broken are the test files whose last compile failed: one that imports a file not
	// written yet knows nothing of it, so a file created later may be what it lacks.
	broken map[string]bool
}

// add records a test file and what it imports now. A file that does not compile (a syntax
// error mid-edit) keeps the imports it had, so its helpers still trigger it.
func (g *graph) add(test string) {
	m, err := jsruntime.Compile(test)
	switch {
	case err == nil:
		g.imports[test] = m.Imports
		delete(g.broken, test)
		return
	case g.imports[test] == nil:
		g.imports[test] = []string{test}
	}
	if g.broken == nil {
		g.broken = map[string]bool{}
	}
	g.broken[test] = true
}

// mended compiles again the test files that did not compile, and returns those that do now
// (the helper they import was written, say), sorted.
func (g *graph) mended() []string {
	var out []string
	for test := range g.broken {
		if g.add(test); !g.broken[test] {
			out = append(out, test)
		}
	}
	slices.Sort(out)
	return out
}

func (g *graph) remove(test string) {
	delete(g.imports, test)
	delete(g.broken, test)
}

// affected lists the test files to run for a changed file, sorted.
func (g *graph) affected(path string) []string {
	var tests []string
	for test, imports := range g.imports {
		if test == path || slices.Contains(imports, path) {
			tests = append(tests, test)
		}
	}
	slices.Sort(tests)
	return tests
}

// isNewTest tells whether path is a test file that the command line's paths select.
func (g *graph) isNewTest(path string) bool {
	if _, known := g.imports[path]; known || !discover.IsTestFile(path) || ignored(path) {
		return false
	}
	for _, root := range g.roots {
		if path == root || strings.HasPrefix(path, root+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

func (g *graph) tests() []string {
	var all []string
	for test := range g.imports {
		all = append(all, test)
	}
	slices.Sort(all)
	return all
}

// folders lists the folders to watch: every root folder and every folder a bundle reads from.
func (g *graph) folders() []string {
	var dirs []string
	for _, imports := range g.imports {
		for _, f := range imports {
			dirs = append(dirs, filepath.Dir(f))
		}
	}
	slices.Sort(dirs)
	return slices.Compact(dirs)
}

// ignored is true for dependencies, version control, and editors' hidden files (Emacs's
// .#name.js locks).
func ignored(path string) bool {
	for _, part := range strings.Split(filepath.ToSlash(path), "/") {
		if part == "node_modules" || part == ".git" {
			return true
		}
	}
	return strings.HasPrefix(filepath.Base(path), ".")
}

// sourceExts are the files a bundle can contain; other writes (editor swap files, reports)
// never trigger a run.
var sourceExts = []string{".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".json"}

func isSource(path string) bool { return slices.Contains(sourceExts, filepath.Ext(path)) }
