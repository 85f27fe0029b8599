package smtp

import (
	"fmt"
	"io"
	"net"
	"time"

	gosmtp "github.com/emersion/go-smtp"

	"github.com/mailscript/mailscript/emulator/store"
)

var errAuthRequired = &gosmtp.SMTPError{Code: 530, EnhancedCode: gosmtp.EnhancedCode{5, 7, 0}, Message: "Authentication required: this emulator was started with --smtp-auth"}

// session is one SMTP connection's transaction state; go-smtp calls it from the connection's
// goroutine only, and checks the command order (MAIL before RCPT before DATA) itself.
type session struct {
	srv   *Server
	conn  *gosmtp.Conn
	user  string // the authenticated user, "" before AUTH
	from  string
	rcpts []string
}

func (s *Server) newSession(c *gosmtp.Conn) (gosmtp.Session, error) {
	return &session{srv: s, conn: c}, nil
}

func (se *session) Mail(from string, _ *gosmtp.MailOptions) error {
	if se.srv.cfg.User != "" && se.user == "" {
		return errAuthRequired
	}
	se.from, se.rcpts = from, nil
	return nil
}

func (se *session) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	se.rcpts = append(se.rcpts, to)
	return nil
}

// Data reads the whole message (go-smtp stops it at MaxMessageBytes with 552) and stores it;
// a client that disconnects mid-DATA leaves nothing behind.
func (se *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	env := store.Envelope{From: se.from, To: se.rcpts}
	if _, err := se.srv.store.Receive(raw, env, se.trace()); err != nil {
		return &gosmtp.SMTPError{Code: 554, EnhancedCode: gosmtp.EnhancedCode{5, 6, 0}, Message: "Message not stored: " + err.Error()}
	}
	return nil
}

// trace is what an MTA puts on top of a message it accepts: the envelope sender in
// Return-Path and a Received field (RFC 5321 section 4.4, with RFC 3848's protocol names).
func (se *session) trace() []store.Header {
	proto := "ESMTP"
	if _, ok := se.conn.TLSConnectionState(); ok {
		proto += "S"
	}
	if se.user != "" {
		proto += "A"
	}
	ip := "unknown"
	if a, ok := se.conn.Conn().RemoteAddr().(*net.TCPAddr); ok {
		ip = a.IP.String()
	}
	forClause := ""
	if len(se.rcpts) == 1 {
		forClause = " for <" + se.rcpts[0] + ">"
	}
	received := fmt.Sprintf("from %s ([%s]) by %s (mailscript emulator) with %s%s; %s",
		se.conn.Hostname(), ip, se.srv.cfg.Hostname, proto, forClause, se.srv.store.Now().Format(time.RFC1123Z))
	return []store.Header{{Name: "Return-Path", Value: "<" + se.from + ">"}, {Name: "Received", Value: received}}
}

func (se *session) Reset() {
	se.from, se.rcpts = "", nil
}

func (se *session) Logout() error { return nil }
