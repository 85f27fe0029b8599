package secrets

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"software.sslmate.com/src/go-pkcs12"
)

// ccpParams are the GetPassword web service's search parameters, as CyberArk spells them.
// AppID is not among them: it comes from MAILSCRIPT_CYBERARK_APP_ID.
var ccpParams = []string{"Safe", "Folder", "Object", "UserName", "Address", "Database", "PolicyID", "Reason",
	"Query", "QueryFormat", "ConnectionTimeout", "FailRequestOnPasswordChange"}

const ccpUsage = "a Central Credential Provider reference looks like cyberark://ccp/SAFE/OBJECT, or cyberark://ccp?Safe=S&UserName=U " +
	"(any of Safe, Folder, Object, UserName, Address, Database, PolicyID, Query, QueryFormat, Reason, ConnectionTimeout), " +
	"then optionally #PROPERTY (default #Content, the password)"

// ccp reads an account from the Central Credential Provider: GET
// {MAILSCRIPT_CYBERARK_CCP_URL}/AIMWebService/api/Accounts?AppID=...&Safe=...&Object=..., the
// application authenticated by its client certificate (and the machine's address), and the
// value the account's Content or another property. spec is the reference after "ccp":
// /SAFE/OBJECT or ?PARAMS, with an optional #PROPERTY.
func (r Resolver) ccp(ctx context.Context, ref, spec string) (string, error) {
	spec, property, _ := strings.Cut(spec, "#")
	if property == "" {
		property = "Content"
	}
	params, err := ccpQuery(spec)
	if err != nil {
		return "", r.fail(ref, nil, nil, "%v: %s", err, ccpUsage)
	}
	raw, appID := r.getenv("MAILSCRIPT_CYBERARK_CCP_URL"), r.getenv("MAILSCRIPT_CYBERARK_APP_ID")
	if raw == "" || appID == "" {
		return "", r.fail(ref, nil, nil, "set MAILSCRIPT_CYBERARK_CCP_URL to the Central Credential Provider (https://ccp.example.com) "+
			"and MAILSCRIPT_CYBERARK_APP_ID to the application's AppID")
	}
	base, err := endpoint(raw, "MAILSCRIPT_CYBERARK_CCP_URL", false)
	if err != nil {
		return "", r.fail(ref, nil, nil, "%v", err)
	}
	root := strings.TrimRight(base.String(), "/")
	if strings.Trim(base.Path, "/") == "" {
		root += "/AIMWebService" // the web service's default IIS application; a URL with a path names another
	}
	cert, err := r.ccpCertificate()
	if err != nil {
		return "", r.fail(ref, ErrDenied, nil, "%v", err)
	}
	hc, err := r.tlsClient("MAILSCRIPT_CYBERARK_CCP_CA", r.getenv("MAILSCRIPT_CYBERARK_CCP_CA"), cert)
	if err != nil {
		return "", r.fail(ref, nil, nil, "%v", err)
	}
	defer hc.CloseIdleConnections()

	// encodeURIComponent-style escaping: the service does not take '+' for a space.
	q := "AppID=" + strings.ReplaceAll(url.QueryEscape(appID), "+", "%20")
	for _, p := range params {
		q += "&" + p[0] + "=" + strings.ReplaceAll(url.QueryEscape(p[1]), "+", "%20")
	}
	status, _, body, err := send(ctx, hc, http.MethodGet, root+"/api/Accounts?"+q, http.Header{"Accept": {"application/json"}}, nil)
	if err != nil {
		check := "check MAILSCRIPT_CYBERARK_CCP_URL and that the web service is up"
		if p := tlsProblem(err, "MAILSCRIPT_CYBERARK_CCP_CA", "MAILSCRIPT_CYBERARK_CCP_CERT (and MAILSCRIPT_CYBERARK_CCP_KEY)", cert != nil); p != "" {
			check = p
		}
		return "", r.sendError(ref, err, "the Central Credential Provider at "+base.Host, check)
	}
	if status != http.StatusOK {
		return "", r.ccpError(ref, appID, status, body, cert != nil)
	}
	var account map[string]any
	if err := json.Unmarshal(body, &account); err != nil {
		return "", r.fail(ref, nil, nil, "the Central Credential Provider answered 200 without a JSON account: check that MAILSCRIPT_CYBERARK_CCP_URL is the web service, not a portal page")
	}
	v, ok := account[property]
	if !ok {
		for k, val := range account {
			if strings.EqualFold(k, property) {
				v, ok = val, true
			}
		}
	}
	if !ok {
		return "", r.fail(ref, ErrNotFound, nil, "the account has no property %q (it has: %s)", property, keyList(account))
	}
	if s, ok := v.(string); ok {
		return s, nil
	}
	b, _ := json.Marshal(v)
	return string(b), nil
}

