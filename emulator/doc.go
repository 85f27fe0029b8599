// Package emulator runs the loopback Microsoft 365 and Google Workspace emulator: one store,
// the Graph and Gmail faces, seeds, faults, request counters and the /_emulator inspection API.
// It speaks only HTTP; it knows nothing of JavaScript or of mailscript's providers.
package emulator
