// Package microsoft365 is the Microsoft 365 mail provider: it implements providers.Mailbox on
// Microsoft Graph (msgraph-sdk-go plus plain HTTP where exact wire control matters), with Entra
// app-only authentication. It must not import goja or the emulator (tests may use the emulator).
package microsoft365
