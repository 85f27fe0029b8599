package google

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator/store"
	"github.com/mailscript/mailscript/providers"
)

func rawMail(from, to, subject, body string) []byte {
	return []byte(fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%d@test>\r\n\r\n%s\r\n",
		from, to, subject, time.Now().Format(time.RFC1123Z), time.Now().UnixNano(), body))
}

func TestOperations(t *testing.T) {
	e := newEmu(t, emuOptions{})
	ctx := context.Background()
	mb := e.connect(qaUser, nil)
	old := time.Now().Add(-time.Hour)
	e.insert(qaUser, rawMail("Old <old@example.org>", qaUser, "old news", "x"), store.InsertOptions{ReceivedAt: old, IsRead: true})
	id := e.insert(qaUser, rawMail("Bot <no-reply@example.org>", qaUser, "Reset your password", "go to https://example.org/r?t=1"), store.InsertOptions{})

	t.Run("list", func(t *testing.T) {
		all, err := mb.List(ctx, providers.Criteria{})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 2 || all[0].ID != id || all[0].Subject != "Reset your password" || all[1].Subject != "old news" {
			t.Fatalf("list = %+v", all)
		}
		if all[0].From != (providers.Address{Name: "Bot", Address: "no-reply@example.org"}) || all[0].IsRead || !all[1].IsRead || all[0].Folder != "inbox" {
			t.Errorf("summary = %+v", all[0])
		}
		tests := []struct {
			name string
			c    providers.Criteria
			want []string
		}{
			{"subject contains", providers.Criteria{Subject: providers.Matcher{Contains: "RESET your"}}, []string{"Reset your password"}},
			{"subject regexp", providers.Criteria{Subject: providers.Matcher{Regexp: regexp.MustCompile(`(?i)^old`)}}, []string{"old news"}},
			{"from address", providers.Criteria{From: providers.Matcher{Contains: "no-reply@example.org"}}, []string{"Reset your password"}},
			{"unread", providers.Criteria{Unread: ptr(true)}, []string{"Reset your password"}},
			{"since", providers.Criteria{Since: old.Add(time.Minute)}, []string{"Reset your password"}},
			{"before", providers.Criteria{Before: old.Add(time.Minute)}, []string{"old news"}},
			{"body", providers.Criteria{Body: providers.Matcher{Contains: "example.org/r?t=1"}}, []string{"Reset your password"}},
			{"query", providers.Criteria{Query: "subject:news"}, []string{"old news"}},
			{"limit", providers.Criteria{Limit: 1}, []string{"Reset your password"}},
			{"no match", providers.Criteria{Subject: providers.Matcher{Contains: "nothing like this"}}, nil},
		}
		for _, tt := range tests {
			got, err := mb.List(ctx, tt.c)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			var subjects []string
			for _, s := range got {
				subjects = append(subjects, s.Subject)
			}
			if !slices.Equal(subjects, tt.want) {
				t.Errorf("%s: list = %q, want %q", tt.name, subjects, tt.want)
			}
		}
	})

	t.Run("read", func(t *testing.T) {
		msg, err := mb.Read(ctx, id, providers.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if msg.Subject != "Reset your password" || !strings.Contains(msg.Text, "go to") || !slices.Equal(msg.Links, []string{"https://example.org/r?t=1"}) {
			t.Errorf("read = %+v", msg)
		}
		raw, err := mb.Read(ctx, id, providers.ReadOptions{Raw: true})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(raw.Raw, []byte("Subject: Reset your password")) || raw.Text != msg.Text || raw.ID != id {
			t.Errorf("raw read = %+v", raw)
		}
		_, err = mb.Read(ctx, "ffffffffffffffff", providers.ReadOptions{})
		if providers.CodeOf(err) != providers.NotFound {
			t.Errorf("read of a missing id: %v, want NOT_FOUND", err)
		}
	})

	t.Run("markRead move delete folders", func(t *testing.T) {
		if err := mb.MarkRead(ctx, id, true); err != nil {
			t.Fatal(err)
		}
		if got, _ := mb.List(ctx, providers.Criteria{Unread: ptr(true)}); len(got) != 0 {
			t.Errorf("unread after markRead = %+v", got)
		}
		if _, err := mb.Move(ctx, id, "archive"); err != nil {
			t.Fatal(err)
		}
		if got, _ := mb.List(ctx, providers.Criteria{Folder: "archive"}); len(got) != 1 || got[0].Folder != "archive" {
			t.Errorf("archive = %+v", got)
		}
		if _, err := mb.Move(ctx, id, "inbox"); err != nil {
			t.Fatal(err)
		}
		if _, err := mb.Move(ctx, id, "no such label"); providers.CodeOf(err) != providers.NotFound || !strings.Contains(err.Error(), "inbox, sent") {
			t.Errorf("move to a missing label: %v", err)
		}
		if trashed, err := mb.Delete(ctx, id, providers.DeleteOptions{}); err != nil || trashed != id {
			t.Fatalf("delete = %q, %v; want the id kept (Gmail only labels it)", trashed, err)
		}
		if got, _ := mb.List(ctx, providers.Criteria{Folder: "trash"}); len(got) != 1 || got[0].Folder != "trash" {
			t.Errorf("trash = %+v", got)
		}
		if _, err := mb.Delete(ctx, id, providers.DeleteOptions{Permanent: true}); providers.CodeOf(err) != providers.PermissionDenied || !strings.Contains(err.Error(), ScopeFull) {
			t.Errorf("permanent delete with gmail.modify: %v, want PERMISSION_DENIED naming %s", err, ScopeFull)
		}
		full := e.connect(qaUser, providers.Options{"scopes": []any{"gmail.modify", ScopeFull}})
		if _, err := full.Delete(ctx, id, providers.DeleteOptions{Permanent: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := mb.Read(ctx, id, providers.ReadOptions{}); providers.CodeOf(err) != providers.NotFound {
			t.Errorf("read after permanent delete: %v", err)
		}
		folders, err := mb.Folders(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(folders) < 5 || folders[0].WellKnown != "inbox" || folders[0].Total != 1 {
			t.Errorf("folders = %+v", folders)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func regexpOf(s string) *regexp.Regexp { return regexp.MustCompile(s) }