// ccpQuery turns /SAFE/OBJECT and ?NAME=VALUE&... into the service's parameters, in order.
// It splits the query itself: url.ParseQuery refuses the ';' of Query=Safe=S;Object=O.
func ccpQuery(spec string) ([][2]string, error) {
	path, query, _ := strings.Cut(spec, "?")
	var params [][2]string
	if path = strings.Trim(path, "/"); path != "" {
		safe, object, _ := strings.Cut(path, "/")
		if object == "" {
			return nil, fmt.Errorf("no object after the safe %q", safe)
		}
		params = append(params, [2]string{"Safe", safe}, [2]string{"Object", object})
	}
	for pair := range strings.SplitSeq(query, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			return nil, fmt.Errorf("bad parameter %q: %v", k, err)
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			return nil, fmt.Errorf("bad value for %s: %v", name, err)
		}
		i := slices.IndexFunc(ccpParams, func(p string) bool { return strings.EqualFold(p, name) })
		if i < 0 {
			return nil, fmt.Errorf("unknown parameter %q (AppID comes from MAILSCRIPT_CYBERARK_APP_ID)", name)
		}
		if value == "" {
			return nil, fmt.Errorf("%s has no value", ccpParams[i])
		}
		params = append(params, [2]string{ccpParams[i], value})
	}
	if len(params) == 0 {
		return nil, fmt.Errorf("no safe, object or query")
	}
	return params, nil
}

// ccpCertificate loads the client certificate the application authenticates with: PEM
// certificate and key (one file or two), or a PFX with its password. nil when none is set.
func (r Resolver) ccpCertificate() (*tls.Certificate, error) {
	certFile, keyFile := r.getenv("MAILSCRIPT_CYBERARK_CCP_CERT"), r.getenv("MAILSCRIPT_CYBERARK_CCP_KEY")
	if certFile == "" {
		if keyFile != "" {
			return nil, fmt.Errorf("MAILSCRIPT_CYBERARK_CCP_KEY is set without MAILSCRIPT_CYBERARK_CCP_CERT: set both (or CERT alone to a PFX or a PEM with the key)")
		}
		return nil, nil
	}
	b, err := r.readFile(certFile)
	if err != nil {
		return nil, fmt.Errorf("cannot read MAILSCRIPT_CYBERARK_CCP_CERT: %v", fileError(err))
	}
	password := r.getenv("MAILSCRIPT_CYBERARK_CCP_CERT_PASSWORD")
	r.Redactor.Add(password)
	if !strings.Contains(string(b), "-----BEGIN") {
		key, leaf, chain, err := pkcs12.DecodeChain(b, password)
		if err != nil {
			return nil, fmt.Errorf("MAILSCRIPT_CYBERARK_CCP_CERT %s is not PEM, and not a PFX that opens with MAILSCRIPT_CYBERARK_CCP_CERT_PASSWORD: %v", certFile, err)
		}
		c := &tls.Certificate{Certificate: [][]byte{leaf.Raw}, PrivateKey: key, Leaf: leaf}
		for _, ca := range chain {
			c.Certificate = append(c.Certificate, ca.Raw)
		}
		return c, nil
	}
	keyPEM := b
	if keyFile != "" {
		if keyPEM, err = r.readFile(keyFile); err != nil {
			return nil, fmt.Errorf("cannot read MAILSCRIPT_CYBERARK_CCP_KEY: %v", fileError(err))
		}
	}
	for line := range strings.SplitSeq(string(keyPEM), "\n") {
		if line = strings.TrimSpace(line); len(line) >= 32 && !strings.HasPrefix(line, "-----") {
			r.Redactor.Add(line) // PEM body lines: a partial key is a leak too
		}
	}
	c, err := tls.X509KeyPair(b, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("MAILSCRIPT_CYBERARK_CCP_CERT %s and its key: %v (the key must be an unencrypted PEM private key, in MAILSCRIPT_CYBERARK_CCP_KEY or the same file)", certFile, err)
	}
	return &c, nil
}

