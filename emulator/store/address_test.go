package store

import (
	"slices"
	"testing"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	for _, tc := range []struct {
		address, want string
	}{
		{"ana@contoso.com", "ana@contoso.com"},
		{"ANA@Contoso.com", "ana@contoso.com"},
		{"ana+signup-7f3a@contoso.com", "ana@contoso.com"},
		{"Ana+A+B@CONTOSO.COM", "ana@contoso.com"},
		{" qa+x@example.com ", "qa@example.com"},
		{"ana+@contoso.com", "ana@contoso.com"},
		{"+ana@contoso.com", ""},
		{"anna+x@contoso.com", ""},
		{"ana+x@fabrikam.com", ""},
		{"ana", ""},
	} {
		mb, ok := s.Resolve(tc.address)
		if ok != (tc.want != "") || mb.Address != tc.want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", tc.address, mb.Address, ok, tc.want)
		}
	}
}

func TestDeliverPlusAddress(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	raw := "From: ana@contoso.com\r\nTo: Ben <ben+Signup-1@contoso.com>, qa+a1@example.com\r\nCc: ben@contoso.com, nobody+x@contoso.com\r\nBcc: qa+hidden@example.com\r\nSubject: plus\r\n\r\nhi\r\n"
	res, err := s.Deliver([]byte(raw), "ana@contoso.com", false)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Delivered, []string{"ben@contoso.com", "qa@example.com"}) || !slices.Equal(res.Sunk, []string{"nobody+x@contoso.com"}) {
		t.Fatalf("delivered %v, sunk %v", res.Delivered, res.Sunk)
	}
	ben, _ := s.List("ben@contoso.com", Query{})
	if len(ben) != 1 {
		t.Fatalf("ben got %d copies, want one for two of its addresses", len(ben))
	}
	if got := ben[0].To[0].Address; got != "ben+Signup-1@contoso.com" {
		t.Errorf("To kept %q, want the plus-address as written", got)
	}
	if got := ben[0].Header("Delivered-To"); got != "" {
		t.Errorf("Exchange copy has Delivered-To %q; Exchange adds none", got)
	}
	qa, _ := s.List("qa@example.com", Query{})
	if len(qa) != 1 {
		t.Fatalf("qa got %d copies", len(qa))
	}
	if got := qa[0].Header("Delivered-To"); got != "qa+a1@example.com" {
		t.Errorf("Gmail Delivered-To = %q, want the plus-address the copy was delivered for", got)
	}
	if qa[0].Header("Bcc") != "" {
		t.Error("the delivered copy kept the Bcc header")
	}
}
