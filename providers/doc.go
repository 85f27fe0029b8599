// Package providers defines what every mail service implements for mailscript: the Mailbox
// interface, the shared message types, the error codes scripts see, the registry that
// mail.connect dispatches through, and Shared, the state one run's mailboxes share. It must not
// import goja or any concrete provider.
package providers
