// Package parity holds tests only: both providers, through their real clients, against one
// emulator, reading the same mail and sharing one mailbox between parallel tests, so that a
// script behaves the same whichever service it is pointed at. It has no code of its own.
package parity
