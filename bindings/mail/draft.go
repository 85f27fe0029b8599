package mail

import (
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/mail"
	"path/filepath"
	"strings"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/internal/fileread"
	"github.com/mailscript/mailscript/providers"
)

var draftFields = []string{"to", "cc", "bcc", "replyTo", "subject", "text", "html", "attachments", "headers"}

// pendingFile is an attachment given by path; it is read in the send goroutine, off the loop.
type pendingFile struct {
	index int
	path  string
}

// draft converts the argument of send. Files named by path are returned separately so that
// reading them (possibly 25 MB) does not block the loop.
func draft(v goja.Value, dir string) (providers.Draft, []pendingFile, error) {
	var d providers.Draft
	obj, err := object(nil, v, "draft", draftFields...)
	if err != nil {
		return d, nil, err
	}
	if obj == nil {
		return d, nil, argErrorf("send needs a draft like { to: 'someone@example.com', subject: 'Hi', text: 'Hello' }")
	}
	for field, dst := range map[string]*[]providers.Address{"to": &d.To, "cc": &d.Cc, "bcc": &d.Bcc, "replyTo": &d.ReplyTo} {
		if *dst, err = addresses(obj.Get(field), "draft."+field); err != nil {
			return d, nil, err
		}
	}
	if len(d.To)+len(d.Cc)+len(d.Bcc) == 0 {
		return d, nil, argErrorf("draft.to is required: give at least one recipient in to, cc or bcc")
	}
	for field, dst := range map[string]*string{"subject": &d.Subject, "text": &d.Text, "html": &d.HTML} {
		if *dst, err = stringField(obj, "draft", field); err != nil {
			return d, nil, err
		}
	}
	if hv := obj.Get("headers"); !isAbsent(hv) {
		hobj, ok := hv.(*goja.Object)
		if !ok {
			return d, nil, argErrorf("draft.headers must be an object of header names to strings")
		}
		d.Headers = map[string]string{}
		for _, k := range hobj.Keys() {
			s, err := stringField(hobj, "draft.headers", k)
			if err != nil {
				return d, nil, err
			}
			d.Headers[k] = s
		}
	}
	pending, err := attachments(obj.Get("attachments"), dir, &d)
	return d, pending, err
}

// addresses accepts "a@b.c", "Name <a@b.c>, c@d.e", {name, address}, or an array of these.
func addresses(v goja.Value, name string) ([]providers.Address, error) {
	if isAbsent(v) {
		return nil, nil
	}
	if arr, ok := v.(*goja.Object); ok && arr.ClassName() == "Array" {
		var out []providers.Address
		for i, k := range arr.Keys() {
			list, err := addresses(arr.Get(k), fmt.Sprintf("%s[%d]", name, i))
			if err != nil {
				return nil, err
			}
			out = append(out, list...)
		}
		return out, nil
	}
	if obj, ok := v.(*goja.Object); ok && obj.ClassName() == "Object" {
		addr, ok := get(obj, "address").Export().(string)
		if !ok {
			return nil, argErrorf("%s.address must be an e-mail address string like 'someone@example.com', got %s", name, describe(get(obj, "address")))
		}
		display, err := stringField(obj, name, "name")
		if err != nil {
			return nil, err
		}
		if _, err := mail.ParseAddress(addr); err != nil {
			return nil, argErrorf("%s.address %q is not an e-mail address", name, addr)
		}
		return []providers.Address{{Name: display, Address: addr}}, nil
	}
	s, ok := v.Export().(string)
	if !ok {
		return nil, argErrorf("%s must be an address string, {name, address} or an array of them, got %s", name, describe(v))
	}
	list, err := mail.ParseAddressList(s)
	if err != nil {
		// net/mail's reasons ("mail: no angle-addr") speak of its parser, not of the input.
		return nil, argErrorf("%s: %q is not a list of e-mail addresses: write 'someone@example.com', 'Name <someone@example.com>' or several of them separated by commas", name, s)
	}
	out := make([]providers.Address, len(list))
	for i, a := range list {
		out[i] = providers.Address{Name: a.Name, Address: a.Address}
	}
	return out, nil
}

