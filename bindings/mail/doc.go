// Package mail is the script's `mail` global: mail.connect returns a Mailbox object whose
// methods validate their arguments on the loop and run the provider call in a goroutine,
// settling a promise. It converts between JS values and package providers' types only.
package mail
