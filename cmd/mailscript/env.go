package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/mailscript/mailscript/emulator"
	"github.com/spf13/pflag"
)

// envFlags are the flags of run, watch and repl that say where the scripts' environment and
// connection profiles come from.
type envFlags struct {
	emulator bool
	envFile  string
	config   string
}

// register adds --emulator (explained by emulatorHelp, which differs per command), --env-file
// and --config to fs.
func (c *envFlags) register(fs *pflag.FlagSet, emulatorHelp string) {
	fs.BoolVar(&c.emulator, "emulator", false, emulatorHelp)
	fs.StringVar(&c.envFile, "env-file", "", "load KEY=VALUE lines into the scripts' environment")
	fs.StringVar(&c.config, "config", "", "connection profiles file (default mailscript.json, or MAILSCRIPT_CONFIG)")
}

// scriptEnv layers the scripts' environment: the process environment, then --env-file, then
// the settings of an in-process emulator (--emulator), so that unchanged scripts reach it.
// cleanup stops the emulator.
func scriptEnv(ctx context.Context, st *state, c envFlags) (func(string) string, func(), error) {
	vars := map[string]string{}
	for _, kv := range st.environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	if c.envFile != "" {
		fileVars, emulatorURL, err := readEnvFile(c.envFile)
		if err != nil {
			return nil, nil, err
		}
		if emulatorURL != "" && !c.emulator {
			if err := emulatorRunning(emulatorURL); err != nil {
				return nil, nil, fmt.Errorf("--env-file %s was written by the emulator at %s, which is not running (%v): start it again with `mailscript emulator --env-file %s`, or use --emulator", c.envFile, emulatorURL, err, c.envFile)
			}
		}
		for k, v := range fileVars {
			vars[k] = v
		}
	}
	cleanup := func() {}
	if c.emulator {
		keyDir, err := os.MkdirTemp("", "mailscript-emulator-")
		if err != nil {
			return nil, nil, err
		}
		srv, err := emulator.Start(ctx, emulator.Config{Addr: "127.0.0.1:0", KeyDir: keyDir})
		if err != nil {
			os.RemoveAll(keyDir)
			return nil, nil, err
		}
		for k, v := range srv.Env() {
			vars[k] = v
		}
		cleanup = func() {
			srv.Close()
			os.RemoveAll(keyDir)
		}
	}
	// Credentials set as plain variables are masked like resolved secrets, whichever layer set them.
	st.shared.Redactor().AddEnv(vars)
	return func(k string) string { return vars[k] }, cleanup, nil
}

// emulatorRunning checks that something listens at the emulator's loopback address: an env
// file outlives the emulator that wrote it, whose key files and port are then gone, and
// the scripts would fail on those instead of on the cause.
func emulatorRunning(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return fmt.Errorf("its address %q cannot be read", rawURL)
	}
	conn, err := net.DialTimeout("tcp", u.Host, time.Second)
	if err != nil {
		if errno := syscall.Errno(0); errors.As(err, &errno) {
			return errno // "connection refused", without the dial's wrapping
		}
		return err
	}
	return conn.Close()
}
