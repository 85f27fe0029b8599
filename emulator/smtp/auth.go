package smtp

import (
	"bytes"
	"strings"

	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"

	"github.com/mailscript/mailscript/emulator/store"
)

// errAuthFailed is Exchange Online's answer to bad credentials.
var errAuthFailed = &gosmtp.SMTPError{Code: 535, EnhancedCode: gosmtp.EnhancedCode{5, 7, 3}, Message: "Authentication unsuccessful"}

// xoauth2 is the SASL mechanism Exchange Online and Gmail take an OAuth access token with.
const xoauth2 = "XOAUTH2"

// AuthMechanisms are those applications' SMTP libraries use with the two services.
func (se *session) AuthMechanisms() []string {
	return []string{sasl.Plain, sasl.Login, xoauth2}
}

func (se *session) Auth(mech string) (sasl.Server, error) {
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(_, user, pass string) error { return se.login(user, pass) }), nil
	case sasl.Login:
		return &loginServer{check: se.login}, nil
	case xoauth2:
		return &xoauth2Server{check: se.bearer}, nil
	}
	return nil, gosmtp.ErrAuthUnknownMechanism
}

func (se *session) login(user, pass string) error {
	c := se.srv.cfg
	if c.User != "" && (user != c.User || pass != c.Password) {
		return errAuthFailed
	}
	se.user = user
	return nil
}

// bearer accepts an unexpired access token the emulator issued for the user: a Google token
// whose subject is the user, or a Microsoft token of the tenant that hosts the user's mailbox.
func (se *session) bearer(user, token string) error {
	st := se.srv.store
	tok, ok := st.LookupToken(token)
	if !ok || !tok.ExpiresAt.After(st.Now()) {
		return errAuthFailed
	}
	mb, ok := st.Mailbox(user)
	switch {
	case !ok || mb.Kind != tok.Kind:
		return errAuthFailed
	case tok.Kind == store.Google && !strings.EqualFold(tok.Subject, mb.Address):
		return errAuthFailed
	case tok.Kind == store.Microsoft && tok.TenantID != mb.TenantID:
		return errAuthFailed
	}
	se.user = mb.Address
	return nil
}

// loginServer is the LOGIN mechanism (draft-murchison-sasl-login): the server asks for the
// user name, then the password; a client may send the user name with the AUTH command.
type loginServer struct {
	check func(user, pass string) error
	user  []byte
	step  int
}

func (l *loginServer) Next(response []byte) (challenge []byte, done bool, err error) {
	switch l.step {
	case 0:
		l.step = 1
		if response == nil {
			return []byte("Username:"), false, nil
		}
		fallthrough
	case 1:
		l.user, l.step = response, 2
		return []byte("Password:"), false, nil
	default:
		return nil, true, l.check(string(l.user), string(response))
	}
}

// xoauth2Server is the XOAUTH2 mechanism: one message
// "user=" user ^A "auth=Bearer " token ^A ^A (Google's and Microsoft's documented format).
type xoauth2Server struct {
	check func(user, token string) error
	asked bool
}

func (x *xoauth2Server) Next(response []byte) (challenge []byte, done bool, err error) {
	if response == nil && !x.asked {
		x.asked = true
		return []byte{}, false, nil
	}
	user, token, err := parseXOAUTH2(response)
	if err != nil {
		return nil, true, err
	}
	return nil, true, x.check(user, token)
}

var errXOAUTH2Syntax = &gosmtp.SMTPError{Code: 501, EnhancedCode: gosmtp.EnhancedCode{5, 5, 2}, Message: `XOAUTH2: want base64 of "user=ADDRESS\x01auth=Bearer TOKEN\x01\x01"`}

func parseXOAUTH2(b []byte) (user, token string, err error) {
	if !bytes.HasSuffix(b, []byte("\x01\x01")) {
		return "", "", errXOAUTH2Syntax
	}
	for _, kv := range strings.Split(string(b[:len(b)-2]), "\x01") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return "", "", errXOAUTH2Syntax
		}
		switch strings.ToLower(k) {
		case "user":
			user = v
		case "auth":
			scheme, t, ok := strings.Cut(v, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") {
				return "", "", errXOAUTH2Syntax
			}
			token = strings.TrimSpace(t)
		}
	}
	if user == "" || token == "" {
		return "", "", errXOAUTH2Syntax
	}
	return user, token, nil
}
