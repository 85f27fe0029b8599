package microsoft365

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"sync"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoft/kiota-abstractions-go/authentication"
	"github.com/microsoft/kiota-abstractions-go/serialization"
	jsonserialization "github.com/microsoft/kiota-serialization-json-go"
	textserialization "github.com/microsoft/kiota-serialization-text-go"
	msgraph "github.com/microsoftgraph/msgraph-sdk-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"

	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/internal/coalesce"
)

// mailbox is one connected Microsoft 365 mailbox. The SDK serves the plain calls; $batch, MIME
// and paging links go through the same HTTP client as raw requests.
type mailbox struct {
	cfg   *config
	conns *providers.Conns // the Graph and token clients' connections, closed by Close
	http  *http.Client
	// Only the request builders the provider calls are kept: goja reflects on methods, so the
	// linker keeps every exported method of a type a struct holds, and the user builder's
	// methods reach the whole SDK (65,000 functions, 12 MB of resident memory per process).
	messages    *users.ItemMessagesRequestBuilder
	mailFolders *users.ItemMailFoldersRequestBuilder
	// Kiota writes the base URL into a request's path parameters, which are its builder's own
	// map: a builder posted to directly by two goroutines races, so those calls build a fresh
	// one from these (the By...Id builders already copy the map).
	path    map[string]string
	adapter abstractions.RequestAdapter
	api     string // {graph}/v1.0
	userAPI string // {graph}/v1.0/users/{mailbox}, for raw requests
	userRel string // /users/{mailbox}, for $batch sub-requests
	reads   *coalesce.Coalescer[subRequest, subResponse]
	folders folderCache
}

// graphDefaults guards the SDK's process-wide set-up. NewGraphServiceClient registers the
// default serializers and sets the backing store factory in package variables, without
// locking: scripts connecting in parallel VMs would race on them. So it runs once, on an
// adapter of its own, and each mailbox builds its user request builder directly. It stays a
// package variable, unlike the provider's caches (providers.Shared): the registries it fills
// are kiota's, process-wide by the SDK's design, and what it puts there (stateless factories
// of the JSON and text serializers) is the same for every run, so a second run in the process
// finds it done rather than racing to do it again.
var graphDefaults sync.Once

func registerGraphDefaults() {
	graphDefaults.Do(func() {
		// What NewGraphBaseServiceClient registers, without linking the service client.
		abstractions.RegisterDefaultSerializer(func() serialization.SerializationWriterFactory {
			return jsonserialization.NewJsonSerializationWriterFactory()
		})
		abstractions.RegisterDefaultSerializer(func() serialization.SerializationWriterFactory {
			return textserialization.NewTextSerializationWriterFactory()
		})
		abstractions.RegisterDefaultDeserializer(func() serialization.ParseNodeFactory { return jsonserialization.NewJsonParseNodeFactory() })
		abstractions.RegisterDefaultDeserializer(func() serialization.ParseNodeFactory { return textserialization.NewTextParseNodeFactory() })
	})
}

func newMailbox(cfg *config) (*mailbox, error) {
	graph, _ := url.Parse(cfg.graphRoot)
	base := providers.NewConns(cfg.tls)
	tokenClient := &http.Client{Transport: &transport{base: base, slots: make(chan struct{}, 16), graph: &url.URL{}, repeatAll: true,
		service: "Microsoft Entra", setting: EnvLoginURL}}
	tr := &transport{
		base:    base,
		slots:   mailboxSlots(cfg.shared, cfg.graphRoot, cfg.mailbox),
		tokens:  sharedTokenSource(cfg, tokenClient),
		graph:   graph,
		service: "Microsoft Graph",
		setting: EnvGraphURL,
	}
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	// The token is attached by the transport (Graph host only, renewed on 401), so the SDK's
	// own authentication step has nothing to add.
	adapter, err := msgraph.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(&authentication.AnonymousAuthenticationProvider{}, nil, nil, client)
	if err != nil {
		return nil, err
	}
	adapter.SetBaseUrl(cfg.graphRoot + "/v1.0")
	registerGraphDefaults()
	adapter.EnableBackingStore(nil) // what GraphServiceClient does per adapter, minus the global write
	path := map[string]string{"baseurl": adapter.GetBaseUrl(), "user%2Did": cfg.mailbox}
	m := &mailbox{
		cfg:         cfg,
		conns:       base,
		http:        client,
		messages:    users.NewItemMessagesRequestBuilderInternal(path, adapter),
		mailFolders: users.NewItemMailFoldersRequestBuilderInternal(path, adapter),
		path:        path,
		adapter:     adapter,
		api:         cfg.graphRoot + "/v1.0",
		userRel:     "/users/" + url.PathEscape(cfg.mailbox),
	}
	m.userAPI = m.api + m.userRel
	m.reads = newReads(m)
	return m, nil
}

