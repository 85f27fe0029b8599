package main

import (
	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/bindings/mail"
	"github.com/mailscript/mailscript/bindings/secret"
	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/google"
	"github.com/mailscript/mailscript/providers/microsoft365"
	"github.com/mailscript/mailscript/secrets"
)

// newRegistry lists the providers this build offers; their mailboxes share shared.
func newRegistry(shared *providers.Shared) *providers.Registry {
	r := providers.NewRegistry(shared)
	r.Register(microsoft365.Name, microsoft365.Connect)
	r.Register(google.Name, google.Connect)
	return r
}

// connections loads the profiles: --config (or MAILSCRIPT_CONFIG) must exist when given;
// mailscript.json in the working folder is optional.
func connections(flagPath string, env func(string) string) (*secrets.Profiles, error) {
	switch {
	case flagPath != "":
		return secrets.LoadProfiles(flagPath, false)
	case env("MAILSCRIPT_CONFIG") != "":
		return secrets.LoadProfiles(env("MAILSCRIPT_CONFIG"), false)
	}
	return secrets.LoadProfiles(secrets.ProfileFile, true)
}

// globals returns the hook that adds mailscript's own globals (mail, secret) to each VM; the
// runtime adds the harness, expect, console, timers, env and open.
func globals(registry *providers.Registry, profiles *secrets.Profiles, cache *secrets.Cache) func(vu bindings.VU, global *goja.Object) error {
	return func(vu bindings.VU, global *goja.Object) error {
		cfg := mail.Config{Registry: registry, Profiles: profiles, Resolve: cache.Resolve}
		if err := global.Set("mail", mail.New(vu, cfg)); err != nil {
			return err
		}
		return global.Set("secret", secret.Func(vu, cache.Resolve))
	}
}
