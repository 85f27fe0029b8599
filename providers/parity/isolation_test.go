package parity

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mailscript/mailscript/providers"
)

// plus is what box.uniqueAddress makes: the mailbox's address with a tag.
func plus(box providers.Mailbox, tag string) string {
	local, domain, _ := strings.Cut(box.Address(), "@")
	return local + "+" + tag + "@" + domain
}

// TestParallelTestsOnOneMailbox runs two tests side by side on each provider's mailbox, each
// with its own plus-address, while mail also goes to the base address and to the other tag:
// each test's waitFor and list see its own mail only.
func TestParallelTestsOnOneMailbox(t *testing.T) {
	t.Parallel()
	b := start(t)
	b.each(t, func(t *testing.T, box providers.Mailbox) {
		for _, tag := range []string{"signup-1a2b", "reset-3c4d"} {
			t.Run(tag, func(t *testing.T) {
				t.Parallel()
				ctx := t.Context()
				addr := plus(box, tag)
				since := time.Now()
				for _, d := range []providers.Draft{
					{To: []providers.Address{{Address: box.Address()}}, Subject: "base " + tag},
					{To: []providers.Address{{Address: addr}}, Subject: "mine " + tag},
				} {
					if _, err := box.Send(ctx, d); err != nil {
						t.Fatal(err)
					}
				}
				msg, err := box.WaitFor(ctx, providers.Criteria{To: providers.Matcher{Contains: addr}, Since: since},
					providers.WaitOptions{Timeout: 30 * time.Second, Interval: 100 * time.Millisecond})
				if err != nil {
					t.Fatal(err)
				}
				if msg.Subject != "mine "+tag || len(msg.To) != 1 || msg.To[0].Address != addr {
					t.Errorf("waitFor({to: %s}) = %q to %v", addr, msg.Subject, msg.To)
				}
				list, err := box.List(ctx, providers.Criteria{To: providers.Matcher{Contains: strings.ToUpper(addr)}})
				if err != nil {
					t.Fatal(err)
				}
				if got := subjects(list); got != fmt.Sprintf("[%q]", "mine "+tag) {
					t.Errorf("list({to: %s}) = %s, want only this test's mail", addr, got)
				}
				all, err := box.List(ctx, providers.Criteria{Subject: providers.Matcher{Contains: tag}})
				if err != nil {
					t.Fatal(err)
				}
				if len(all) != 2 {
					t.Errorf("the inbox has %s for %s; want the base and the plus copy", subjects(all), tag)
				}
			})
		}
	})
}

// TestPlusAddressAcrossProviders sends from the Graph mailbox to the Gmail mailbox's
// plus-address in To and another in Bcc: Gmail gets one copy with the To address kept and
// Delivered-To naming it, and {to: bccAddress} finds nothing while {to: toAddress} does.
func TestPlusAddressAcrossProviders(t *testing.T) {
	t.Parallel()
	b := start(t)
	ctx := t.Context()
	to, bcc := plus(b.gml, "x-1"), plus(b.gml, "hidden")
	if _, err := b.m365.Send(ctx, providers.Draft{To: []providers.Address{{Address: to}}, Bcc: []providers.Address{{Address: bcc}}, Subject: "across"}); err != nil {
		t.Fatal(err)
	}
	msg, err := b.gml.WaitFor(ctx, providers.Criteria{To: providers.Matcher{Contains: to}, Since: time.Now().Add(-time.Minute)},
		providers.WaitOptions{Timeout: 30 * time.Second, Interval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if msg.Subject != "across" || msg.To[0].Address != to || fmt.Sprint(msg.Headers["delivered-to"]) != "["+to+"]" {
		t.Errorf("Gmail copy: subject %q, to %v, delivered-to %v", msg.Subject, msg.To, msg.Headers["delivered-to"])
	}
	if got, err := b.gml.List(ctx, providers.Criteria{To: providers.Matcher{Contains: bcc}}); err != nil || len(got) != 0 {
		t.Errorf("list({to: bcc address}) = %s, %v; the one copy was delivered for the To address", subjects(got), err)
	}
	if got, err := b.gml.List(ctx, providers.Criteria{To: providers.Matcher{Contains: b.gml.Address()}}); err != nil || len(got) != 4 {
		t.Errorf("list({to: base address}) = %s, %v; want the 4 seeded messages, not the plus-address's", subjects(got), err)
	}
}

func subjects(list []providers.Summary) string {
	s := make([]string, len(list))
	for i, m := range list {
		s[i] = fmt.Sprintf("%q", m.Subject)
	}
	return "[" + strings.Join(s, ", ") + "]"
}

// TestBadIDIsNotFound: an id no message has, well-formed or not, is NOT_FOUND on both.
func TestBadIDIsNotFound(t *testing.T) {
	t.Parallel()
	b := start(t)
	b.each(t, func(t *testing.T, box providers.Mailbox) {
		for _, id := range []string{"does-not-exist", "AAMkAGnope", "../x y?z", "18c0ffee00000000"} {
			_, err := box.Read(t.Context(), id, providers.ReadOptions{})
			if code := providers.CodeOf(err); code != providers.NotFound {
				t.Errorf("read(%q) = %v (%s), want NOT_FOUND", id, err, code)
			}
		}
	})
}
