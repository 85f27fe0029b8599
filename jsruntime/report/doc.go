// Package report holds the results of a test run and writes them for people and CI systems:
// pretty and dots console output, JSON and JUnit XML files. It knows nothing of the VM: the
// runtime hands it plain results whose errors already point at the user's sources.
package report
