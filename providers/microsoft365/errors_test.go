package microsoft365

import (
	"strings"
	"testing"

	"github.com/mailscript/mailscript/providers"
)

func TestGraphErrorMessages(t *testing.T) {
	t.Parallel()
	m := &mailbox{cfg: &config{mailbox: qaBox}}
	read := op{"read message X", "Mail.Read"}
	for _, tc := range []struct {
		status      int
		code, msg   string
		want        providers.Code
		wantMessage []string
	}{
		{401, "InvalidAuthenticationToken", "IDX14100: JWT is not well formed, there are no dots (.).", providers.AuthFailed,
			[]string{"rejected the access token: IDX14100: JWT is not well formed", "same cloud"}},
		{401, "", "", providers.AuthFailed, []string{"rejected the access token (if the token is valid"}},
		{400, "ErrorInvalidIdMalformed", "Id is malformed.", providers.NotFound, []string{"not found", `"Id is malformed."`}},
		{404, "ErrorItemNotFound", "The specified object was not found in the store.", providers.NotFound, []string{"not found"}},
		{400, "ErrorInvalidRequest", "Bad.", providers.InvalidArgument, []string{"refused the request (HTTP 400): Bad."}},
	} {
		err := m.graphError(read, tc.status, tc.code, tc.msg)
		pe := err.(*providers.Error)
		if pe.Code != tc.want || pe.ProviderCode != tc.code || pe.Status != tc.status {
			t.Errorf("%d %s: code %s, provider code %q, status %d", tc.status, tc.code, pe.Code, pe.ProviderCode, pe.Status)
		}
		for _, w := range tc.wantMessage {
			if !strings.Contains(pe.Message, w) {
				t.Errorf("%d %s: message %q lacks %q", tc.status, tc.code, pe.Message, w)
			}
		}
	}
}
