package emulator

import (
	"encoding/base64"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/mailscript/mailscript/emulator/store"
	"github.com/mailscript/mailscript/internal/htmltext"
	"github.com/mailscript/mailscript/internal/mailview"
)

// messagePath is the inspection URL path of a mailbox message; its view, parts and source hang
// below it. Paths are root-relative so the viewer works under whichever loopback name
// (127.0.0.1, localhost, [::1]) the user opened it with.
func messagePath(mailboxID, id string) string {
	return "/_emulator/mailboxes/" + url.PathEscape(mailboxID) + "/messages/" + url.PathEscape(id)
}

// lf gives text the line ends a script sees (the providers' read uses \n): the store keeps
// the message's own CRLF, which the Graph face serves as Graph does.
func lf(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

func sinkPath(id string) string { return "/_emulator/sink/" + url.PathEscape(id) }

// messageView turns a stored (or sink) message into the shared mail view. base is the
// message's inspection path: parts are served at base/parts/{n}, the source at base/raw.
func messageView(m *store.Message, folder, base string) mailview.Message {
	v := mailview.Message{ID: m.ID, Subject: m.Subject, From: viewAddress(m.From), To: viewAddresses(m.To), Cc: viewAddresses(m.Cc),
		Bcc: viewAddresses(m.Bcc), ReplyTo: viewAddresses(m.ReplyTo), Date: m.SentAt, Folder: folder, IsRead: m.IsRead,
		Text: lf(m.Text), HTML: lf(m.HTML), Links: htmltext.Links(m.Text, m.HTML), RawURL: base + "/raw"}
	if v.Date.IsZero() {
		v.Date = m.ReceivedAt
	}
	for _, h := range m.Headers {
		v.Headers = append(v.Headers, mailview.Header{Name: h.Name, Value: h.Value})
	}
	for i, a := range m.Attachments {
		u := base + "/parts/" + strconv.Itoa(i)
		if a.ContentID != "" && len(a.Data) <= maxDataURLPart {
			u = "data:" + a.ContentType + ";base64," + base64.StdEncoding.EncodeToString(a.Data)
		}
		v.Attachments = append(v.Attachments, mailview.Part{Name: a.Name, ContentType: a.ContentType, Size: int64(len(a.Data)),
			ContentID: a.ContentID, Inline: a.Inline, URL: u})
	}
	return v
}

// maxDataURLPart is the largest cid: part the view embeds as a data: URL. The HTML body's
// sandboxed frame may load data: images only (mailview's CSP), so a cid: image must come
// inline; bigger ones show as attachments to download instead.
const maxDataURLPart = 2 << 20

func viewAddress(a store.Address) mailview.Address {
	return mailview.Address{Name: a.Name, Address: a.Address}
}

func viewAddresses(as []store.Address) []mailview.Address {
	out := make([]mailview.Address, len(as))
	for i, a := range as {
		out[i] = viewAddress(a)
	}
	return out
}

// servePart answers one attachment's bytes (index n of Message.Attachments) as a download:
// the viewer's own origin must never run an attachment as a page, whatever type it claims.
func servePart(w http.ResponseWriter, m *store.Message, n string) {
	i, err := strconv.Atoi(n)
	if err != nil || i < 0 || i >= len(m.Attachments) {
		writeJSON(w, 404, map[string]string{"error": "part " + strconv.Quote(n) + ": the message has " + strconv.Itoa(len(m.Attachments)) + " parts, numbered from 0"})
		return
	}
	a := m.Attachments[i]
	ctype := a.ContentType
	if _, _, err := mime.ParseMediaType(ctype); err != nil || ctype == "" {
		ctype = "application/octet-stream"
	}
	name := a.Name
	if name == "" {
		name = "part-" + n
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Content-Length", strconv.Itoa(len(a.Data)))
	_, _ = w.Write(a.Data)
}

// matchesSearch reports whether q (lower-cased; empty matches all) occurs in the subject, a
// sender's or recipient's name or address, or the body's text, case-insensitively: the
// viewer's search box. It runs under the store's read lock for mailbox messages.
func matchesSearch(m *store.Message, q string, extra ...string) bool {
	if q == "" {
		return true
	}
	fields := append([]string{m.Subject, m.From.Name, m.From.Address, m.Text}, extra...)
	for _, as := range [][]store.Address{m.To, m.Cc, m.Bcc} {
		for _, a := range as {
			fields = append(fields, a.Name, a.Address)
		}
	}
	for _, f := range fields {
		if containsFold(f, q) {
			return true
		}
	}
	return m.HTML != "" && containsFold(strings.Join(strings.Fields(htmltext.Text(m.HTML)), " "), q)
}

// searchTerm is the ?q= of a request as matchesSearch takes it: lower-cased, runs of white
// space made one space (the HTML body's text is folded the same way).
func searchTerm(r *http.Request) string {
	return strings.ToLower(strings.Join(strings.Fields(r.URL.Query().Get("q")), " "))
}

func containsFold(s, lowerQ string) bool { return strings.Contains(strings.ToLower(s), lowerQ) }