func attachments(v goja.Value, dir string, d *providers.Draft) ([]pendingFile, error) {
	if isAbsent(v) {
		return nil, nil
	}
	arr, ok := v.(*goja.Object)
	if !ok || arr.ClassName() != "Array" {
		return nil, argErrorf("draft.attachments must be an array of { name, content } or { path }")
	}
	var pending []pendingFile
	for i, k := range arr.Keys() {
		name := fmt.Sprintf("draft.attachments[%d]", i)
		obj, err := object(nil, arr.Get(k), name, "name", "content", "path", "contentType", "inline", "contentId")
		if err != nil {
			return nil, err
		}
		if obj == nil {
			return nil, argErrorf("%s is empty: give { name, content } or { path }", name)
		}
		var a providers.DraftAttachment
		if a.Name, err = stringField(obj, name, "name"); err != nil {
			return nil, err
		}
		if a.ContentType, err = stringField(obj, name, "contentType"); err != nil {
			return nil, err
		}
		if a.ContentID, err = stringField(obj, name, "contentId"); err != nil {
			return nil, err
		}
		if inline, err := boolField(obj, name, "inline"); err != nil {
			return nil, err
		} else if inline != nil {
			a.Inline = *inline
		}
		path, err := stringField(obj, name, "path")
		if err != nil {
			return nil, err
		}
		content := obj.Get("content")
		switch {
		case path != "" && !isAbsent(content):
			return nil, argErrorf("%s has both path and content: give one", name)
		case path != "":
			if !filepath.IsAbs(path) {
				path = filepath.Join(dir, path)
			}
			if a.Name == "" {
				a.Name = filepath.Base(path)
			}
			if err := checkFile(path, name); err != nil {
				return nil, err
			}
			pending = append(pending, pendingFile{index: len(d.Attachments), path: path})
		default:
			if a.Content, err = bytesOf(content, name+".content"); err != nil {
				return nil, err
			}
			if a.Name == "" {
				return nil, argErrorf("%s.name is required with content", name)
			}
		}
		if a.ContentType == "" {
			a.ContentType = contentType(a.Name)
		}
		d.Attachments = append(d.Attachments, a)
	}
	return pending, nil
}

func contentType(name string) string {
	if t := mime.TypeByExtension(strings.ToLower(filepath.Ext(name))); t != "" {
		return t
	}
	return "application/octet-stream"
}

// bytesOf accepts a string (sent as UTF-8), an ArrayBuffer or a typed array.
func bytesOf(v goja.Value, name string) ([]byte, error) {
	switch x := v.Export().(type) {
	case string:
		return []byte(x), nil
	case goja.ArrayBuffer:
		return append([]byte(nil), x.Bytes()...), nil
	case []byte:
		return append([]byte(nil), x...), nil
	}
	return nil, argErrorf("%s must be a string, an ArrayBuffer or a Uint8Array, got %s", name, describe(v))
}

// checkFile refuses, before anything is sent, a path that names no file, one that is not a
// regular file (a device would be read without end, a FIFO would block) or one larger than any
// message the services take. Other problems (no permission to read it) are reported when the
// file is read.
func checkFile(path, name string) error {
	var (
		nr *fileread.NotRegularError
		tl *fileread.TooLargeError
	)
	switch _, err := fileread.Check(path, providers.MaxMessageBytes); {
	case errors.As(err, &nr):
		return argErrorf("%s.path: %v: attach a file", name, err)
	case errors.As(err, &tl):
		return argErrorf("%s.path: %s is larger than %s, the largest message Exchange Online and Gmail take", name, path, providers.FormatSize(tl.Limit))
	case errors.Is(err, fs.ErrNotExist):
		return argErrorf("%s.path: there is no file %s (a relative path is taken from the script's folder)", name, path)
	}
	return nil
}

// readPending fills in the attachments given by path; a file that grew past the services'
// limit since it was checked stops being read there.
func readPending(d *providers.Draft, pending []pendingFile) error {
	for _, p := range pending {
		b, err := fileread.Read(p.path, providers.MaxMessageBytes)
		if err != nil {
			return &providers.Error{Code: providers.InvalidArgument, Message: fmt.Sprintf("attachment %s cannot be read: %v", p.path, err), Err: err}
		}
		d.Attachments[p.index].Content = b
	}
	return nil
}
