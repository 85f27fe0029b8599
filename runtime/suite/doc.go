// Package suite runs many test files: in parallel, one VM each, with --bail and interruption,
// feeding one serialized reporter. It schedules files; running one file is package runtime's job.
package suite
