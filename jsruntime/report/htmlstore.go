package report

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/mailscript/mailscript/internal/mailview"
)

// htmlStore keeps the HTML report small: every distinct message is stored once (keyed by a
// hash of its content), and the bytes of a part over the embedding limit, like every raw
// source, go to a file of their own beside index.html, written once per distinct content.
type htmlStore struct {
	dir      string
	limit    int64 // parts up to this size stay data: URLs
	cidLimit int64 // the same for parts the HTML body shows (cid:), which a file cannot serve
	redact   func(string) string
	messages map[string]*mailview.Message // by id
	order    []string
	written  map[string]bool // relative paths already on disk
	bytes    int64           // what the files written so far weigh
}

func newHTMLStore(dir string, limit, cidLimit int64, redact func(string) string) *htmlStore {
	return &htmlStore{dir: dir, limit: limit, cidLimit: cidLimit, redact: redact,
		messages: map[string]*mailview.Message{}, written: map[string]bool{}}
}

// add stores m and returns its id. The caller's message is left alone: parts and raw source
// are moved out of a copy.
func (s *htmlStore) add(m *mailview.Message) (string, error) {
	c := *m
	c.Attachments = append([]mailview.Part(nil), m.Attachments...)
	for i := range c.Attachments {
		if err := s.externalizePart(&c.Attachments[i]); err != nil {
			return "", err
		}
	}
	if len(m.Raw) > 0 {
		url, err := s.writeRaw(m.Raw)
		if err != nil {
			return "", err
		}
		c.RawURL, c.Raw = url, nil
	}
	b, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	id := "m" + shortHash(b)
	if _, ok := s.messages[id]; !ok {
		s.messages[id] = &c
		s.order = append(s.order, id)
	}
	return id, nil
}

// externalizePart writes a data: URL part over its limit to parts/ and points the part at it.
func (s *htmlStore) externalizePart(p *mailview.Part) error {
	data, ok := decodeDataURL(p.URL)
	if !ok {
		return nil
	}
	limit := s.limit
	if p.ContentID != "" {
		limit = max(limit, s.cidLimit)
	}
	if int64(len(data)) <= limit {
		return nil
	}
	rel := "parts/" + shortHash(data) + safeExt(p.Name)
	if err := s.write(rel, data); err != nil {
		return err
	}
	if p.ContentID != "" {
		// The body cannot load the file (see mailview.Part.Script): a script hands it over.
		script := rel + ".js"
		js, err := jsCall("MailView.provide", script, p.URL)
		if err != nil {
			return err
		}
		if err := s.write(script, js); err != nil {
			return err
		}
		p.Script = script
	}
	p.URL = rel
	return nil
}

// writeRaw writes a raw source as a script that hands it to MailView.provide: a page
// opened from disk cannot fetch a file, but it can load a script.
func (s *htmlStore) writeRaw(raw []byte) (string, error) {
	text := strings.ToValidUTF8(string(raw), "\uFFFD")
	if s.redact != nil {
		text = s.redact(text)
	}
	rel := "raw/" + shortHash([]byte(text)) + ".js"
	js, err := jsCall("MailView.provide", rel, text)
	if err != nil {
		return "", err
	}
	return rel, s.write(rel, js)
}

func (s *htmlStore) write(rel string, data []byte) error {
	if s.written[rel] {
		return nil
	}
	full := filepath.Join(s.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(full, data, 0o644); err != nil {
		return err
	}
	s.written[rel] = true
	s.bytes += int64(len(data))
	return nil
}

// ownFile matches the names the store gives files, so that prune never touches anything else
// a user keeps in the folder.
var ownFile = regexp.MustCompile(`^[0-9a-f]{20}(\.[a-z0-9]{1,10})?(\.js)?$`)

// prune removes the parts and raw sources an earlier run left in the folder that this run did
// not write, so that a report folder reused run after run does not grow.
func (s *htmlStore) prune() error {
	for _, sub := range []string{"parts", "raw"} {
		entries, err := os.ReadDir(filepath.Join(s.dir, sub))
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			return err
		}
		for _, e := range entries {
			if e.Type().IsRegular() && ownFile.MatchString(e.Name()) && !s.written[sub+"/"+e.Name()] {
				if err := os.Remove(filepath.Join(s.dir, sub, e.Name())); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// jsCall is the source of a call of fn with JSON-encoded arguments, ending in a newline.
func jsCall(fn string, args ...any) ([]byte, error) {
	var b strings.Builder
	b.WriteString(fn + "(")
	for i, a := range args {
		j, err := json.Marshal(a)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.Write(j)
	}
	b.WriteString(");\n")
	return []byte(b.String()), nil
}

func shortHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:10])
}

var extRE = regexp.MustCompile(`^\.[A-Za-z0-9]{1,10}$`)

// safeExt keeps a file name's extension when it is plain, so that a browser opening the part
// from disk knows its type; anything else becomes .bin.
func safeExt(name string) string {
	if ext := path.Ext(name); extRE.MatchString(ext) {
		return strings.ToLower(ext)
	}
	return ".bin"
}

// decodeDataURL returns the bytes of a data: URL, base64 or percent-encoded.
func decodeDataURL(u string) ([]byte, bool) {
	rest, ok := strings.CutPrefix(u, "data:")
	if !ok {
		return nil, false
	}
	meta, payload, ok := strings.Cut(rest, ",")
	if !ok {
		return nil, false
	}
	if strings.HasSuffix(meta, ";base64") {
		b, err := base64.StdEncoding.DecodeString(payload)
		if err != nil {
			return nil, false
		}
		return b, true
	}
	b, err := url.PathUnescape(payload)
	return []byte(b), err == nil
}
