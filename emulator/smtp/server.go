package smtp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	gosmtp "github.com/emersion/go-smtp"

	"github.com/mailscript/mailscript/emulator/store"
)

// The limits a client meets, as the hosted services set them.
const (
	// MaxMessageBytes is Exchange Online's default message size limit, 35 MB, advertised in
	// SIZE; a larger message gets 552 5.3.4.
	MaxMessageBytes = 35 << 20
	// MaxRecipients per message is Exchange Online's; RCPT beyond it gets 452 4.5.3.
	MaxRecipients = 500
	// maxLineLength bounds one line of a command or of DATA (RFC 5321 asks for 1,000; real
	// servers take more, and applications' 8-bit HTML often has long lines). Beyond it the
	// server answers 500 5.4.0 and closes the connection.
	maxLineLength = 64 << 10
	// readTimeout and writeTimeout are RFC 5321's minimums for an idle command wait (5
	// minutes) and a data block (3 minutes), rounded up to one value each.
	readTimeout  = 5 * time.Minute
	writeTimeout = 3 * time.Minute
)

// Config configures Start.
type Config struct {
	// Addr is a loopback host:port; port 0 picks a free one.
	Addr string
	// TLS enables STARTTLS with this configuration; nil means plain SMTP only.
	TLS *tls.Config
	// User and Password, when set, are the only PLAIN/LOGIN credentials accepted, and sending
	// requires AUTH. Unset, any credentials pass and AUTH is optional. XOAUTH2 always wants
	// an access token the emulator issued.
	User, Password string
	// Hostname names the server in its greeting and Received fields; empty means localhost.
	Hostname string
	// Logger receives connection errors at debug level; nil discards.
	Logger *slog.Logger
}

// Server is a running SMTP listener.
type Server struct {
	cfg   Config
	store *store.Store
	srv   *gosmtp.Server
	ln    net.Listener
}

// Start listens on cfg.Addr and serves until ctx ends or Close is called.
func Start(ctx context.Context, st *store.Store, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Hostname == "" {
		cfg.Hostname = "localhost"
	}
	if (cfg.User == "") != (cfg.Password == "") {
		return nil, errors.New("smtp: give both a user and a password (--smtp-auth USER:PASS), or neither")
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("emulator: SMTP listen on %s: %w (choose another --smtp-port)", cfg.Addr, err)
	}
	s := &Server{cfg: cfg, store: st, ln: ln}
	srv := gosmtp.NewServer(gosmtp.BackendFunc(s.newSession))
	srv.Domain = cfg.Hostname
	srv.TLSConfig = cfg.TLS
	srv.MaxMessageBytes = MaxMessageBytes
	srv.MaxRecipients = MaxRecipients
	srv.MaxLineLength = maxLineLength
	srv.ReadTimeout, srv.WriteTimeout = readTimeout, writeTimeout
	srv.EnableSMTPUTF8 = true
	// Loopback only, so AUTH before STARTTLS exposes nothing; clients that never start TLS
	// (a plain emulator) must still be able to log in as they do against their real server.
	srv.AllowInsecureAuth = true
	srv.ErrorLog = slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelDebug)
	s.srv = srv
	go func() {
		if err := srv.Serve(ln); err != nil {
			cfg.Logger.Error("SMTP server stopped", "err", err)
		}
	}()
	go func() {
		<-ctx.Done()
		_ = s.Close()
	}()
	return s, nil
}

// Addr is the listening host:port, like 127.0.0.1:2525.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops listening and drops open connections; mail whose DATA had ended is stored.
func (s *Server) Close() error {
	err := s.srv.Close()
	if errors.Is(err, gosmtp.ErrServerClosed) {
		return nil
	}
	return err
}
