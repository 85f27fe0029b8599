// Package google is the Google Workspace provider: a providers.Mailbox over the Gmail API,
// authenticated as a service account impersonating a user through domain-wide delegation.
// It must not import goja or the emulator; its tests use the emulator.
package google
