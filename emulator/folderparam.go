package emulator

import (
	"fmt"
	"strings"

	"github.com/mailscript/mailscript/emulator/store"
)

// scriptFolders maps the folder names a script uses (box.list({folder}), box.move) to the
// store's well-known names, so the inspection API takes the words the tests were written in
// and not only Graph's spelling ("sentitems") or Gmail's label ids ("SENT").
var scriptFolders = map[string]string{
	"inbox": store.Inbox, "sent": store.SentItems, "drafts": store.Drafts, "draft": store.Drafts,
	"trash": store.DeletedItems, "deleted": store.DeletedItems, "junk": store.JunkEmail, "spam": store.JunkEmail,
	"archive": store.Archive, "outbox": store.Outbox,
}

// scriptFolderNames is what a 404 offers first, in the order the README names them.
var scriptFolderNames = []string{"inbox", "sent", "drafts", "trash", "junk", "archive"}

// maxFolderNamesListed bounds the names a 404 lists: a mailbox may hold thousands of folders.
const maxFolderNamesListed = 20

// folderParam resolves the inspection API's ?folder= to a folder id (findFolder); "" stays ""
// (every folder, or the inbox for an insert). An unknown name is ErrNotFound listing what the
// mailbox accepts.
func (s *Server) folderParam(mailbox, ref string) (string, error) {
	if ref == "" {
		return "", nil
	}
	id, fs, err := s.findFolder(mailbox, ref)
	if err != nil || id != "" {
		return id, err
	}
	names := append([]string(nil), scriptFolderNames...)
	for _, f := range fs {
		if f.WellKnown == "" {
			names = append(names, fmt.Sprintf("%q", f.Name))
		}
	}
	if len(names) > maxFolderNamesListed {
		names = append(names[:maxFolderNamesListed], "...")
	}
	address := mailbox
	if mb, ok := s.store.Mailbox(mailbox); ok {
		address = mb.Address
	}
	return "", fmt.Errorf("%w: folder %q in mailbox %s; use %s, or a folder id from GET /_emulator/mailboxes",
		store.ErrNotFound, ref, address, strings.Join(names, ", "))
}

// findFolder finds a mailbox's folder by, in any case, a script's well-known name, the store's
// (Graph's) well-known name, a folder or label id, or a display name. It returns "" when none
// matches, with the mailbox's folders; err is only for an unknown mailbox.
func (s *Server) findFolder(mailbox, ref string) (string, []store.Folder, error) {
	fs, err := s.store.Folders(mailbox)
	if err != nil {
		return "", nil, err
	}
	wellKnown, ok := scriptFolders[strings.ToLower(ref)]
	if !ok {
		wellKnown = ref
	}
	for _, f := range fs {
		if f.ID == ref {
			return f.ID, fs, nil
		}
	}
	for _, f := range fs {
		if (f.WellKnown != "" && strings.EqualFold(f.WellKnown, wellKnown)) || strings.EqualFold(f.ID, ref) || strings.EqualFold(f.Name, ref) {
			return f.ID, fs, nil
		}
	}
	return "", fs, nil
}
