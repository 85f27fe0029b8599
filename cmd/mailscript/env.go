package main

import (
	"context"
	"os"
	"strings"

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
		fileVars, err := readEnvFile(c.envFile)
		if err != nil {
			return nil, nil, err
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
