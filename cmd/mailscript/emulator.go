package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/emulator/certs"
	"github.com/spf13/pflag"
)

type emulatorConfig struct {
	port     int
	smtpPort int
	smtpAuth string
	tls      bool
	tlsCert  string
	tlsKey   string
	seed     string
	envFile  string
	faults   faultFlags
	logJSON  bool
	showHelp bool
}

// faultFlags are the emulator's fault and limit settings, shared by `emulator` and `run --emulator`.
type faultFlags struct {
	fs           *pflag.FlagSet // to tell flags given from defaults, over the --realistic preset
	latency      time.Duration
	serviceTime  time.Duration
	concurrency  int // --graph-concurrency, or its deprecated name --mailbox-concurrency
	requestLimit int
	gmailRate    int
	gmailConc    int
	realistic    bool
	fail         string
	drop         float64
	dropAfter    float64
	signIn       bool
	tokenTTL     time.Duration
}

func (f *faultFlags) register(fs *pflag.FlagSet) {
	fs.DurationVar(&f.latency, "latency", 0, "emulator: latency added to every request, like 20ms")
	f.fs = fs
	fs.BoolVar(&f.realistic, "realistic", false, "emulator: the services' real limits and costs (--latency 25ms --service-time 120ms --graph-concurrency 4 --graph-request-limit 10000 --gmail-quota-rate 250 --gmail-concurrency 50); flags given with it override its values")
	fs.DurationVar(&f.serviceTime, "service-time", 0, "emulator: time Graph takes to serve each call, inside its concurrency slot, like 120ms")
	fs.IntVar(&f.concurrency, "graph-concurrency", 0, "emulator: Graph calls in progress per app and mailbox (batch calls included) before 429 ApplicationThrottled (Graph's MailboxConcurrency is 4; 0 = unlimited)")
	fs.IntVar(&f.concurrency, "mailbox-concurrency", 0, "deprecated name of --graph-concurrency")
	_ = fs.MarkDeprecated("mailbox-concurrency", "use --graph-concurrency (the limit is Graph's; Gmail has --gmail-concurrency)")
	fs.IntVar(&f.requestLimit, "graph-request-limit", 0, "emulator: Graph calls per app and mailbox in any 10 minutes before 429 with Retry-After (Graph's is 10000; 0 = unlimited)")
	fs.IntVar(&f.gmailRate, "gmail-quota-rate", 0, "emulator: Gmail quota units per user per second, each call charged its method's units, bursts of 10 s allowed (Gmail's is 250; 0 = unlimited)")
	fs.IntVar(&f.gmailConc, "gmail-concurrency", 0, "emulator: Gmail calls in progress per user (a batch's calls all count) before 429 \"Too many concurrent requests for user\" (0 = unlimited)")
	fs.StringVar(&f.fail, "fail", "", "emulator: random failures by status, like 429=0.1,503=0.05")
	fs.Float64Var(&f.drop, "drop", 0, "emulator: probability of closing the connection mid-request, before it is served")
	fs.Float64Var(&f.dropAfter, "drop-after", 0, "emulator: probability of serving a request, then closing the connection before the answer (the outcome is unknown to the client)")
	fs.BoolVar(&f.signIn, "fault-sign-in", false, "emulator: apply latency and failures to the token endpoints too")
	fs.DurationVar(&f.tokenTTL, "token-ttl", 0, "emulator: lifetime of issued access tokens (default 1h)")
}

// config turns the flags into an emulator.Config, checking them.
func (f *faultFlags) config() (emulator.Config, error) {
	cfg := emulator.Config{Latency: f.latency, ServiceTime: f.serviceTime, GraphConcurrency: f.concurrency, GraphRequestLimit: f.requestLimit,
		GmailQuotaRate: f.gmailRate, GmailConcurrency: f.gmailConc, Drop: f.drop, DropAfter: f.dropAfter,
		FaultSignIn: f.signIn, TokenTTL: f.tokenTTL}
	if f.latency < 0 || f.tokenTTL < 0 || f.serviceTime < 0 || f.concurrency < 0 || f.requestLimit < 0 || f.gmailRate < 0 || f.gmailConc < 0 {
		return cfg, &usageError{"--latency, --token-ttl, --service-time, --graph-concurrency, --graph-request-limit, --gmail-quota-rate and --gmail-concurrency must not be negative"}
	}
	if f.realistic {
		f.applyRealistic(&cfg)
	}
	if f.drop < 0 || f.drop > 1 || f.dropAfter < 0 || f.dropAfter > 1 {
		return cfg, &usageError{"--drop and --drop-after are probabilities from 0 to 1, like 0.02"}
	}
	if f.fail != "" {
		fail, err := emulator.ParseFail(f.fail)
		if err != nil {
			return cfg, &usageError{err.Error()}
		}
		cfg.Fail = fail
	}
	return cfg, nil
}

