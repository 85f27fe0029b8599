package microsoft365

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/providers"
)

func TestConnectOptions(t *testing.T) {
	full := map[string]string{EnvTenantID: "t", EnvClientID: "c", EnvClientSecret: "s", EnvMailbox: "m@x.com"}
	envWithout := func(drop string, extra ...string) providers.Env {
		return func(k string) string {
			for i := 0; i+1 < len(extra); i += 2 {
				if extra[i] == k {
					return extra[i+1]
				}
			}
			if k == drop {
				return ""
			}
			return full[k]
		}
	}
	cases := []struct {
		name      string
		opts      providers.Options
		env       providers.Env
		field     string
		mentions  string
		wantGraph string
	}{
		{"unknown option", providers.Options{"tenant": "x"}, envWithout(""), "tenant", "valid options", ""},
		{"missing tenant", nil, envWithout(EnvTenantID), "tenantId", EnvTenantID, ""},
		{"missing client", nil, envWithout(EnvClientID), "clientId", EnvClientID, ""},
		{"missing mailbox", nil, envWithout(EnvMailbox), "mailbox", EnvMailbox, ""},
		{"missing secret", nil, envWithout(EnvClientSecret), "clientSecret", EnvClientSecret, ""},
		{"nothing set", nil, func(string) string { return "" }, "tenantId", "missing settings: tenantId (" + EnvTenantID + "), clientId (" + EnvClientID + "), mailbox (" + EnvMailbox +
			"), clientSecret (" + EnvClientSecret + ") or certificate {path, password} (" + EnvCertPath + "); pass them to mail.connect, set the environment variables (or --env-file), or run with --emulator", ""},
		{"plain http", providers.Options{"graphUrl": "http://graph.example.com"}, envWithout(""), "graphUrl", "loopback", ""},
		{"bad cloud", providers.Options{"cloud": "mars"}, envWithout(""), "cloud", "usgov", ""},
		{"secret type", providers.Options{"clientSecret": 42}, envWithout(""), "clientSecret", "string", ""},
		{"usgov-dod", providers.Options{"cloud": "usgov-dod"}, envWithout(""), "", "", "https://dod-graph.microsoft.us"},
		{"china", providers.Options{"cloud": "china"}, envWithout(""), "", "", "https://microsoftgraph.chinacloudapi.cn"},
		{"env beats cloud", providers.Options{"cloud": "china"}, envWithout("", EnvGraphURL, "http://127.0.0.1:9/"), "", "", "http://127.0.0.1:9"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mb, err := Connect(c.opts, c.env, providers.NewShared(nil))
			if c.field == "" {
				if err != nil || mb.(*mailbox).cfg.graphRoot != c.wantGraph {
					t.Fatalf("err %v", err)
				}
				return
			}
			var oe *providers.OptionError
			if !errors.As(err, &oe) || oe.Field != c.field || !strings.Contains(oe.Error(), c.mentions) {
				t.Fatalf("err = %v, want field %s mentioning %s", err, c.field, c.mentions)
			}
		})
	}
}

func TestAuthErrors(t *testing.T) {
	e := startEmulator(t, emulator.Config{})
	cases := []struct {
		name, key, value, providerCode, mentions string
	}{
		{"bad secret", EnvClientSecret, "wrong-secret-123", "AADSTS7000215", EnvClientSecret},
		{"unknown app", EnvClientID, "00000000-0000-0000-0000-000000000001", "AADSTS700016", EnvClientID},
		{"unknown tenant", EnvTenantID, "nowhere.example", "AADSTS90002", EnvTenantID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mb := e.connect(t, nil, c.key, c.value)
			_, err := mb.List(ctxT(t), providers.Criteria{})
			var pe *providers.Error
			if !errors.As(err, &pe) || pe.Code != providers.AuthFailed || pe.ProviderCode != c.providerCode || !strings.Contains(pe.Message, c.mentions) {
				t.Fatalf("err = %#v", err)
			}
			if strings.Contains(err.Error(), "wrong-secret-123") {
				t.Fatal("the secret leaked into the error")
			}
		})
	}
}

