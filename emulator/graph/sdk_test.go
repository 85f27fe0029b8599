package graph

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	abs "github.com/microsoft/kiota-abstractions-go"
	absauth "github.com/microsoft/kiota-abstractions-go/authentication"
	msgraph "github.com/microsoftgraph/msgraph-sdk-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go-core/fileuploader"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// staticToken hands the SDK a token obtained from the emulator's token endpoint.
type staticToken string

func (s staticToken) GetAuthorizationToken(context.Context, *url.URL, map[string]any) (string, error) {
	return string(s), nil
}
func (s staticToken) GetAllowedHostsValidator() *absauth.AllowedHostsValidator {
	v := absauth.NewAllowedHostsValidator(nil)
	return &v
}

func (fx *fixture) sdk(t *testing.T) (*msgraph.GraphServiceClient, *msgraph.GraphRequestAdapter) {
	t.Helper()
	adapter, err := msgraph.NewGraphRequestAdapter(absauth.NewBaseBearerTokenAuthenticationProvider(staticToken(fx.token(t, fx.app))))
	if err != nil {
		t.Fatal(err)
	}
	adapter.SetBaseUrl(fx.srv.URL + "/v1.0")
	return msgraph.NewGraphServiceClient(adapter), adapter
}

func ptr[T any](v T) *T { return &v }

func TestSDKListPagingAndGet(t *testing.T) {
	fx := newFixture(t)
	client, adapter := fx.sdk(t)
	ctx := context.Background()
	resp, err := client.Users().ByUserId("ana@contoso.com").MailFolders().ByMailFolderId("inbox").Messages().Get(ctx,
		&users.ItemMailFoldersItemMessagesRequestBuilderGetRequestConfiguration{QueryParameters: &users.ItemMailFoldersItemMessagesRequestBuilderGetQueryParameters{
			Top: ptr(int32(7)), Select: []string{"subject", "from", "receivedDateTime"}, Count: ptr(true)}})
	if err != nil {
		t.Fatal(err)
	}
	if n := resp.GetOdataCount(); n == nil || *n != 26 {
		t.Errorf("@odata.count = %v, want 26", n)
	}
	it, err := msgraphcore.NewPageIterator[models.Messageable](resp, adapter, models.CreateMessageCollectionResponseFromDiscriminatorValue)
	if err != nil {
		t.Fatal(err)
	}
	var subjects []string
	if err := it.Iterate(ctx, func(m models.Messageable) bool { subjects = append(subjects, *m.GetSubject()); return true }); err != nil {
		t.Fatal(err)
	}
	if len(subjects) != 26 || subjects[0] != "Ihr Bestätigungscode – 482913" || subjects[1] != "Order 24" || subjects[25] != "Order 00" {
		t.Fatalf("paged subjects (%d) = %v", len(subjects), subjects)
	}
	list, err := client.Users().ByUserId("ana@contoso.com").Messages().Get(ctx, &users.ItemMessagesRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.ItemMessagesRequestBuilderGetQueryParameters{Filter: ptr("hasAttachments eq true")}})
	if err != nil || len(list.GetValue()) != 1 {
		t.Fatalf("filter: %v %v", err, list)
	}
	id := *list.GetValue()[0].GetId()
	m, err := client.Users().ByUserId("ana@contoso.com").Messages().ByMessageId(id).Get(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if *m.GetFrom().GetEmailAddress().GetName() != "Jörg Müller" || *m.GetImportance() != models.HIGH_IMPORTANCE || !strings.Contains(*m.GetBody().GetContent(), "<b>482913</b>") {
		t.Errorf("message = from %q importance %v body %q", *m.GetFrom().GetEmailAddress().GetName(), *m.GetImportance(), *m.GetBody().GetContent())
	}
	atts, err := client.Users().ByUserId("ana@contoso.com").Messages().ByMessageId(id).Attachments().Get(ctx, nil)
	if err != nil || len(atts.GetValue()) != 2 {
		t.Fatalf("attachments: %v %v", err, atts)
	}
	pdf, ok := atts.GetValue()[1].(models.FileAttachmentable)
	if !ok || *pdf.GetName() != "invoice.pdf" || !bytes.HasPrefix(pdf.GetContentBytes(), []byte("%PDF")) || *atts.GetValue()[0].GetIsInline() != true {
		t.Errorf("attachments = %+v", atts.GetValue())
	}
	raw, err := client.Users().ByUserId("ana@contoso.com").Messages().ByMessageId(id).Content().Get(ctx, nil)
	if err != nil || !bytes.Contains(raw, []byte("Message-ID: <rich-1@example.net>")) {
		t.Errorf("$value: %v %q", err, raw)
	}
}

