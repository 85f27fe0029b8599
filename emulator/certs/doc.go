// Package certs gives the emulator its https and STARTTLS certificates: a CA generated once
// and kept in the user's config folder (so that applications trust one file across runs), and
// a short-lived leaf for 127.0.0.1, ::1 and localhost signed by it. It never trusts anything.
package certs
