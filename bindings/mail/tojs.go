package mail

import (
	"context"
	"time"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/internal/mailview"
	"github.com/mailscript/mailscript/providers"
)

// minWaitInterval keeps a script's polling within the services' quotas.
const minWaitInterval = 100 * time.Millisecond

func date(rt *goja.Runtime, t time.Time) goja.Value {
	d, err := rt.New(rt.Get("Date"), rt.ToValue(t.UnixMilli()))
	must(err)
	return d
}

func addressToJS(rt *goja.Runtime, a providers.Address) *goja.Object {
	obj := rt.NewObject()
	must(obj.Set("name", a.Name))
	must(obj.Set("address", a.Address))
	return obj
}

func addressesToJS(rt *goja.Runtime, list []providers.Address) goja.Value {
	out := make([]any, len(list))
	for i, a := range list {
		out[i] = addressToJS(rt, a)
	}
	return rt.NewArray(out...)
}

func summaryInto(rt *goja.Runtime, obj *goja.Object, s providers.Summary) {
	must(obj.Set("id", s.ID))
	must(obj.Set("subject", s.Subject))
	must(obj.Set("from", addressToJS(rt, s.From)))
	must(obj.Set("to", addressesToJS(rt, s.To)))
	must(obj.Set("receivedAt", date(rt, s.ReceivedAt)))
	must(obj.Set("isRead", s.IsRead))
	must(obj.Set("hasAttachments", s.HasAttachments))
	must(obj.Set("preview", s.Preview))
	must(obj.Set("folder", s.Folder))
}

func (m *mailbox) summariesToJS(rt *goja.Runtime, list []providers.Summary) goja.Value {
	out := make([]any, len(list))
	for i, s := range list {
		obj := rt.NewObject()
		summaryInto(rt, obj, s)
		m.inspect.mark(obj, false)
		out[i] = obj
	}
	return rt.NewArray(out...)
}

func (m *mailbox) messageToJS(rt *goja.Runtime, msg *providers.Message) goja.Value {
	obj := rt.NewObject()
	summaryInto(rt, obj, msg.Summary)
	must(obj.Set("cc", addressesToJS(rt, msg.Cc)))
	must(obj.Set("bcc", addressesToJS(rt, msg.Bcc)))
	must(obj.Set("replyTo", addressesToJS(rt, msg.ReplyTo)))
	must(obj.Set("messageId", msg.MessageID))
	must(obj.Set("text", msg.Text))
	must(obj.Set("html", msg.HTML))
	headers := rt.NewObject()
	for k, v := range msg.Headers {
		if len(v) == 1 {
			must(headers.Set(k, v[0]))
		} else {
			values := make([]any, len(v))
			for i, s := range v {
				values[i] = s
			}
			must(headers.Set(k, rt.NewArray(values...)))
		}
	}
	must(obj.Set("headers", headers))
	atts := make([]any, len(msg.Attachments))
	for i, a := range msg.Attachments {
		atts[i] = m.attachmentToJS(rt, a)
	}
	must(obj.Set("attachments", rt.NewArray(atts...)))
	links := make([]any, len(msg.Links))
	for i, l := range msg.Links {
		links[i] = l
	}
	must(obj.Set("links", rt.NewArray(links...)))
	if msg.Raw != nil {
		must(obj.Set("raw", string(msg.Raw)))
	}
	m.inspect.mark(obj, true)
	return obj
}

// attachmentToJS exposes the attachment's metadata and lazy content methods.
func (m *mailbox) attachmentToJS(rt *goja.Runtime, a providers.Attachment) *goja.Object {
	obj := rt.NewObject()
	must(obj.Set("id", a.ID))
	must(obj.Set("name", a.Name))
	must(obj.Set("contentType", a.ContentType))
	must(obj.Set("size", a.Size))
	must(obj.Set("inline", a.Inline))
	if a.ContentID != "" {
		must(obj.Set("contentId", a.ContentID))
	}
	content := func(ctx context.Context) ([]byte, error) {
		if a.Content == nil {
			return nil, providers.Errorf(providers.Unavailable, m.provider, "the content of attachment %q is not available", a.Name)
		}
		return a.Content(ctx)
	}
	got := func(_ context.Context, b []byte) (string, []*mailview.Message) {
		return count(len(b), "byte", "bytes") + " of " + a.Name, nil
	}
	must(obj.Set("bytes", func(call goja.FunctionCall) goja.Value {
		return rt.ToValue(async(m, bindings.Recorded(m.step("attachment.bytes", call), content, got), func(rt *goja.Runtime, b []byte) goja.Value {
			u8, err := rt.New(rt.Get("Uint8Array"), rt.ToValue(rt.NewArrayBuffer(b)))
			must(err)
			return u8
		}))
	}))
	must(obj.Set("text", func(call goja.FunctionCall) goja.Value {
		return rt.ToValue(async(m, bindings.Recorded(m.step("attachment.text", call), content, got), func(rt *goja.Runtime, b []byte) goja.Value {
			return rt.ToValue(string(b))
		}))
	}))
	must(obj.Set("save", func(call goja.FunctionCall) goja.Value {
		path, ok := call.Argument(0).Export().(string)
		if !ok || path == "" {
			panic(rt.NewTypeError("attachment.save: path must be a file path string, got %s", describe(call.Argument(0))))
		}
		saved := said(func(p string) string { return a.Name + " saved to " + p })
		return rt.ToValue(async(m, bindings.Recorded(m.step("attachment.save", call), func(ctx context.Context) (string, error) {
			b, err := content(ctx)
			if err != nil {
				return "", err
			}
			return path, save(path, b)
		}, saved), func(rt *goja.Runtime, p string) goja.Value { return rt.ToValue(p) }))
	}))
	return obj
}

func foldersToJS(rt *goja.Runtime, list []providers.Folder) goja.Value {
	out := make([]any, len(list))
	for i, f := range list {
		obj := rt.NewObject()
		must(obj.Set("id", f.ID))
		must(obj.Set("name", f.Name))
		if f.WellKnown != "" {
			must(obj.Set("wellKnown", f.WellKnown))
		}
		must(obj.Set("total", f.Total))
		must(obj.Set("unread", f.Unread))
		out[i] = obj
	}
	return rt.NewArray(out...)
}