func TestListPagingAndFilters(t *testing.T) {
	e := startEmulator(t, emulator.Config{})
	base := time.Now().Add(-48 * time.Hour).Truncate(time.Second)
	for i := 0; i < 1050; i++ {
		e.insert(t, fmt.Sprintf("Bulk %04d", i), "Bulk <bulk@example.net>", base.Add(time.Duration(i)*time.Minute))
	}
	e.insert(t, "Needle", "Alerts <alerts@example.org>", base.Add(-time.Hour))
	mb := e.connect(t, nil)
	ctx := ctxT(t)
	all, err := mb.List(ctx, providers.Criteria{Limit: 2000})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1051 || all[0].Subject != "Bulk 1049" || all[1050].Subject != "Needle" {
		t.Fatalf("got %d, first %q", len(all), all[0].Subject)
	}
	unread := true
	cases := []struct {
		name string
		c    providers.Criteria
		want []string
	}{
		{"from address", providers.Criteria{From: providers.Matcher{Contains: "alerts@example.org"}}, []string{"Needle"}},
		{"since", providers.Criteria{Since: base.Add(1048 * time.Minute)}, []string{"Bulk 1049", "Bulk 1048"}},
		{"before and unread", providers.Criteria{Before: base, Unread: &unread}, []string{"Needle"}},
		{"subject search", providers.Criteria{Subject: providers.Matcher{Contains: "needle"}}, []string{"Needle"}},
		{"limit", providers.Criteria{Limit: 3}, []string{"Bulk 1049", "Bulk 1048", "Bulk 1047"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := mb.List(ctx, c.c)
			if err != nil {
				t.Fatal(err)
			}
			var subjects []string
			for _, s := range got {
				subjects = append(subjects, s.Subject)
			}
			if fmt.Sprint(subjects) != fmt.Sprint(c.want) {
				t.Fatalf("got %q, want %q", subjects, c.want)
			}
		})
	}
}

