package env

import (
	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
)

// Install defines the env global. The credentials it can show are registered for redaction by
// whoever builds the environment, with the run's redactor (cmd's scriptEnv registers every
// secrets.IsCredentialEnv variable): a script that prints env.MAILSCRIPT_M365_CLIENT_SECRET
// or fails an expect on it shows [REDACTED].
func Install(vu bindings.VU, global *goja.Object) error {
	rt := vu.Runtime()
	return global.Set("env", rt.NewDynamicObject(&view{rt: rt, lookup: vu.Env()}))
}

// view answers env.NAME from the lookup; an unset or empty variable reads as undefined, so
// that `env.NAME ?? 'default'` works.
type view struct {
	rt     *goja.Runtime
	lookup func(string) string
}

func (v *view) Get(key string) goja.Value {
	if s := v.lookup(key); s != "" {
		return v.rt.ToValue(s)
	}
	return nil
}

func (v *view) Has(key string) bool { return v.lookup(key) != "" }

func (v *view) Set(key string, _ goja.Value) bool { panic(v.readOnly("set", key)) }

func (v *view) Delete(key string) bool { panic(v.readOnly("delete", key)) }

func (v *view) Keys() []string { return nil }

func (v *view) readOnly(op, key string) *goja.Object {
	return v.rt.NewTypeError("env is read-only: cannot %s env.%s; set it in the environment or in the --env-file file", op, key)
}
