// Package smtptest sends mail to the emulator's SMTP listener from tests, with the standard
// library's client as an application written in Go would.
package smtptest

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/smtp"
)

// Send delivers msg in one transaction: STARTTLS verified against roots when roots is not
// nil, then AUTH when auth is not nil. It returns the first error, a *textproto.Error for a
// refusal.
func Send(addr string, roots *x509.CertPool, auth smtp.Auth, from string, to []string, msg string) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if roots != nil {
		if err := c.StartTLS(&tls.Config{RootCAs: roots, ServerName: "127.0.0.1"}); err != nil {
			return err
		}
	}
	if auth != nil {
		if err := c.Auth(auth); err != nil {
			return err
		}
	}
	if err := Transact(c, from, to, msg); err != nil {
		return err
	}
	return c.Quit()
}

// XOAUTH2 is the XOAUTH2 mechanism for net/smtp, as applications write it for Gmail and
// Exchange Online: one message with the user and the bearer token.
type XOAUTH2 struct{ User, Token string }

// Start sends the whole credential as the initial response.
func (a XOAUTH2) Start(*smtp.ServerInfo) (string, []byte, error) {
	return "XOAUTH2", []byte("user=" + a.User + "\x01auth=Bearer " + a.Token + "\x01\x01"), nil
}

// Next accepts the server's final answer; a challenge means the server refused the token.
func (a XOAUTH2) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("unexpected XOAUTH2 challenge")
	}
	return nil, nil
}

// Transact runs one MAIL, RCPT..., DATA transaction on an open client and returns the error
// of the first step that failed.
func Transact(c *smtp.Client, from string, to []string, msg string) error {
	if err := c.Mail(from); err != nil {
		return err
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, msg); err != nil {
		return err
	}
	return w.Close()
}
