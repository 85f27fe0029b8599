package mail

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// previewLength is how much of a body the compact view shows.
const previewLength = 80

// inspector gives message objects a compact view for console.log and the REPL (through the
// Symbol.for('mailscript.inspect') hook of bindings/jsfmt): a message's whole HTML and headers
// would bury what a person looks for. The objects themselves keep every field.
type inspector struct {
	rt         *goja.Runtime
	hook       *goja.Symbol
	summary    *goja.Object // prototype named MessageSummary
	message    *goja.Object // prototype named Message
	summaryFn  goja.Value
	messageFns goja.Value
}

func newInspector(rt *goja.Runtime) *inspector {
	in := &inspector{rt: rt}
	symFor, _ := goja.AssertFunction(rt.Get("Symbol").ToObject(rt).Get("for"))
	sym, err := symFor(nil, rt.ToValue("mailscript.inspect"))
	must(err)
	in.hook = sym.(*goja.Symbol)
	protos, err := rt.RunString("[class MessageSummary {}.prototype, class Message {}.prototype]")
	must(err)
	list := protos.ToObject(rt)
	in.summary, in.message = list.Get("0").ToObject(rt), list.Get("1").ToObject(rt)
	in.summaryFn = rt.ToValue(func(call goja.FunctionCall) goja.Value { return in.view(call.This.ToObject(rt), false) })
	in.messageFns = rt.ToValue(func(call goja.FunctionCall) goja.Value { return in.view(call.This.ToObject(rt), true) })
	return in
}

// mark attaches the hook to a summary or message object.
func (in *inspector) mark(obj *goja.Object, full bool) {
	fn := in.summaryFn
	if full {
		fn = in.messageFns
	}
	must(obj.DefineDataPropertySymbol(in.hook, fn, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE))
}

// view builds the compact object shown in place of a message.
func (in *inspector) view(obj *goja.Object, full bool) goja.Value {
	proto := in.summary
	if full {
		proto = in.message
	}
	v := in.rt.CreateObject(proto)
	for _, k := range []string{"id", "subject"} {
		must(v.Set(k, obj.Get(k)))
	}
	must(v.Set("from", address(obj.Get("from"))))
	must(v.Set("receivedAt", obj.Get("receivedAt")))
	for _, k := range []string{"isRead", "folder"} {
		must(v.Set(k, obj.Get(k)))
	}
	if !full {
		must(v.Set("hasAttachments", obj.Get("hasAttachments")))
		return v
	}
	text := ""
	if t := get(obj, "text"); !isAbsent(t) {
		text = t.String()
	}
	must(v.Set("text", shorten(text)))
	if h := get(obj, "html"); !isAbsent(h) && h.String() != "" {
		html := h.String()
		must(v.Set("html", fmt.Sprintf("[%d characters]", utf8.RuneCountInString(html))))
	}
	var names []any
	if atts, ok := obj.Get("attachments").(*goja.Object); ok {
		for _, k := range atts.Keys() {
			if att, ok := atts.Get(k).(*goja.Object); ok {
				names = append(names, get(att, "name"))
			}
		}
	}
	must(v.Set("attachments", in.rt.NewArray(names...)))
	if links, ok := obj.Get("links").(*goja.Object); ok {
		must(v.Set("links", links))
	}
	return v
}

func address(v goja.Value) string {
	obj, ok := v.(*goja.Object)
	if !ok {
		return ""
	}
	name, addr := get(obj, "name").String(), get(obj, "address").String()
	if name == "" || name == "undefined" {
		return addr
	}
	return name + " <" + addr + ">"
}

func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= previewLength {
		return s
	}
	r := []rune(s)
	return string(r[:previewLength]) + "…"
}