func TestSDKSendMoveDeleteDelta(t *testing.T) {
	fx := newFixture(t)
	client, _ := fx.sdk(t)
	ctx := context.Background()
	ben := client.Users().ByUserId("ben@contoso.com")
	first, err := ben.MailFolders().ByMailFolderId("inbox").Messages().Delta().GetAsDeltaGetResponse(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	deltaLink := first.GetOdataDeltaLink()
	if deltaLink == nil || len(first.GetValue()) != 0 {
		t.Fatalf("initial delta: link %v, %d items", deltaLink, len(first.GetValue()))
	}

	msg := models.NewMessage()
	msg.SetSubject(ptr("Hello from Ana"))
	body := models.NewItemBody()
	body.SetContentType(ptr(models.TEXT_BODYTYPE))
	body.SetContent(ptr("see attachment"))
	msg.SetBody(body)
	rcpt := models.NewRecipient()
	addr := models.NewEmailAddress()
	addr.SetAddress(ptr("ben@contoso.com"))
	rcpt.SetEmailAddress(addr)
	gmailRcpt := models.NewRecipient()
	gaddr := models.NewEmailAddress()
	gaddr.SetAddress(ptr("qa@example.com"))
	gmailRcpt.SetEmailAddress(gaddr)
	msg.SetToRecipients([]models.Recipientable{rcpt, gmailRcpt})
	att := models.NewFileAttachment()
	att.SetName(ptr("notes.txt"))
	att.SetContentType(ptr("text/plain"))
	att.SetContentBytes([]byte("hello"))
	msg.SetAttachments([]models.Attachmentable{att})
	send := users.NewItemSendMailPostRequestBody()
	send.SetMessage(msg)
	send.SetSaveToSentItems(ptr(true))
	if err := client.Users().ByUserId("ana@contoso.com").SendMail().Post(ctx, send, nil); err != nil {
		t.Fatal(err)
	}
	if g, _ := fx.store.List("qa@example.com", storeQuery("inbox")); len(g) != 1 || g[0].Subject != "Hello from Ana" {
		t.Errorf("cross-face delivery: Gmail inbox = %v", g)
	}

	changes, err := users.NewItemMailFoldersItemMessagesDeltaRequestBuilder(*deltaLink, fx.adapterOf(t)).GetAsDeltaGetResponse(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes.GetValue()) != 1 || *changes.GetValue()[0].GetSubject() != "Hello from Ana" || !*changes.GetValue()[0].GetHasAttachments() {
		t.Fatalf("delta after send = %d items", len(changes.GetValue()))
	}
	id := *changes.GetValue()[0].GetId()

	move := users.NewItemMessagesItemMovePostRequestBody()
	move.SetDestinationId(ptr("archive"))
	moved, err := ben.Messages().ByMessageId(id).Move().Post(ctx, move, nil)
	if err != nil {
		t.Fatal(err)
	}
	if *moved.GetId() == id {
		t.Error("move kept the id")
	}
	after, err := users.NewItemMailFoldersItemMessagesDeltaRequestBuilder(*changes.GetOdataDeltaLink(), fx.adapterOf(t)).GetAsDeltaGetResponse(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(after.GetValue()) != 1 || *after.GetValue()[0].GetId() != id || after.GetValue()[0].GetAdditionalData()["@removed"] == nil {
		t.Errorf("delta after move: %d items %v", len(after.GetValue()), after.GetValue())
	}

	if err := ben.Messages().ByMessageId(*moved.GetId()).Delete(ctx, nil); err != nil {
		t.Fatal(err)
	}
	deleted, _ := ben.MailFolders().ByMailFolderId("deleteditems").Messages().Get(ctx, nil)
	if len(deleted.GetValue()) != 1 {
		t.Errorf("deleted items has %d messages, want 1", len(deleted.GetValue()))
	}
	_, err = ben.Messages().ByMessageId(*moved.GetId()).Get(ctx, nil)
	var odErr *odataerrors.ODataError
	if !asODataError(err, &odErr) || *odErr.GetErrorEscaped().GetCode() != "ErrorItemNotFound" || odErr.ResponseStatusCode != 404 {
		t.Errorf("get after delete: %v", err)
	}
}

// adapterOf returns a fresh adapter for builders made from raw URLs.
func (fx *fixture) adapterOf(t *testing.T) abs.RequestAdapter {
	_, adapter := fx.sdk(t)
	return adapter
}

func TestSDKUploadSessionAndBatch(t *testing.T) {
	fx := newFixture(t)
	client, adapter := fx.sdk(t)
	ctx := context.Background()
	ana := client.Users().ByUserId("ana@contoso.com")
	draft := models.NewMessage()
	draft.SetSubject(ptr("Big file"))
	rcpt := models.NewRecipient()
	addr := models.NewEmailAddress()
	addr.SetAddress(ptr("ben@contoso.com"))
	rcpt.SetEmailAddress(addr)
	draft.SetToRecipients([]models.Recipientable{rcpt})
	created, err := ana.Messages().Post(ctx, draft, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !*created.GetIsDraft() {
		t.Error("created message is not a draft")
	}
	payload := bytes.Repeat([]byte("0123456789abcdef"), 5<<16) // 5 MiB
	path := filepath.Join(t.TempDir(), "big.bin")
	if err := os.WriteFile(path, payload, 0o600); err != nil {
		t.Fatal(err)
	}
	item := models.NewAttachmentItem()
	item.SetAttachmentType(ptr(models.FILE_ATTACHMENTTYPE))
	item.SetName(ptr("big.bin"))
	item.SetSize(ptr(int64(len(payload))))
	body := users.NewItemMessagesItemAttachmentsCreateUploadSessionPostRequestBody()
	body.SetAttachmentItem(item)
	session, err := ana.Messages().ByMessageId(*created.GetId()).Attachments().CreateUploadSession().Post(ctx, body, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	task := fileuploader.NewLargeFileUploadTask[models.AttachmentItemable](adapter, session, f, 2<<20, models.CreateAttachmentItemFromDiscriminatorValue, nil)
	res := task.Upload(func(int64, int64) {})
	if !res.GetUploadSucceeded() || res.GetURI() == nil || !strings.Contains(*res.GetURI(), "/attachments('") {
		t.Fatalf("upload: succeeded %v uri %v errors %v", res.GetUploadSucceeded(), res.GetURI(), res.GetResponseErrors())
	}
	stored, _ := fx.store.Get("ana@contoso.com", *created.GetId())
	if len(stored.Attachments) != 1 || !bytes.Equal(stored.Attachments[0].Data, payload) {
		t.Fatalf("draft attachments after upload = %d", len(stored.Attachments))
	}
	if err := ana.Messages().ByMessageId(*created.GetId()).Send().Post(ctx, nil); err != nil {
		t.Fatal(err)
	}

	batch := msgraphcore.NewBatchRequest(adapter)
	inboxInfo, _ := client.Users().ByUserId("ben@contoso.com").Messages().ToGetRequestInformation(ctx, nil)
	missingInfo, _ := ana.Messages().ByMessageId("AAMkAGnope").ToGetRequestInformation(ctx, nil)
	step1, err := batch.AddBatchRequestStep(*inboxInfo)
	if err != nil {
		t.Fatal(err)
	}
	step2, _ := batch.AddBatchRequestStep(*missingInfo)
	out, err := batch.Send(ctx, adapter)
	if err != nil {
		t.Fatal(err)
	}
	if codes := out.GetStatusCodes(); codes[*step1.GetId()] != 200 || codes[*step2.GetId()] != 404 {
		t.Fatalf("batch statuses = %v", codes)
	}
	inbox, err := msgraphcore.GetBatchResponseById[models.MessageCollectionResponseable](out, *step1.GetId(), models.CreateMessageCollectionResponseFromDiscriminatorValue)
	if err != nil {
		t.Fatal(err)
	}
	if len(inbox.GetValue()) != 1 || !*inbox.GetValue()[0].GetHasAttachments() {
		t.Errorf("ben's inbox via batch = %v", inbox.GetValue())
	}
}