// Close releases the mailbox's connections (see providers.Conns.Close).
func (m *mailbox) Close() error { return m.conns.Close() }

// do sends a raw request; target is absolute (a paging link, which must stay on the Graph
// host) or relative to {graph}/v1.0. A non-2xx answer becomes a mapped error.
func (m *mailbox) do(ctx context.Context, o op, method, target string, body []byte, header http.Header) (*http.Response, error) {
	if !strings.HasPrefix(target, "http") {
		target = m.api + target
	} else if !strings.HasPrefix(target, m.cfg.graphRoot+"/") {
		return nil, providers.Errorf(providers.Unavailable, Name, "%s: Microsoft Graph returned a link outside %s; refusing to follow it", o.what, m.cfg.graphRoot)
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := m.http.Do(req)
	if err != nil {
		return nil, m.mapError(o, err)
	}
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		return nil, m.bodyError(o, resp.StatusCode, b)
	}
	return resp, nil
}

// getJSON GETs target and decodes the JSON answer into out.
func (m *mailbox) getJSON(ctx context.Context, o op, target string, header http.Header, out any) error {
	resp, err := m.do(ctx, o, http.MethodGet, target, nil, header)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return providers.Errorf(providers.Unavailable, Name, "%s: unreadable answer from Microsoft Graph: %v", o.what, err)
	}
	return nil
}

// Delete moves the message to Deleted Items, or removes it for good with Permanent.
func (m *mailbox) Delete(ctx context.Context, id string, o providers.DeleteOptions) (string, error) {
	what := op{"delete message " + id, "Mail.ReadWrite"}
	if o.Permanent {
		return "", m.mapError(what, m.messages.ByMessageId(id).PermanentDelete().Post(ctx, nil))
	}
	return m.move(ctx, id, "trash", what)
}

// Move moves the message and returns its new id (Graph re-keys moved messages).
func (m *mailbox) Move(ctx context.Context, id, folder string) (string, error) {
	return m.move(ctx, id, folder, op{"move message " + id + " to " + folder, "Mail.ReadWrite"})
}

// move is Move, its failure reported as what the script asked for (a move, or a delete).
func (m *mailbox) move(ctx context.Context, id, folder string, what op) (string, error) {
	dest, _, err := m.resolveFolder(ctx, folder)
	if err != nil {
		return "", err
	}
	body := users.NewItemMessagesItemMovePostRequestBody()
	body.SetDestinationId(&dest)
	moved, err := m.messages.ByMessageId(id).Move().Post(ctx, body, nil)
	if err != nil {
		return "", m.mapError(what, err)
	}
	return deref(moved.GetId()), nil
}

// MarkRead sets the message's read flag.
func (m *mailbox) MarkRead(ctx context.Context, id string, read bool) error {
	patch := models.NewMessage()
	patch.SetIsRead(&read)
	_, err := m.messages.ByMessageId(id).Patch(ctx, patch, nil)
	return m.mapError(op{"mark message " + id + " read", "Mail.ReadWrite"}, err)
}

// messagesBuilder is a messages builder of its own, for a direct Post (see mailbox.path).
func (m *mailbox) messagesBuilder() *users.ItemMessagesRequestBuilder {
	return users.NewItemMessagesRequestBuilderInternal(maps.Clone(m.path), m.adapter)
}

// Address implements providers.Mailbox: the configured mailbox when it is an address (a UPN,
// which in most tenants is the primary SMTP address), "" when it is an object id.
func (m *mailbox) Address() string {
	if strings.Contains(m.cfg.mailbox, "@") {
		return m.cfg.mailbox
	}
	return ""
}