// applyRealistic gives the settings not given as flags their --realistic value; a flag given
// with --realistic wins, even 0 (no limit).
func (f *faultFlags) applyRealistic(cfg *emulator.Config) {
	r := emulator.Realistic()
	given := func(names ...string) bool {
		for _, n := range names {
			if f.fs != nil && f.fs.Changed(n) {
				return true
			}
		}
		return false
	}
	if !given("latency") {
		cfg.Latency = r.Latency
	}
	if !given("service-time") {
		cfg.ServiceTime = r.ServiceTime
	}
	if !given("graph-concurrency", "mailbox-concurrency") {
		cfg.GraphConcurrency = r.GraphConcurrency
	}
	if !given("graph-request-limit") {
		cfg.GraphRequestLimit = r.GraphRequestLimit
	}
	if !given("gmail-quota-rate") {
		cfg.GmailQuotaRate = r.GmailQuotaRate
	}
	if !given("gmail-concurrency") {
		cfg.GmailConcurrency = r.GmailConcurrency
	}
}

func emulatorFlags(c *emulatorConfig) *pflag.FlagSet {
	fs := pflag.NewFlagSet("emulator", pflag.ContinueOnError)
	fs.SortFlags = false
	fs.IntVar(&c.port, "port", 8025, "loopback port to listen on (0 picks a free one)")
	fs.IntVar(&c.smtpPort, "smtp-port", 2525, "loopback port for SMTP, where applications send their mail (0 picks a free one)")
	fs.StringVar(&c.smtpAuth, "smtp-auth", "", "require SMTP AUTH with these credentials, as USER:PASS (default: any credentials, AUTH optional)")
	fs.BoolVar(&c.tls, "tls", false, "serve https and SMTP STARTTLS with a certificate from the emulator's CA (kept in your config folder)")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "with --tls: serve this PEM certificate instead of the CA's")
	fs.StringVar(&c.tlsKey, "tls-key", "", "with --tls: the PEM private key of --tls-cert")
	fs.StringVar(&c.seed, "seed", "", "seed the store from this folder of JSON and .eml files instead of the default seed")
	fs.StringVar(&c.envFile, "env-file", "", "write the MAILSCRIPT_* settings for this emulator to this file")
	c.faults.register(fs)
	fs.BoolVar(&c.logJSON, "log-json", false, "log requests as JSON lines on stderr")
	fs.BoolVarP(&c.showHelp, "help", "h", false, "show this help")
	return fs
}

func emulatorCommand(ctx context.Context, st *state, args []string) error {
	var c emulatorConfig
	fs := emulatorFlags(&c)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if c.showHelp {
		help(st, []string{"emulator"})
		return nil
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("emulator takes no arguments, got %q", fs.Args())}
	}
	cfg, err := c.faults.config()
	if err != nil {
		return err
	}
	if fs.Changed("mailbox-concurrency") { // parseFlags silences pflag's own deprecation note
		fmt.Fprintln(st.stderr, "note: --mailbox-concurrency is deprecated: use --graph-concurrency (Graph's limit; Gmail has --gmail-concurrency)")
	}
	if err := c.applyTo(&cfg, st.getenv); err != nil {
		return err
	}
	if c.logJSON {
		cfg.Logger = slog.New(slog.NewJSONHandler(st.stderr, nil))
	}
	keyDir, err := os.MkdirTemp("", "mailscript-emulator-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(keyDir)
	cfg.KeyDir = keyDir
	srv, err := emulator.Start(ctx, cfg)
	if err != nil {
		return err
	}
	defer srv.Close()
	if c.envFile != "" {
		if err := srv.WriteEnvFile(c.envFile); err != nil {
			return err
		}
	}
	fmt.Fprint(st.stdout, srv.Banner())
	if c.envFile != "" {
		fmt.Fprintf(st.stdout, "\nSettings written to %s: use  mailscript run --env-file %s ...\n", c.envFile, c.envFile)
	}
	fmt.Fprintln(st.stdout, "\nPress Ctrl-C to stop.")
	<-ctx.Done()
	return nil
}

// applyTo checks the listener and TLS flags and sets them on cfg; getenv may move the CA
// folder (certs.EnvCADir).
func (c *emulatorConfig) applyTo(cfg *emulator.Config, getenv func(string) string) error {
	for _, p := range []struct {
		flag string
		port int
	}{{"--port", c.port}, {"--smtp-port", c.smtpPort}} {
		if p.port < 0 || p.port > 65535 {
			return &usageError{fmt.Sprintf("%s %d: want a port from 1 to 65535, or 0 for a free one", p.flag, p.port)}
		}
	}
	cfg.Addr = fmt.Sprintf("127.0.0.1:%d", c.port)
	cfg.SMTPAddr = fmt.Sprintf("127.0.0.1:%d", c.smtpPort)
	cfg.SeedDir = c.seed
	if c.smtpAuth != "" {
		user, pass, ok := strings.Cut(c.smtpAuth, ":")
		if !ok || user == "" || pass == "" {
			return &usageError{"--smtp-auth: want USER:PASS, like --smtp-auth app:secret"}
		}
		cfg.SMTPUser, cfg.SMTPPassword = user, pass
	}
	if (c.tlsCert != "" || c.tlsKey != "") && !c.tls {
		return &usageError{"--tls-cert and --tls-key need --tls"}
	}
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return &usageError{"give both --tls-cert and --tls-key (PEM files), or neither to use the emulator's CA"}
	}
	cfg.TLS, cfg.TLSCertFile, cfg.TLSKeyFile = c.tls, c.tlsCert, c.tlsKey
	if c.tls && c.tlsCert == "" {
		dir, err := certs.DefaultDir(getenv)
		if err != nil {
			return err
		}
		cfg.CADir = dir
	}
	return nil
}
