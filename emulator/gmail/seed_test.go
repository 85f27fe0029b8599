package gmail

import (
	"strings"
	"time"

	"github.com/mailscript/mailscript/emulator/store"
)

func crlf(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }

var seedWelcome = crlf(`From: Example <no-reply@example.org>
To: QA <qa@example.com>
Subject: Welcome to Example
Date: Sun, 01 Mar 2026 10:00:00 +0000
Message-ID: <welcome-1@example.org>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="alt1"

--alt1
Content-Type: text/plain; charset=utf-8

Hello QA, thanks for joining. Visit https://example.org/start to begin.
--alt1
Content-Type: text/html; charset=utf-8

<p>Hello QA, thanks for <b>joining</b>. Visit <a href="https://example.org/start">start</a>.</p>
--alt1--
`)

var seedInvoice = crlf(`Received: from mx.shop.example by mx.google.com
From: "Shop Billing" <billing@shop.example>
To: qa@example.com
Cc: accounts@example.com
Subject: Your invoice #42
Date: Mon, 02 Mar 2026 08:00:00 +0000
Message-ID: <invoice-42@shop.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mix"

--mix
Content-Type: multipart/related; boundary="rel"

--rel
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<p>Invoice 42 is attached. Amount due: 10=E2=82=AC</p><img src=3D"cid:logo@shop">
--rel
Content-Type: image/png
Content-Transfer-Encoding: base64
Content-ID: <logo@shop>

iVBORw0KGgo=
--rel--
--mix
Content-Type: application/pdf; name="invoice-42.pdf"
Content-Disposition: attachment; filename="invoice-42.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PD4+CmVuZG9iagp0cmFpbGVyCjw8Pj4KJSVFT0YK
--mix--
`)

var seedReset = crlf(`From: Security <security@example.com>
To: qa@example.com
Subject: =?UTF-8?B?UsOpaW5pdGlhbGlzZXogdm90cmUgbW90IGRlIHBhc3Nl?=
Message-ID: <reset-7@example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Your one-time code is 493021. Reset here: https://example.com/reset?token=3Dabc123
`)

var seedSpam = crlf(`From: Lottery <winner@prize.example>
To: qa@example.com
Subject: You won a prize
Message-ID: <spam-1@prize.example>

Claim your prize now.
`)

var seedReceipt = crlf(`From: Orders <orders@shop.example>
To: qa@example.com
Subject: Receipt for your order
Message-ID: <receipt-9@shop.example>

Thanks for your order of a "blue widget".
`)

// seed fills qa@example.com. Fixed dates keep golden files stable; the reset mail is recent
// (relative to the clock) for newer_than:.
func (e *env) seed() {
	fixed := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	lbl, err := e.store.CreateFolder(testUser, "Receipts", "")
	if err != nil {
		e.t.Fatal(err)
	}
	for _, m := range []struct {
		name string
		raw  []byte
		opt  store.InsertOptions
	}{
		{"receipt", seedReceipt, store.InsertOptions{Labels: []string{lbl.ID}, IsRead: true, ReceivedAt: fixed("2026-02-20T12:00:00Z")}},
		{"welcome", seedWelcome, store.InsertOptions{IsRead: true, ReceivedAt: fixed("2026-03-01T10:00:05Z")}},
		{"invoice", seedInvoice, store.InsertOptions{ReceivedAt: fixed("2026-03-02T08:00:05Z")}},
		{"spam", seedSpam, store.InsertOptions{Folder: store.JunkEmail, ReceivedAt: fixed("2026-03-02T09:00:00Z")}},
		{"reset", seedReset, store.InsertOptions{ReceivedAt: e.clock.Now().Add(-time.Hour)}},
	} {
		got, err := e.store.Insert(testUser, m.raw, m.opt)
		if err != nil {
			e.t.Fatal(err)
		}
		e.ids[m.name] = got.ID
	}
}
