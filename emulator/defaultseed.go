package emulator

import (
	"encoding/base64"
	"time"

	"github.com/mailscript/mailscript/emulator/store"
)

// Gmail scopes the default service account is granted by domain-wide delegation.
var defaultGoogleScopes = []string{
	"https://mail.google.com/",
	"https://www.googleapis.com/auth/gmail.modify",
	"https://www.googleapis.com/auth/gmail.readonly",
	"https://www.googleapis.com/auth/gmail.send",
	"https://www.googleapis.com/auth/gmail.labels",
	"https://www.googleapis.com/auth/gmail.metadata",
	"https://www.googleapis.com/auth/gmail.insert",
}

// A 1x1 PNG for the inline logo.
var logoPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")

// DefaultSeed is the seed used without --seed: an Entra tenant (contoso.com) with an app
// allowed Mail.ReadWrite and Mail.Send, a Workspace domain (example.com) with a service
// account, two mailboxes on each side, and realistic mail in every inbox.
func DefaultSeed() *Seed {
	s := &Seed{
		Tenants: []SeedTenant{{
			Name: "Contoso", Domains: []string{"contoso.onmicrosoft.com", "contoso.com"},
			Apps: []SeedApp{{DisplayName: "mailscript-emulator", Permissions: []string{"Mail.ReadWrite", "Mail.Send"}}},
		}},
		GoogleDomains: []SeedGoogleDomain{{
			Domain:          "example.com",
			ServiceAccounts: []SeedServiceAccount{{ClientEmail: "mailscript@mailscript-emulator.iam.gserviceaccount.com", Scopes: defaultGoogleScopes}},
		}},
		Mailboxes: []SeedMailbox{
			{Address: "qa-inbox@contoso.com", DisplayName: "QA Inbox", Kind: "microsoft", Tenant: "contoso.com"},
			{Address: "alex@contoso.com", DisplayName: "Alex Wilber", Kind: "microsoft", Tenant: "contoso.com"},
			{Address: "qa@example.com", DisplayName: "QA Gmail", Kind: "google"},
			{Address: "sam@example.com", DisplayName: "Sam Rivera", Kind: "google"},
		},
	}
	for _, mb := range s.Mailboxes {
		s.Messages = append(s.Messages, sampleMessages(store.Address{Name: mb.DisplayName, Address: mb.Address})...)
	}
	return s
}

func sampleMessages(to store.Address) []SeedMessage {
	date := func(h int) time.Time { return time.Date(2026, 1, 5, 9+h, 30, 0, 0, time.UTC) }
	compose := func(o store.Outgoing) string {
		raw, err := store.Compose(o)
		if err != nil {
			panic(err) // the default seed is constant: failing to render it is a bug
		}
		return string(raw)
	}
	welcome := compose(store.Outgoing{
		From: store.Address{Name: "Contoso Onboarding", Address: "onboarding@example.org"}, To: []store.Address{to},
		Subject: "Welcome aboard, here is your starter pack", Date: date(0), MessageID: "<welcome." + to.Address + "@example.org>",
		Text: "Hi " + to.Name + ",\n\nWelcome! Your starter pack is attached.\nHandbook: https://example.org/handbook\n",
		HTML: `<html><body><img src="cid:logo@example.org" alt="logo"><p>Hi ` + to.Name + `,</p><p>Welcome! Your <b>starter pack</b> is attached.</p>` +
			`<p><a href="https://example.org/handbook">Read the handbook</a></p></body></html>`,
		Attachments: []store.Attachment{
			{Name: "logo.png", ContentType: "image/png", ContentID: "logo@example.org", Inline: true, Data: logoPNG},
			{Name: "starter-pack.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4\n% starter pack\n")},
		},
	})
	order := "From: =?ISO-8859-1?Q?Boutique_H=E9l=E8ne?= <shop@example.net>\r\nTo: " + to.Address + "\r\n" +
		"Subject: =?ISO-8859-1?Q?Votre_commande_a_=E9t=E9_exp=E9di=E9e_-_n=B0_1042?=\r\n" +
		"Date: Mon, 05 Jan 2026 11:30:00 +0000\r\nMessage-ID: <order-1042." + to.Address + "@example.net>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
		"Bonjour,\r\n\r\nVotre commande n=B0 1042 a =E9t=E9 exp=E9di=E9e. Suivi : https://example.net/track/1042\r\n"
	code := compose(store.Outgoing{
		From: store.Address{Name: "Example Sign-in", Address: "no-reply@example.com"}, To: []store.Address{to},
		Subject: "Your verification code is 482913", Date: date(3), MessageID: "<otp." + to.Address + "@example.com>",
		Text: "Your one-time code is 482913. It expires in 10 minutes.",
		HTML: `<p>Your one-time code is <strong style="font-size:20px">482913</strong>.</p><p>It expires in 10 minutes.</p>`,
	})
	reset := compose(store.Outgoing{
		From: store.Address{Name: "Example Accounts", Address: "no-reply@example.com"}, To: []store.Address{to},
		Subject: "Reset your password", Date: date(4), MessageID: "<reset." + to.Address + "@example.com>",
		Text: "Someone asked to reset your password.\nReset it here: https://example.com/reset?token=r3s3t-" + to.Address + "\n",
		HTML: `<p>Someone asked to reset your password.</p><p><a href="https://example.com/reset?token=r3s3t-` + to.Address + `">Reset your password</a></p>`,
	})
	return []SeedMessage{
		{Mailbox: to.Address, Raw: welcome, IsRead: true, ReceivedAt: "2026-01-05T09:30:05Z"},
		{Mailbox: to.Address, Raw: order, ReceivedAt: "2026-01-05T11:30:05Z"},
		{Mailbox: to.Address, Raw: code, ReceivedAt: "2026-01-05T12:30:05Z"},
		{Mailbox: to.Address, Raw: reset, ReceivedAt: "2026-01-05T13:30:05Z"},
	}
}
