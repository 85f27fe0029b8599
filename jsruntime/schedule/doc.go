// Package schedule runs many test files: in parallel, one VM each, with --bail and
// interruption, feeding one serialized reporter. It schedules files; running one file is
// package runtime's job, and a file's describe blocks are runtime's too (runtime/describe.go).
package schedule