func TestMoveDeleteMarkReadFolders(t *testing.T) {
	e := startEmulator(t, emulator.Config{})
	id := e.insert(t, "Move me", "a@example.net", time.Now())
	mb := e.connect(t, nil)
	ctx := ctxT(t)
	if err := mb.MarkRead(ctx, id, true); err != nil {
		t.Fatal(err)
	}
	newID, err := mb.Move(ctx, id, "archive")
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mb.Read(ctx, newID, providers.ReadOptions{})
	if err != nil || msg.Folder != "archive" || !msg.IsRead {
		t.Fatalf("after move: %+v, %v", msg, err)
	}
	if _, err := mb.Read(ctx, id, providers.ReadOptions{}); providers.CodeOf(err) != providers.NotFound {
		t.Fatalf("old id: err = %v, want NOT_FOUND", err)
	}
	trashedID, err := mb.Delete(ctx, newID, providers.DeleteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	trash, err := mb.List(ctx, providers.Criteria{Folder: "trash"})
	if err != nil || len(trash) != 1 || trash[0].Subject != "Move me" || trash[0].ID != trashedID {
		t.Fatalf("trash = %+v, %v; want the message under the id Delete returned, %s", trash, err, trashedID)
	}
	// The old id is gone; a failure names the delete the script asked for, not a move.
	if _, err := mb.Delete(ctx, newID, providers.DeleteOptions{}); providers.CodeOf(err) != providers.NotFound || !strings.Contains(err.Error(), "delete message") {
		t.Errorf("delete by the id before the delete: %v, want NOT_FOUND naming the delete", err)
	}
	if gone, err := mb.Delete(ctx, trashedID, providers.DeleteOptions{Permanent: true}); err != nil || gone != "" {
		t.Fatal(err)
	}
	folders, err := mb.Folders(ctx)
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, f := range folders {
		known[f.WellKnown] = true
		if f.WellKnown == "trash" && f.Total != 0 {
			t.Errorf("trash still holds %d", f.Total)
		}
	}
	for _, w := range []string{"inbox", "sent", "drafts", "trash", "archive", "junk"} {
		if !known[w] {
			t.Errorf("folder %s not reported as well-known: %+v", w, folders)
		}
	}
	if _, err := mb.Move(ctx, "x", "No Such Folder"); providers.CodeOf(err) != providers.NotFound || !strings.Contains(err.Error(), "Inbox") {
		t.Fatalf("unknown folder: %v", err)
	}
}

// readAll reads ids at once, as Promise.all does, and checks each subject against want.
func readAll(ctx context.Context, mb *mailbox, ids []string, want func(i int) string) error {
	var wg sync.WaitGroup
	errs := make([]error, len(ids))
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg, err := mb.Read(ctx, id, providers.ReadOptions{})
			if err == nil && msg.Subject != want(i) {
				err = fmt.Errorf("read %s got %q, want %q", id, msg.Subject, want(i))
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// TestConcurrentReadsWithinLimit reads 100 messages at once against Graph's limit of four
// calls in flight per mailbox, counted per $batch sub-request: not one call may be throttled,
// so each of the 107 calls (one per message, seven for the folder lookup) is made exactly once.
// The reads share $batch requests of up to 20: a free connection takes its quarter of the
// reads waiting, so that the four chains finish together, which makes about 4 ln(100/4) = 13
// batches however the reads trickle in, and one for the folder lookup.
func TestConcurrentReadsWithinLimit(t *testing.T) {
	e := startEmulator(t, emulator.Config{MailboxConcurrency: mailboxConcurrency})
	var ids []string
	for i := 0; i < 100; i++ {
		ids = append(ids, e.insert(t, fmt.Sprintf("Parallel %03d", i), "p@example.net", time.Now().Add(-time.Duration(i)*time.Second)))
	}
	mb := e.connect(t, nil)
	e.srv.ResetCounts()
	if err := readAll(ctxT(t), mb, ids, func(i int) string { return fmt.Sprintf("Parallel %03d", i) }); err != nil {
		t.Fatal(err)
	}
	g := e.graph()
	if g.Calls != 100+7 || g.Requests > 20 {
		t.Errorf("%d requests carrying %d calls; want at most 20 requests and exactly 107 calls (more means throttled calls were sent again)", g.Requests, g.Calls)
	}
}

// TestConcurrentReadsAndFaults reads 40 messages at once, twice, through a 429 storm (one call
// in five throttled, inside $batch too), the mailbox concurrency limit and two-second tokens.
func TestConcurrentReadsAndFaults(t *testing.T) {
	e := startEmulator(t, emulator.Config{MailboxConcurrency: mailboxConcurrency, TokenTTL: 2 * time.Second, Fail: map[int]float64{429: 0.2}})
	var ids []string
	for i := 0; i < 40; i++ {
		ids = append(ids, e.insert(t, fmt.Sprintf("Parallel %02d", i), "p@example.net", time.Now().Add(-time.Duration(i)*time.Second)))
	}
	mb := e.connect(t, nil)
	ctx := ctxT(t)
	for round := 0; round < 2; round++ {
		if err := readAll(ctx, mb, ids, func(i int) string { return fmt.Sprintf("Parallel %02d", i) }); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2100 * time.Millisecond) // let the token expire between rounds
	}
	if n := e.graph().SignIn; n < 2 {
		t.Errorf("only %d token requests: the 2-second token was not renewed", n)
	}
}

// TestReadChainSurvivesMissingMessage reads a missing message among others in one $batch
// chain: it is NOT_FOUND, and the calls queued behind it (failed by Graph as dependent on
// it) are sent again and succeed.
func TestReadChainSurvivesMissingMessage(t *testing.T) {
	e := startEmulator(t, emulator.Config{})
	ids := []string{}
	for i := 0; i < 6; i++ {
		ids = append(ids, e.insert(t, fmt.Sprintf("Chain %d", i), "c@example.net", time.Now()))
	}
	mb := e.connect(t, nil)
	ctx := ctxT(t)
	if _, err := mb.Folders(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := mb.batch(ctx, []subRequest{
		{Method: "GET", URL: mb.userRel + "/messages/" + ids[0]},
		{Method: "GET", URL: mb.userRel + "/messages/AAMkNoSuchMessage"},
		{Method: "GET", URL: mb.userRel + "/messages/" + ids[1]},
		{Method: "GET", URL: mb.userRel + "/messages/" + ids[2] + "/$value"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, r := range res {
		got = append(got, r.Status)
	}
	if fmt.Sprint(got) != "[200 404 200 200]" {
		t.Errorf("statuses %v, want [200 404 200 200]", got)
	}
	if !strings.Contains(string(res[3].bytes()), "Subject: Chain 2") {
		t.Errorf("$value sub-response not decoded: %.80q", res[3].bytes())
	}
	_, err = mb.Read(ctx, "AAMkNoSuchMessage", providers.ReadOptions{})
	if providers.CodeOf(err) != providers.NotFound {
		t.Errorf("missing message: %v, want NOT_FOUND", err)
	}
}
