package emulator

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mailscript/mailscript/emulator/gmail"
	"github.com/mailscript/mailscript/emulator/graph"
	"github.com/mailscript/mailscript/emulator/smtp"
	"github.com/mailscript/mailscript/emulator/store"
)

// Config configures Start. The zero value serves the default seed on a free loopback port.
type Config struct {
	// Addr is the listen address; empty means 127.0.0.1:0 (a free port). Only loopback
	// addresses are accepted: the emulator has no real security.
	Addr string
	// SeedDir holds seed.json and .eml files (see LoadSeed); empty means the default seed.
	SeedDir string
	// Latency is added to every API request.
	Latency time.Duration
	// ServiceTime, GraphConcurrency, GraphRequestLimit, GmailQuotaRate and GmailConcurrency
	// are the cost model (see Faults); zero means none.
	ServiceTime       time.Duration
	GraphConcurrency  int
	GraphRequestLimit int
	GmailQuotaRate    int
	GmailConcurrency  int
	// Realistic gives every cost-model setting and Latency left zero its value in the
	// Realistic preset.
	Realistic bool
	// MailboxConcurrency is the deprecated name of GraphConcurrency, used when that is zero.
	MailboxConcurrency int
	// Fail maps an HTTP status (429, 500, 503) to the probability of failing an API request
	// with it, in the service's error shape.
	Fail map[int]float64
	// Drop is the probability of closing the connection before the request is served.
	Drop float64
	// DropAfter is the probability of serving the request and then closing the connection
	// without the answer, so its effects happen but the client never learns of them.
	DropAfter float64
	// FaultSignIn applies Latency, Fail, Drop and DropAfter to the token endpoints too.
	FaultSignIn bool
	// TokenTTL is the lifetime of issued access tokens; zero means one hour.
	TokenTTL time.Duration
	// Logger receives one line per request and lifecycle events at Info, net/http's errors
	// (handler panics included) at Error; nil discards.
	Logger *slog.Logger
	// KeyDir is where the Google service account key file is written; empty means a new
	// temporary directory, removed by Close.
	KeyDir string
	// SMTPAddr is the SMTP listen address (loopback only); empty means 127.0.0.1:0.
	SMTPAddr string
	// SMTPUser and SMTPPassword, when set, are the only SMTP AUTH PLAIN/LOGIN credentials
	// accepted and sending requires AUTH; unset, any credentials pass.
	SMTPUser, SMTPPassword string
	// TLS serves every face over https and offers SMTP STARTTLS, with a certificate for
	// 127.0.0.1, ::1 and localhost from the emulator's CA, or TLSCertFile/TLSKeyFile.
	TLS bool
	// CADir is the folder of the emulator's CA; empty means certs.DefaultDir.
	CADir string
	// TLSCertFile and TLSKeyFile are PEM files to serve instead of the CA's certificate.
	TLSCertFile, TLSKeyFile string
}

// Server is a running emulator.
type Server struct {
	cfg      Config
	store    *store.Store
	seed     *Seed
	listener net.Listener
	http     *http.Server
	smtp     *smtp.Server
	url      string
	caFile   string // the CA applications trust with --tls; empty otherwise
	keyDir   string
	ownsKeys bool
	keys     map[string]*googleKey // by client email
	keyOrder []string
	faults   atomic.Pointer[Faults]
	counts   counters
	limiter  limiter
	cost     costState
	roll     func() float64 // draws fault outcomes; tests replace it to script them
	beat     atomic.Int64   // event streams' heartbeat interval; zero means defaultHeartbeat (tests shorten it)
	done     chan struct{}
	closeErr error
	once     sync.Once
}

