package gmail

import (
	"slices"
	"strings"
	"sync"

	"github.com/mailscript/mailscript/emulator/store"
	"github.com/mailscript/mailscript/internal/htmltext"
)

// docCache keeps the search view of each message: building it means tokenizing the body,
// which dominates the cost of a q search over a large mailbox. Content under an id only
// changes through ReplaceRaw, which the cached Raw pointer detects.
type docCache struct{ m sync.Map } // mailboxID/messageID -> *cachedDoc

type cachedDoc struct {
	raw *byte
	d   doc
}

func (c *docCache) get(m *store.Message) doc {
	key := m.MailboxID + "/" + m.ID
	var raw *byte
	if len(m.Raw) > 0 {
		raw = &m.Raw[0]
	}
	if v, ok := c.m.Load(key); ok && v.(*cachedDoc).raw == raw {
		return v.(*cachedDoc).d
	}
	d := buildDoc(m)
	c.m.Store(key, &cachedDoc{raw: raw, d: d})
	return d
}

func buildDoc(m *store.Message) doc {
	hv := func(name string) string { return strings.ToLower(store.DecodeHeader(m.Header(name))) }
	body := m.Text
	if strings.TrimSpace(body) == "" {
		body = htmltext.Visible(m.HTML)
	}
	d := doc{
		from: hv("From"), to: hv("To"), cc: hv("Cc"), bcc: hv("Bcc"), deliveredTo: hv("Delivered-To"),
		subject:    words(m.Subject),
		internalMs: m.InternalDate.UnixMilli(),
		messageID:  strings.ToLower(strings.Trim(m.MessageID, "<> ")),
		size:       int64(len(m.Raw)),
	}
	var text strings.Builder
	for _, s := range []string{m.Subject, body, d.from, d.to, d.cc} {
		text.WriteString(s)
		text.WriteByte(' ')
	}
	for _, a := range m.Attachments {
		if a.Name != "" {
			d.filenames = append(d.filenames, strings.ToLower(a.Name))
			text.WriteString(a.Name + " ")
		}
		if a.Name != "" || !a.Inline {
			d.hasAttachment = true
		}
	}
	d.text = words(text.String())
	return d
}

// gmailLabels lists a message's Gmail label ids: its folder and labels, UNREAD and STARRED,
// without the store-only ARCHIVE and OUTBOX folders.
func gmailLabels(m *store.Message) []string {
	keys := slices.DeleteFunc(m.LabelKeys(), func(k string) bool { return k == "ARCHIVE" || k == "OUTBOX" })
	slices.Sort(keys)
	return keys
}

// labelSet is the doc.labels of a message: ids lower-cased, plus user label names as label:
// writes them.
func labelSet(ids []string, userNames map[string]string) map[string]bool {
	set := make(map[string]bool, len(ids)*2)
	for _, id := range ids {
		set[strings.ToLower(id)] = true
		if n, ok := userNames[id]; ok {
			set[labelKey(n)] = true
		}
	}
	return set
}
