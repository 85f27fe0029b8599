// Package watch re-runs test files as they are saved: each change runs the test files it
// affects, found through the imports esbuild bundles. File events, keys and the clock are
// injected, so that the loop runs in-process in tests; it never touches the terminal itself.
package watch
