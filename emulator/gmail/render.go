package gmail

import (
	"encoding/base64"
	"html"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mailscript/mailscript/emulator/store"
)

// message is users.messages resource as Gmail sends it: int64 fields as JSON strings,
// sizeEstimate as a number, base64url (padded) for raw and body data.
type message struct {
	ID           string       `json:"id"`
	ThreadID     string       `json:"threadId"`
	LabelIDs     []string     `json:"labelIds,omitempty"`
	Snippet      string       `json:"snippet,omitempty"`
	Payload      *messagePart `json:"payload,omitempty"`
	SizeEstimate int          `json:"sizeEstimate,omitempty"`
	HistoryID    string       `json:"historyId,omitempty"`
	InternalDate string       `json:"internalDate,omitempty"`
	Raw          string       `json:"raw,omitempty"`
}

type messagePart struct {
	PartID   string         `json:"partId"`
	MimeType string         `json:"mimeType"`
	Filename string         `json:"filename"`
	Headers  []header       `json:"headers"`
	Body     *partBody      `json:"body,omitempty"`
	Parts    []*messagePart `json:"parts,omitempty"`
}

type header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type partBody struct {
	AttachmentID string `json:"attachmentId,omitempty"`
	Size         int    `json:"size"`
	Data         string `json:"data,omitempty"`
}

// idOnly is the {id, threadId} shape of messages.list entries and history records.
type idOnly struct {
	ID       string `json:"id"`
	ThreadID string `json:"threadId"`
}

// Message formats accepted by messages.get.
const (
	formatFull     = "full"
	formatMetadata = "metadata"
	formatMinimal  = "minimal"
	formatRaw      = "raw"
)

var b64 = base64.URLEncoding

// renderMessage builds the resource in the given format; metadataHeaders narrows the
// headers of the metadata format (case-insensitive; empty means all).
func renderMessage(m *store.Message, labels []string, format string, metadataHeaders []string) *message {
	out := &message{
		ID:           m.ID,
		ThreadID:     m.ThreadID,
		LabelIDs:     labels,
		Snippet:      snippet(m.Preview),
		SizeEstimate: len(m.Raw),
		HistoryID:    strconv.FormatUint(m.HistoryID, 10),
		InternalDate: strconv.FormatInt(m.InternalDate.UnixMilli(), 10),
	}
	switch format {
	case formatRaw:
		out.Raw = b64.EncodeToString(m.Raw)
	case formatMetadata:
		out.Payload = &messagePart{MimeType: m.Root.MimeType, Headers: pickHeaders(m.Headers, metadataHeaders)}
	case formatFull:
		out.Payload = renderPart(m.Root)
	}
	return out
}

func renderPart(p *store.Part) *messagePart {
	mp := &messagePart{PartID: p.PartID, MimeType: p.MimeType, Filename: p.Filename,
		Headers: pickHeaders(p.Headers, nil), Body: &partBody{}}
	if p.PartID != "" {
		for i := range mp.Headers {
			mp.Headers[i].Name = spelling(mp.Headers[i].Name)
		}
	}
	switch {
	case p.Parts != nil:
		for _, c := range p.Parts {
			mp.Parts = append(mp.Parts, renderPart(c))
		}
	case p.AttachmentID != "":
		mp.Body = &partBody{AttachmentID: p.AttachmentID, Size: len(p.Data)}
	case len(p.Data) > 0:
		mp.Body = &partBody{Size: len(p.Data), Data: b64.EncodeToString(p.Data)}
	}
	return mp
}

// pickHeaders decodes RFC 2047 words, as Gmail does, keeping message order.
func pickHeaders(hs []store.Header, only []string) []header {
	out := []header{}
	for _, h := range hs {
		if len(only) > 0 && !containsFold(only, h.Name) {
			continue
		}
		out = append(out, header{Name: h.Name, Value: store.DecodeHeader(h.Value)})
	}
	return out
}

// spelling undoes Go's header canonicalization (the store reads part headers through
// net/textproto) for the names whose usual spelling differs.
func spelling(name string) string {
	switch name {
	case "Content-Id":
		return "Content-ID"
	case "Mime-Version":
		return "MIME-Version"
	case "Message-Id":
		return "Message-ID"
	}
	return name
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// snippet is Gmail's: the start of the text, HTML-escaped (Gmail sends &#39; and friends).
func snippet(preview string) string {
	const max = 200
	if utf8.RuneCountInString(preview) > max {
		preview = string([]rune(preview)[:max])
	}
	return html.EscapeString(preview)
}
