package gmail

import (
	"slices"
	"strings"

	"github.com/mailscript/mailscript/emulator/store"
)

// Gmail OAuth scopes, as the Go client names them.
const (
	scopeFull     = "https://mail.google.com/"
	scopeModify   = "https://www.googleapis.com/auth/gmail.modify"
	scopeReadonly = "https://www.googleapis.com/auth/gmail.readonly"
	scopeMetadata = "https://www.googleapis.com/auth/gmail.metadata"
	scopeSend     = "https://www.googleapis.com/auth/gmail.send"
	scopeCompose  = "https://www.googleapis.com/auth/gmail.compose"
	scopeLabels   = "https://www.googleapis.com/auth/gmail.labels"
)

// Scope sets per kind of call, from the "Authorization scopes" section of each method's
// reference page.
var (
	readScopes   = []string{scopeFull, scopeModify, scopeReadonly, scopeMetadata}
	getScopes    = []string{scopeFull, scopeModify, scopeReadonly, scopeMetadata, scopeCompose}
	labelScopes  = []string{scopeFull, scopeModify, scopeReadonly, scopeMetadata, scopeLabels}
	modifyScopes = []string{scopeFull, scopeModify}
	sendScopes   = []string{scopeFull, scopeModify, scopeCompose, scopeSend}
	deleteScopes = []string{scopeFull}
)

func allows(t store.Token, any []string) bool {
	return slices.ContainsFunc(t.Scopes, func(s string) bool { return slices.Contains(any, s) })
}

// metadataOnly is true when gmail.metadata is the only reading scope, which Gmail punishes by
// refusing q and the full and raw formats.
func metadataOnly(t store.Token) bool {
	return slices.Contains(t.Scopes, scopeMetadata) &&
		!allows(t, []string{scopeFull, scopeModify, scopeReadonly, scopeCompose})
}

func bearer(h string) string {
	if len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}
