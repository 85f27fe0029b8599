package secretstest

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"software.sslmate.com/src/go-pkcs12"
)

// CCP is CyberArk's Central Credential Provider web service, GET
// /AIMWebService/api/Accounts?AppID=...&Safe=...&Object=... (or &Query=Safe=S;Object=O), over
// mutual TLS: the TLS layer refuses a client without a certificate from its client CA, as IIS
// set to require client certificates does, and the application check then accepts only the
// certificates allowed for AppID. Errors are the service's {"ErrorCode", "ErrorMsg"} bodies
// with the codes CyberArk documents for GetPassword.
type CCP struct {
	*httptest.Server
	AppID             string
	CAFile            string // the server's certificate, for MAILSCRIPT_CYBERARK_CCP_CA
	CertFile, KeyFile string // a client certificate allowed for AppID

	clientCA *authority
	mu       sync.Mutex
	allowed  map[string]bool              // client certificate serials allowed for AppID
	accounts map[string]map[string]string // "safe/object" -> properties
	changing map[string]bool              // the CPM is changing the password
	t        testing.TB
}

// NewCCP starts the fake; it stops when the test ends.
func NewCCP(t testing.TB) *CCP {
	c := &CCP{AppID: "MailScript_QA", clientCA: newAuthority(t, "Contoso Issuing CA"), allowed: map[string]bool{},
		accounts: map[string]map[string]string{}, changing: map[string]bool{}, t: t}
	pool := x509.NewCertPool()
	pool.AddCert(c.clientCA.cert)
	c.Server = httptest.NewUnstartedServer(http.HandlerFunc(c.serve))
	c.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	c.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are what some tests want
	c.StartTLS()
	t.Cleanup(c.Close)
	c.CAFile = serverCAFile(t, c.Server)
	c.CertFile, c.KeyFile = c.ClientCert(t, true)
	return c
}

// Add stores an account: its password (Content) and other properties, such as UserName.
func (c *CCP) Add(safe, object string, props map[string]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a := map[string]string{"Safe": safe, "Folder": "Root", "Name": object, "PolicyID": "WinDomain", "CPMStatus": "success",
		"DeviceType": "Operating System", "PasswordChangeInProcess": "False"}
	for k, v := range props {
		a[k] = v
	}
	c.accounts[safe+"/"+object] = a
}

// Changing makes the account answer APPAP282E, as while the CPM changes its password.
func (c *CCP) Changing(safe, object string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.changing[safe+"/"+object] = true
}

// ClientCert issues a client certificate from the client CA, allowed for AppID or not, and
// writes it and its key as PEM files.
func (c *CCP) ClientCert(t testing.TB, allowed bool) (certFile, keyFile string) {
	cert, key := c.clientCA.issue(t, "qa-runner.contoso.com")
	if allowed {
		c.mu.Lock()
		c.allowed[cert.SerialNumber.Text(16)] = true
		c.mu.Unlock()
	}
	return writeKeyPair(t, "client", cert, key)
}