// Start listens, seeds the store and serves until ctx ends or Close is called.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	addr := cfg.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if err := checkLoopback(addr); err != nil {
		return nil, err
	}
	faults := cfg.faults()
	if err := faults.validate(); err != nil {
		return nil, err
	}
	seed, err := loadConfiguredSeed(cfg.SeedDir)
	if err != nil {
		return nil, err
	}
	smtpAddr := cfg.SMTPAddr
	if smtpAddr == "" {
		smtpAddr = "127.0.0.1:0"
	}
	if err := checkLoopback(smtpAddr); err != nil {
		return nil, err
	}
	var tlsConf *tls.Config
	scheme, caFile := "http", ""
	if cfg.TLS {
		if tlsConf, caFile, err = cfg.serverTLS(); err != nil {
			return nil, err
		}
		scheme = "https"
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("emulator: listen on %s: %w (choose another --port)", addr, err)
	}
	s := &Server{cfg: cfg, seed: seed, listener: ln, url: scheme + "://" + ln.Addr().String(), caFile: caFile, done: make(chan struct{}), roll: rand.Float64}
	s.faults.Store(&faults)
	s.store = store.New(store.Options{IDSeed: "mailscript-emulator"})
	if s.keyDir = cfg.KeyDir; s.keyDir == "" {
		if s.keyDir, err = os.MkdirTemp("", "mailscript-emulator-"); err != nil {
			ln.Close()
			return nil, fmt.Errorf("emulator: create key directory: %w", err)
		}
		s.ownsKeys = true
	}
	if err := s.applySeed(); err != nil {
		s.cleanup()
		return nil, err
	}
	s.smtp, err = smtp.Start(ctx, s.store, smtp.Config{Addr: smtpAddr, TLS: tlsConf, User: cfg.SMTPUser, Password: cfg.SMTPPassword, Logger: cfg.Logger})
	if err != nil {
		s.cleanup()
		return nil, err
	}
	s.http = &http.Server{Handler: s.handler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelError)}
	served := ln
	if tlsConf != nil {
		served = tls.NewListener(ln, tlsConf)
	}
	go func() {
		err := s.http.Serve(served)
		if !errors.Is(err, http.ErrServerClosed) {
			cfg.Logger.Error("emulator stopped", "err", err)
		}
	}()
	go func() {
		select {
		case <-ctx.Done():
			_ = s.Close()
		case <-s.done:
		}
	}()
	cfg.Logger.Info("emulator started", "url", s.url, "smtp", s.smtp.Addr())
	return s, nil
}

func (cfg *Config) faults() Faults {
	f := Faults{Latency: cfg.Latency, ServiceTime: cfg.ServiceTime, GraphConcurrency: cfg.GraphConcurrency,
		GraphRequestLimit: cfg.GraphRequestLimit, GmailQuotaRate: cfg.GmailQuotaRate, GmailConcurrency: cfg.GmailConcurrency,
		Fail: cfg.Fail, Drop: cfg.Drop, DropAfter: cfg.DropAfter, SignIn: cfg.FaultSignIn}
	if f.GraphConcurrency == 0 {
		f.GraphConcurrency = cfg.MailboxConcurrency
	}
	if cfg.Realistic {
		f.withDefaults(Realistic())
	}
	return f
}

func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("emulator: address %q: %w (want host:port, e.g. 127.0.0.1:8025)", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("emulator: address %q is not a loopback address: the emulator serves 127.0.0.1 only", addr)
	}
	return nil
}

func (s *Server) handler() http.Handler {
	base, ttl := s.URL, s.cfg.TokenTTL
	graphFace := graph.New(s.store, graph.Options{BaseURL: base, TokenTTL: ttl, Batch: s.batchCalls("graph")})
	gmailFace := gmail.NewHandler(s.store, gmail.Options{BaseURL: base, TokenTTL: ttl, Batch: s.batchCalls("gmail")})
	mux := http.NewServeMux()
	for _, p := range gmail.Prefixes() {
		mux.Handle(p, s.middleware("gmail", gmailFace))
	}
	mux.Handle("/_emulator/", s.inspection())
	graphMW := s.middleware("graph", graphFace)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		switch {
		case graph.Handles(r.URL.Path):
			graphMW.ServeHTTP(w, r)
		case r.URL.Path == "/" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
			viewerPage(w, r)
		default:
			http.NotFound(w, r)
		}
	})
	return s.accessLog(s.guard(mux))
}

// URL is the emulator's root URL, like http://127.0.0.1:8025 (https:// with TLS).
func (s *Server) URL() string { return s.url }

// SMTPAddr is the SMTP listener's host:port, like 127.0.0.1:2525.
func (s *Server) SMTPAddr() string { return s.smtp.Addr() }

// CAFile is the PEM file of the CA that signed the https certificate, empty without TLS or
// with the user's own certificate.
func (s *Server) CAFile() string { return s.caFile }

// Store is the emulator's mail store, for tests that inspect or prepare state directly.
func (s *Server) Store() *store.Store { return s.store }

// Close stops serving and removes the key directory it created.
func (s *Server) Close() error {
	s.once.Do(func() {
		close(s.done)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		s.closeErr = s.http.Shutdown(ctx)
		if errors.Is(s.closeErr, context.DeadlineExceeded) {
			s.closeErr = s.http.Close()
		}
		s.cleanup()
		s.cfg.Logger.Info("emulator stopped", "url", s.url)
	})
	return s.closeErr
}

func (s *Server) cleanup() {
	_ = s.listener.Close()
	if s.smtp != nil {
		_ = s.smtp.Close()
	}
	if s.ownsKeys {
		_ = os.RemoveAll(s.keyDir)
	}
}