// ccpError explains the service's {"ErrorCode": "APPAP004E", "ErrorMsg": "..."} answers, by
// the codes CyberArk documents for GetPassword.
func (r Resolver) ccpError(ref, appID string, status int, body []byte, withCert bool) error {
	var e struct {
		Code    string `json:"ErrorCode"`
		Msg     string `json:"ErrorMsg"`
		Message string `json:"ErrorMessage"`
	}
	_ = json.Unmarshal(body, &e)
	said := statusText(status)
	if e.Code != "" {
		said += " " + e.Code
	}
	if e.Msg == "" {
		e.Msg = e.Message
	}
	if e.Msg != "" {
		said += ": " + clause(e.Msg)
	}
	const who = "the Central Credential Provider answered "
	switch e.Code {
	case "APPAP004E":
		return r.fail(ref, ErrNotFound, nil, who+"%s: check the safe and object names, and that the application %s and the Provider's user are members of the safe "+
			"with Retrieve and List permission", said, appID)
	case "APPAP008E":
		return r.fail(ref, ErrDenied, nil, who+"%s: the Vault has no application %s: check MAILSCRIPT_CYBERARK_APP_ID", said, appID)
	case "APPAP306E":
		hint := "add this machine's client certificate (MAILSCRIPT_CYBERARK_CCP_CERT), address or OS user to the allowed machines of the application " + appID
		if !withCert {
			hint = "the application " + appID + " may authenticate by client certificate: set MAILSCRIPT_CYBERARK_CCP_CERT, or add this machine's address to its allowed machines"
		}
		return r.fail(ref, ErrDenied, nil, who+"%s: %s", said, hint)
	case "APPAP227E", "APPAP228E", "APPAP229E":
		return r.fail(ref, nil, nil, who+"%s: the reference matches more than one account: narrow it with Object, UserName or Address", said)
	case "APPAP282E":
		return r.fail(ref, nil, nil, who+"%s: the CPM is changing this password right now: run again once the change completes", said)
	case "APPAP007E":
		return r.fail(ref, ErrUnreachable, nil, who+"%s: the Provider cannot reach the Vault: ask the CyberArk administrators to check it", said)
	case "AIMWS030E", "AIMWS031E", "APPAP081E", "CASVL010E":
		return r.fail(ref, nil, nil, who+"%s: check the reference's parameters (%s)", said, ccpUsage)
	}
	switch status {
	case http.StatusForbidden:
		if e.Code == "" {
			return r.fail(ref, ErrDenied, nil, who+"%s without a CyberArk error code: its web server may require a client certificate: set MAILSCRIPT_CYBERARK_CCP_CERT", said)
		}
		return r.fail(ref, ErrDenied, nil, who+"%s: check MAILSCRIPT_CYBERARK_APP_ID and the application's allowed machines", said)
	case http.StatusNotFound:
		if e.Code == "" {
			return r.fail(ref, ErrNotFound, nil, who+"%s without a CyberArk error code: check MAILSCRIPT_CYBERARK_CCP_URL (the web service's root, default path /AIMWebService)", said)
		}
		return r.fail(ref, ErrNotFound, nil, who+"%s", said)
	}
	return r.fail(ref, nil, nil, who+"%s", said)
}
