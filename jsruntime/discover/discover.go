package discover

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// scriptExts are the extensions the runtime can load.
var scriptExts = []string{".js", ".mjs", ".cjs", ".ts", ".mts"}

// IsScript reports whether name has an extension the runtime can load.
func IsScript(name string) bool {
	return slices.Contains(scriptExts, path.Ext(name))
}

// IsTestFile reports whether a file found in a folder is a test file:
// *.test.EXT or *.spec.EXT, with EXT one of the script extensions.
func IsTestFile(name string) bool {
	base := path.Base(filepath.ToSlash(name))
	if !IsScript(base) {
		return false
	}
	stem := strings.TrimSuffix(base, path.Ext(base))
	for _, kind := range []string{".test", ".spec"} {
		if strings.HasSuffix(stem, kind) && len(stem) > len(kind) {
			return true
		}
	}
	return false
}

// skipDir tells which folders below a given folder are never searched:
// dependencies and hidden folders (.git, .cache, ...).
func skipDir(name string) bool {
	return name == "node_modules" || strings.HasPrefix(name, ".")
}

// Files expands paths on the operating system's file system. A path naming
// a file is taken whatever its name, as long as it is a script; a folder
// contributes every test file below it (see IsTestFile), except those in
// node_modules and hidden folders. The result is cleaned, without
// duplicates, and sorted, so that every machine of a CI matrix sees the same
// list. A path that does not exist is an error naming it.
func Files(paths []string) ([]string, error) {
	// The trailing separator makes WalkDir follow a folder given as a symlink.
	walk := func(root string, fn fs.WalkDirFunc) error {
		return filepath.WalkDir(root+string(filepath.Separator), fn)
	}
	return expand(paths, tree{stat: os.Stat, walk: walk, clean: filepath.Clean})
}

// FilesFS is Files within fsys; paths are slash-separated and relative to
// its root.
func FilesFS(fsys fs.FS, paths []string) ([]string, error) {
	return expand(paths, tree{
		stat:  func(p string) (fs.FileInfo, error) { return fs.Stat(fsys, p) },
		walk:  func(root string, fn fs.WalkDirFunc) error { return fs.WalkDir(fsys, root, fn) },
		clean: path.Clean,
	})
}

// tree abstracts the two file systems Files and FilesFS search.
type tree struct {
	stat  func(string) (fs.FileInfo, error)
	walk  func(string, fs.WalkDirFunc) error
	clean func(string) string
}

func expand(paths []string, t tree) ([]string, error) {
	seen := map[string]bool{}
	var files []string
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
	}
	for _, arg := range paths {
		p := t.clean(arg)
		info, err := t.stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("%s: no such file or folder", arg)
		case err != nil:
			return nil, fmt.Errorf("%s: %w", arg, err)
		case !info.IsDir():
			if !IsScript(p) {
				return nil, fmt.Errorf("%s: not a script: give a %s file or a folder", arg, strings.Join(scriptExts, ", "))
			}
			add(p)
			continue
		}
		err = t.walk(p, func(name string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return fmt.Errorf("searching %s: %w", arg, err)
			case d.IsDir() && t.clean(name) != p && skipDir(d.Name()):
				return fs.SkipDir
			case !d.IsDir() && IsTestFile(d.Name()):
				add(name)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	slices.Sort(files)
	return files, nil
}
