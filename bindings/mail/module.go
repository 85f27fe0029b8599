package mail

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/bindings/secret"
	"github.com/mailscript/mailscript/internal/mailview"
	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/secrets"
)

// Config is what the mail binding needs from the run.
type Config struct {
	Registry *providers.Registry
	// Profiles are the named connections of mailscript.json; nil means none.
	Profiles *secrets.Profiles
	// Resolve turns secret references (env:, file:, vault://...) in options into values.
	Resolve func(ctx context.Context, ref string) (secrets.Value, error)
}

// New returns the `mail` object for one VU.
func New(vu bindings.VU, cfg Config) *goja.Object {
	rt := vu.Runtime()
	obj := rt.NewObject()
	must(obj.Set("connect", func(call goja.FunctionCall) goja.Value {
		name, ok := call.Argument(0).Export().(string)
		if !ok || name == "" {
			panic(rt.NewTypeError("mail.connect: the first argument must be a provider name (%s) or a connection name from mailscript.json, got %s",
				strings.Join(cfg.Registry.Names(), ", "), describe(call.Argument(0))))
		}
		provider, opts, err := cfg.options(vu, name, call.Argument(1))
		if err != nil {
			panic(throwable(rt, "mail.connect", err))
		}
		box, err := cfg.Registry.Connect(provider, opts, vu.Env())
		if err != nil {
			panic(throwable(rt, "mail.connect", err))
		}
		if c, ok := vu.(bindings.Cleaner); ok {
			// Closing only releases connections; an error there changes nothing for the script.
			c.Cleanup(func() { _ = box.Close() })
		}
		connection := ""
		if name != provider {
			connection = name // a connection of mailscript.json
		}
		return newMailbox(vu, provider, connection, box)
	}))
	return obj
}

