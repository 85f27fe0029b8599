// Package store is the emulator's one in-memory mail store: mailboxes, folders/labels, messages
// kept as RFC 5322 bytes with parsed fields, change logs, identities and tokens. Every face
// (Graph, Gmail) renders from it; it knows no wire protocol and no JavaScript.
//
// # API summary (for face authors)
//
// Create: s := store.New(store.Options{IDSeed: "x"}) (deterministic ids per seed); s.Reset().
//
// Identities:
//   - Microsoft: AddTenant(Tenant{Domains}) -> Tenant{ID}; Tenant(idOrDomain);
//     AddApp(App{TenantID, Secrets, Certificates, Permissions}) -> App{ClientID}; App(clientID).
//     NewCertificate(x509) gives the x5t / x5t#S256 thumbprints.
//   - Google: AddGoogleDomain(GoogleDomain{Domain}); GoogleDomain(name);
//     AddServiceAccount(ServiceAccount{ClientEmail, PrivateKeyID, PublicKey, Delegations:
//     domain -> scopes}); ServiceAccount(emailOrClientID). Users are the Google mailboxes.
//   - Tokens: IssueToken(Token{Kind, TenantID, ClientID, Subject, Scopes, Roles}, ttl) -> Token
//     with Value; LookupToken(value) (expired tokens are returned: compare ExpiresAt with Now()).
//
// Mailboxes: AddMailbox(Mailbox{Address, DisplayName, Kind: Microsoft|Google, TenantID}) creates
// the well-known folders; Mailbox(idOrAddress); Mailboxes(); Resolve(address) finds the mailbox
// mail for an address lands in, plus-addresses included (BaseAddress drops the tag). Kind
// decides id shapes: Microsoft ids are Exchange-like URL-safe base64, Google message/thread ids
// 16-hex, Google folder ids the Gmail label ids (INBOX, SENT, TRASH, DRAFT, SPAM; ARCHIVE and OUTBOX are store-only, a Gmail
// face hides them) and "Label_N" for user labels.
//
// Folders: Folders(mb); Folder(mb, idOrWellKnownName); CreateFolder(mb, name, parentRef).
// Well-known names: Inbox, SentItems, DeletedItems, Drafts, Archive, JunkEmail, Outbox.
//
// Messages (all returned as *Message snapshots that must not be modified):
//   - Insert(mb, raw, InsertOptions{Folder, Labels, IsRead, ReceivedAt}) as if received.
//   - Deliver(raw, fromMailbox, saveToSent) sends: emulated recipients (either face, plus-
//     addresses included) get an inbox copy without Bcc (Gmail's with Delivered-To), others
//     go to Sink(); adds Date/Message-ID/From when missing.
//   - Get(mb, id); Attachment(mb, msgID, attID); List(mb, Query{Folder, Match}) newest first.
//   - Update(mb, id, Change{IsRead, Flagged, Importance, Categories, AddLabels,
//     RemoveLabels}); Move(mb, id, folder) (new id on Microsoft mailboxes, as Graph does);
//     ReplaceRaw(mb, id, raw) for draft edits; Delete(mb, id) permanently.
//   - Compose(Outgoing) renders field-described mail to RFC 5322; DecodeHeader and
//     ParseAddressList are the parsing helpers the store itself uses. Parsing follows
//     internal/mimedecode's rules, the providers' too, so a message reads the same on both sides.
//
// Message fields: ID, FolderID, Labels, IsRead, Flagged, ReceivedAt, InternalDate, SentAt,
// ThreadID, HistoryID, ChangeKey, Raw, Headers (ordered, undecoded), MessageID, Subject
// (decoded), From/To/Cc/Bcc/ReplyTo, Text, HTML, Preview, Attachments, Root (MIME tree with
// Gmail partIds and attachment ids). LabelKeys() = folder id + labels + LabelUnread/LabelFlagged.
//
// Change log: every change bumps the mailbox history id and appends a HistoryRecord{ID, Kind
// (MessageAdded, MessageDeleted, LabelsAdded, LabelsRemoved, Updated), MessageID, ThreadID,
// Labels (label keys)}. HistoryID(mb); History(mb, since) -> records after since, current id,
// or ErrHistoryExpired. Graph delta and Gmail history.list both read it.
//
// Errors: ErrNotFound, ErrInvalid, ErrHistoryExpired (wrapped; use errors.Is).
package store
