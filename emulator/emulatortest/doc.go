// Package emulatortest starts the emulator for Go tests, like net/http/httptest does servers:
// on a free loopback port, with its files in the test's temporary folders, closed when the
// test ends. Test code only; the emulator's own tests (package emulator) cannot use it.
package emulatortest
