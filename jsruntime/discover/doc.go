// Package discover turns the paths given to `mailscript run` into the sorted list of test files,
// and splits that list into deterministic shards for CI matrices (--shard i/n).
// It only reads directory listings: it never opens, parses or runs the files it finds.
package discover