// options merges a named connection's options (when name is not a provider) with the
// script's, which win, and resolves secret references and secret objects.
func (cfg Config) options(vu bindings.VU, name string, v goja.Value) (string, providers.Options, error) {
	provider, opts := name, providers.Options{}
	if !slices.Contains(cfg.Registry.Names(), name) {
		var profile map[string]any
		ok := false
		if cfg.Profiles != nil {
			provider, profile, ok = cfg.Profiles.Lookup(name)
		}
		if !ok {
			known, candidates := "none defined", cfg.Registry.Names()
			if cfg.Profiles != nil && len(cfg.Profiles.Connections) > 0 {
				known = strings.Join(cfg.Profiles.Names(), ", ")
				candidates = append(candidates, cfg.Profiles.Names()...)
			}
			return "", nil, &providers.OptionError{Field: "provider", Problem: fmt.Sprintf(
				"%q is neither a provider (%s) nor a connection in mailscript.json (%s)%s",
				name, strings.Join(cfg.Registry.Names(), ", "), known, providers.DidYouMean(name, candidates))}
		}
		maps.Copy(opts, profile)
	}
	if !isAbsent(v) {
		o, ok := v.(*goja.Object)
		if !ok || o.ClassName() != "Object" {
			return "", nil, argErrorf("options must be an object, got %s", describe(v))
		}
		for _, k := range o.Keys() {
			if s, ok := secret.Of(o.Get(k)); ok {
				opts[k] = s
				continue
			}
			opts[k] = o.Get(k).Export()
		}
	}
	for k, val := range opts {
		if ref, ok := val.(string); ok && secrets.IsRef(ref) && cfg.Resolve != nil {
			s, err := cfg.Resolve(vu.Context(), ref)
			if err != nil {
				return "", nil, &providers.OptionError{Field: k, Problem: err.Error()}
			}
			opts[k] = s
		}
	}
	return provider, opts, nil
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// throwable turns a validation error into the TypeError a script catches, prefixed with the call.
func throwable(rt *goja.Runtime, call string, err error) goja.Value {
	var ae *argError
	var oe *providers.OptionError
	if errors.As(err, &ae) || errors.As(err, &oe) {
		return rt.NewTypeError(call + ": " + err.Error())
	}
	return jsError(rt, err, nil)
}

// mailbox binds one providers.Mailbox to a JS object.
type mailbox struct {
	vu       bindings.VU
	provider string
	// connection is the mailscript.json connection that gave the options, "" when the script
	// named a provider.
	connection string
	box        providers.Mailbox
	inspect    *inspector
}

func newMailbox(vu bindings.VU, provider, connection string, box providers.Mailbox) goja.Value {
	m := &mailbox{vu: vu, provider: provider, connection: connection, box: box, inspect: newInspector(vu.Runtime())}
	rt := vu.Runtime()
	obj := rt.NewObject()
	must(obj.Set("provider", provider))
	must(obj.Set("address", box.Address()))
	// In the README's order, which is the order console.log(box) shows them in.
	methods := []struct {
		name string
		fn   func(goja.FunctionCall) goja.Value
	}{
		{"list", m.list}, {"read", m.read}, {"send", m.send}, {"waitFor", m.waitFor}, {"delete", m.delete},
		{"move", m.move}, {"markRead", m.markRead}, {"folders", m.folders}, {"uniqueAddress", m.uniqueAddress},
	}
	for _, x := range methods {
		f := rt.ToValue(x.fn).(*goja.Object)
		// Named as the script calls it ([Function: send] in the console), not by its Go name;
		// not writable or enumerable, like a JS function's name.
		must(f.DefineDataProperty("name", rt.ToValue(x.name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE))
		must(obj.Set(x.name, f))
	}
	return withTypoHelp(rt, obj)
}

// check throws err as a TypeError naming the method when err is not nil.
func (m *mailbox) check(method string, err error) {
	if err != nil {
		panic(throwable(m.vu.Runtime(), "box."+method, err))
	}
}

func (m *mailbox) list(call goja.FunctionCall) goja.Value {
	c, err := criteria(m.vu.Runtime(), call.Argument(0), "criteria")
	m.check("list", err)
	return m.vu.Runtime().ToValue(async(m, bindings.Recorded(m.step("list", call), func(ctx context.Context) ([]providers.Summary, error) {
		return m.box.List(ctx, c)
	}, describeSummaries), m.summariesToJS))
}

func (m *mailbox) read(call goja.FunctionCall) goja.Value {
	rt := m.vu.Runtime()
	id, err := messageID(call.Argument(0), "message")
	m.check("read", err)
	opts, err := object(rt, call.Argument(1), "options", "format")
	m.check("read", err)
	var ro providers.ReadOptions
	if opts != nil {
		format, err := stringField(opts, "options", "format")
		m.check("read", err)
		switch format {
		case "", "full":
		case "raw":
			ro.Raw = true
		default:
			m.check("read", argErrorf("options.format must be 'full' or 'raw', got %q", format))
		}
	}
	return rt.ToValue(async(m, bindings.Recorded(m.step("read", call), func(ctx context.Context) (*providers.Message, error) {
		return m.box.Read(ctx, id, ro)
	}, m.describeMessage), m.messageToJS))
}

func (m *mailbox) send(call goja.FunctionCall) goja.Value {
	d, pending, err := draft(call.Argument(0), m.vu.Dir())
	m.check("send", err)
	sent := func(_ context.Context, r providers.SendResult) (string, []*mailview.Message) {
		return r.MessageID, []*mailview.Message{draftView(d, m.box.Address(), r)}
	}
	return m.vu.Runtime().ToValue(async(m, bindings.Recorded(m.step("send", call), func(ctx context.Context) (providers.SendResult, error) {
		if err := readPending(&d, pending); err != nil {
			return providers.SendResult{}, err
		}
		return m.box.Send(ctx, d)
	}, sent), func(rt *goja.Runtime, r providers.SendResult) goja.Value {
		obj := rt.NewObject()
		must(obj.Set("messageId", r.MessageID))
		return obj
	}))
}

func (m *mailbox) waitFor(call goja.FunctionCall) goja.Value {
	rt := m.vu.Runtime()
	c, err := criteria(rt, call.Argument(0), "criteria")
	m.check("waitFor", err)
	wo := providers.WaitOptions{Timeout: providers.DefaultWaitTimeout, Interval: providers.DefaultWaitInterval}
	opts, err := object(rt, call.Argument(1), "options", "timeout", "interval")
	m.check("waitFor", err)
	if opts != nil {
		if v := opts.Get("timeout"); !isAbsent(v) {
			wo.Timeout, err = bindings.Duration(v, "options.timeout")
			m.check("waitFor", asArg(err))
		}
		if v := opts.Get("interval"); !isAbsent(v) {
			wo.Interval, err = bindings.Duration(v, "options.interval")
			m.check("waitFor", asArg(err))
			if wo.Interval < minWaitInterval {
				m.check("waitFor", argErrorf("options.interval must be at least %s, so that polling stays within the services' quotas", minWaitInterval))
			}
		}
	}
	return rt.ToValue(async(m, bindings.Recorded(m.step("waitFor", call), func(ctx context.Context) (*providers.Message, error) {
		return m.box.WaitFor(ctx, c, wo)
	}, m.describeMessage), m.messageToJS))
}

func (m *mailbox) delete(call goja.FunctionCall) goja.Value {
	rt := m.vu.Runtime()
	id, err := messageID(call.Argument(0), "message")
	m.check("delete", err)
	opts, err := object(rt, call.Argument(1), "options", "permanent")
	m.check("delete", err)
	var do providers.DeleteOptions
	if opts != nil {
		p, err := boolField(opts, "options", "permanent")
		m.check("delete", err)
		do.Permanent = p != nil && *p
	}
	deleted := said(func(string) string {
		if do.Permanent {
			return "deleted for good"
		}
		return "moved to the deleted items"
	})
	target, _ := call.Argument(0).(*goja.Object)
	return rt.ToValue(async(m, bindings.Recorded(m.step("delete", call), func(ctx context.Context) (string, error) {
		return m.box.Delete(ctx, id, do)
	}, deleted), func(rt *goja.Runtime, newID string) goja.Value {
		// As move does: the message object stays usable (to move it back, or delete it for
		// good), whose id Graph changed.
		if target != nil && newID != "" {
			must(target.Set("id", newID))
			must(target.Set("folder", "trash"))
		}
		return goja.Undefined()
	}))
}

// move resolves with the message's new id and, when given a message object, updates its id
// and folder so that the script can keep using it.
func (m *mailbox) move(call goja.FunctionCall) goja.Value {
	rt := m.vu.Runtime()
	id, err := messageID(call.Argument(0), "message")
	m.check("move", err)
	folder, ok := call.Argument(1).Export().(string)
	if !ok || folder == "" {
		m.check("move", argErrorf("folder must be a folder name such as 'archive' or 'Receipts', got %s", describe(call.Argument(1))))
	}
	target, _ := call.Argument(0).(*goja.Object)
	moved := said(func(newID string) string { return "moved to " + folder + " as " + newID })
	return rt.ToValue(async(m, bindings.Recorded(m.step("move", call), func(ctx context.Context) (string, error) {
		return m.box.Move(ctx, id, folder)
	}, moved), func(rt *goja.Runtime, newID string) goja.Value {
		if target != nil {
			must(target.Set("id", newID))
			must(target.Set("folder", folder))
		}
		return rt.ToValue(newID)
	}))
}

func (m *mailbox) markRead(call goja.FunctionCall) goja.Value {
	rt := m.vu.Runtime()
	id, err := messageID(call.Argument(0), "message")
	m.check("markRead", err)
	read := true
	if v := call.Argument(1); !isAbsent(v) {
		b, ok := v.Export().(bool)
		if !ok {
			m.check("markRead", argErrorf("read must be true or false, got %s", describe(v)))
		}
		read = b
	}
	target, _ := call.Argument(0).(*goja.Object)
	marked := said(func(struct{}) string {
		if read {
			return "marked read"
		}
		return "marked unread"
	})
	return rt.ToValue(async(m, bindings.Recorded(m.step("markRead", call), func(ctx context.Context) (struct{}, error) {
		return struct{}{}, m.box.MarkRead(ctx, id, read)
	}, marked), func(rt *goja.Runtime, _ struct{}) goja.Value {
		if target != nil && !isAbsent(target.Get("isRead")) {
			must(target.Set("isRead", read))
		}
		return goja.Undefined()
	}))
}

func (m *mailbox) folders(call goja.FunctionCall) goja.Value {
	return m.vu.Runtime().ToValue(async(m, bindings.Recorded(m.step("folders", call), func(ctx context.Context) ([]providers.Folder, error) {
		return m.box.Folders(ctx)
	}, describeFolders), foldersToJS))
}

func undefined(*goja.Runtime, struct{}) goja.Value { return goja.Undefined() }

// save writes b to path, relative to the working folder, creating parent folders.
func save(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