// ClientPFX issues an allowed client certificate as a PFX protected by password.
func (c *CCP) ClientPFX(t testing.TB, password string) string {
	cert, key := c.clientCA.issue(t, "qa-runner.contoso.com")
	c.mu.Lock()
	c.allowed[cert.SerialNumber.Text(16)] = true
	c.mu.Unlock()
	pfx, err := pkcs12.Modern.Encode(key, cert, []*x509.Certificate{c.clientCA.cert}, password)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "client.pfx")
	if err := os.WriteFile(path, pfx, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// ForeignClientCert issues a client certificate from a CA the server does not trust: the TLS
// handshake fails.
func (c *CCP) ForeignClientCert(t testing.TB) (certFile, keyFile string) {
	cert, key := newAuthority(t, "Someone Else's CA").issue(t, "qa-runner.contoso.com")
	return writeKeyPair(t, "foreign", cert, key)
}

// Env is the configuration that reaches this fake with the allowed client certificate.
func (c *CCP) Env() map[string]string {
	return map[string]string{"MAILSCRIPT_CYBERARK_CCP_URL": c.URL, "MAILSCRIPT_CYBERARK_APP_ID": c.AppID,
		"MAILSCRIPT_CYBERARK_CCP_CERT": c.CertFile, "MAILSCRIPT_CYBERARK_CCP_KEY": c.KeyFile, "MAILSCRIPT_CYBERARK_CCP_CA": c.CAFile}
}

func (c *CCP) serve(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, code, msg string) {
		writeJSON(w, status, map[string]string{"ErrorCode": code, "ErrorMsg": msg})
	}
	if r.Method != http.MethodGet || !strings.EqualFold(r.URL.Path, "/AIMWebService/api/Accounts") {
		http.NotFound(w, r)
		return
	}
	// The service documents '+', '&' and '%' as unsupported inside values: a client must send
	// a space as %20.
	if strings.Contains(r.URL.RawQuery, "+") {
		fatalf(c.t, w, "CCP: query %q has a '+': encode spaces as %%20", r.URL.RawQuery)
		return
	}
	q := map[string]string{}
	for pair := range strings.SplitSeq(r.URL.RawQuery, "&") {
		k, v, _ := strings.Cut(pair, "=")
		name, err1 := url.QueryUnescape(k)
		value, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			fail(http.StatusBadRequest, "APPAP081E", "Request message content is invalid")
			return
		}
		q[strings.ToLower(name)] = value
	}
	appID := q["appid"]
	if appID == "" {
		fail(http.StatusBadRequest, "AIMWS031E", "Invalid request. The AppID parameter is required")
		return
	}
	if appID != c.AppID {
		fail(http.StatusForbidden, "APPAP008E", fmt.Sprintf("Problem occurred while trying to use user in the Vault (Error: ITATS982E User %s is not defined.  Diagnostic Info: 6)", appID))
		return
	}
	serial := r.TLS.PeerCertificates[0].SerialNumber.Text(16)
	c.mu.Lock()
	allowed := c.allowed[serial]
	c.mu.Unlock()
	if !allowed {
		fail(http.StatusForbidden, "APPAP306E", fmt.Sprintf("Authentication error for App ID [%s]. Reason: APPAP133E Failed to verify application authentication data: CertificateSN %q is unauthorized", appID, serial))
		return
	}
	crit := map[string]string{}
	if query, ok := q["query"]; ok {
		for cond := range strings.SplitSeq(query, ";") {
			k, v, _ := strings.Cut(cond, "=")
			crit[strings.ToLower(strings.TrimSpace(k))] = v
		}
	} else {
		for _, k := range []string{"safe", "folder", "object", "username", "address", "database"} {
			if v, ok := q[k]; ok {
				crit[k] = v
			}
		}
	}
	if len(crit) == 0 {
		fail(http.StatusBadRequest, "AIMWS030E", "Invalid query format")
		return
	}
	if _, ok := crit["folder"]; !ok {
		crit["folder"] = "Root"
	}
	c.serveMatch(w, crit, fail)
}

// serveMatch answers with the one account matching every criterion.
func (c *CCP) serveMatch(w http.ResponseWriter, crit map[string]string, fail func(int, string, string)) {
	var parts []string
	for _, k := range []string{"safe", "folder", "object", "username", "address", "database"} {
		if v, ok := crit[k]; ok {
			parts = append(parts, strings.ToUpper(k[:1])+k[1:]+"="+v)
		}
	}
	query := strings.Join(parts, ";")
	c.mu.Lock()
	defer c.mu.Unlock()
	var matches []string
	for key, a := range c.accounts {
		ok := true
		for k, v := range crit {
			prop := map[string]string{"safe": "Safe", "folder": "Folder", "object": "Name", "username": "UserName", "address": "Address", "database": "Database"}[k]
			ok = ok && prop != "" && strings.EqualFold(a[prop], v)
		}
		if ok {
			matches = append(matches, key)
		}
	}
	switch {
	case len(matches) == 0:
		fail(http.StatusNotFound, "APPAP004E", "Password object matching query ["+query+"] was not found (Diagnostic Info: 5). Please check that there is a password object "+
			"that answers your query in the Vault and that both the Provider and the application user have the appropriate permissions needed in order to use the password.")
	case len(matches) > 1:
		fail(http.StatusBadRequest, "APPAP229E", "Too many password objects matching query ["+query+"] were found (Diagnostic Info: 41)")
	case c.changing[matches[0]]:
		fail(http.StatusInternalServerError, "APPAP282E", "Password ["+c.accounts[matches[0]]["Name"]+"] is currently being changed by the CPM.")
	default:
		writeJSON(w, http.StatusOK, c.accounts[matches[0]])
	}
}
