package graph

import (
	"encoding/base64"
	"slices"
	"strings"

	"github.com/mailscript/mailscript/emulator/store"
)

// expansion is a parsed $expand on messages. Only attachments is implemented; Graph adds the
// expanded collection after the message's own properties.
type expansion struct {
	attachments bool
	attSelect   []string // nested $select on attachments; nil means every property
}

// Navigation properties of microsoft.graph.message in v1.0: attachments is expanded, the
// others are real but not emulated, so asking for them is refused rather than ignored.
var messageNavigation = []string{"attachments", "extensions", "singleValueExtendedProperties", "multiValueExtendedProperties"}

// attachmentProps are the properties of attachment (base type) and fileAttachment, in the
// order Graph renders them.
var attachmentProps = []string{"id", "lastModifiedDateTime", "name", "contentType", "size", "isInline", "contentId", "contentLocation", "contentBytes"}

func errExpand(name, typeName string) *apiError {
	return errBadRequest("Parsing OData Select and Expand failed: Could not find a property named '" + name + "' on type '" + typeName + "'.")
}

// parseExpand reads $expand=attachments or attachments($select=id,name,...). Items are
// comma-separated outside parentheses; nested options are separated by ';'.
func parseExpand(src string) (expansion, *apiError) {
	var x expansion
	items, ok := splitTopLevel(src, ',')
	if !ok {
		return x, errBadRequest("Parsing OData Select and Expand failed: unbalanced parentheses in '" + src + "'.")
	}
	for _, item := range items {
		name, opts, hasOpts := strings.Cut(strings.TrimSpace(item), "(")
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		i := slices.IndexFunc(messageNavigation, func(n string) bool { return strings.EqualFold(n, name) })
		switch {
		case i < 0:
			return x, errExpand(name, "microsoft.graph.message")
		case i > 0:
			return x, errBadRequest("$expand=" + messageNavigation[i] + " is valid on Graph but not implemented by the emulator; only $expand=attachments is.")
		}
		x.attachments = true
		if !hasOpts {
			continue
		}
		sel, e := parseNestedOptions(strings.TrimSuffix(opts, ")"))
		if e != nil {
			return x, e
		}
		x.attSelect = sel
	}
	return x, nil
}

// parseNestedOptions reads the options inside attachments(...): only $select is emulated.
func parseNestedOptions(src string) ([]string, *apiError) {
	var sel []string
	for _, opt := range strings.Split(src, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(opt), "=")
		switch strings.ToLower(strings.TrimPrefix(k, "$")) {
		case "":
		case "select":
			var e *apiError
			if sel, e = parseAttachmentSelect(v); e != nil {
				return nil, e
			}
		default:
			return nil, errBadRequest("The emulator implements only $select inside $expand=attachments(...); got '" + k + "'.")
		}
	}
	return sel, nil
}

// parseAttachmentSelect checks a $select list on attachments; a leading type cast
// (microsoft.graph.fileAttachment/contentBytes) is accepted as Graph accepts it.
func parseAttachmentSelect(v string) ([]string, *apiError) {
	canonical := func(p string) string {
		p = p[strings.LastIndex(p, "/")+1:]
		if i := slices.IndexFunc(attachmentProps, func(q string) bool { return strings.EqualFold(p, q) }); i >= 0 {
			return attachmentProps[i]
		}
		return p
	}
	// contentId, contentLocation and contentBytes belong to fileAttachment: Graph refuses them
	// on the base type unless cast (microsoft.graph.fileAttachment/contentId).
	known := func(p string) bool {
		c := canonical(p)
		return slices.Index(attachmentProps, c) >= 0 && (strings.Contains(p, "/") || slices.Index(attachmentProps, c) < slices.Index(attachmentProps, "contentId"))
	}
	unknown := func(p string) *apiError { return errExpand(p, "microsoft.graph.attachment") }
	return parseSelect(v, known, canonical, unknown)
}

// renderAttachment renders a file attachment with every property, or with the selected ones
// after the annotations and id.
func (f *Face) renderAttachment(m *store.Message, a store.Attachment, selected []string) object {
	ct := a.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	out := object{{"@odata.type", "#microsoft.graph.fileAttachment"}, {"@odata.mediaContentType", ct}, {"id", a.ID}}
	for _, p := range attachmentProps[1:] {
		if selected != nil && !slices.Contains(selected, p) {
			continue
		}
		var v any
		switch p {
		case "lastModifiedDateTime":
			v = graphTime(m.ModifiedAt)
		case "name":
			v = a.Name
		case "contentType":
			v = ct
		case "size":
			v = len(a.Data)
		case "isInline":
			v = a.Inline
		case "contentId":
			v = nullable(a.ContentID)
		case "contentLocation":
			v = nil
		case "contentBytes":
			v = base64.StdEncoding.EncodeToString(a.Data)
		}
		out = append(out, field{p, v})
	}
	return out
}

// expandAttachments appends the expanded attachments to a rendered message.
func (f *Face) expandAttachments(out object, m *store.Message, o renderOpts) object {
	value := make([]any, len(m.Attachments))
	for i, a := range m.Attachments {
		value[i] = f.renderAttachment(m, a, o.expand.attSelect)
	}
	if o.attachContext != nil {
		out = append(out, field{"attachments@odata.context", o.attachContext(m.ID)})
	}
	return append(out, field{"attachments", value})
}

// splitTopLevel splits s on sep outside parentheses; ok is false when they do not balance.
func splitTopLevel(s string, sep rune) (parts []string, ok bool) {
	depth, start := 0, 0
	for i, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')':
			if depth--; depth < 0 {
				return nil, false
			}
		case r == sep && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:]), depth == 0
}
