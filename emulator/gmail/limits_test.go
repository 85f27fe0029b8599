package gmail

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	gmailapi "google.golang.org/api/gmail/v1"
	"google.golang.org/api/googleapi"
)

// TestSendRecipientLimit: the Gmail API sends to at most 100 addresses per message; 101 are
// refused with 400 and nothing is delivered.
func TestSendRecipientLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	svc := e.service(testUser, scopeSend)
	msg := func(n int) *gmailapi.Message {
		var to []string
		for i := range n {
			to = append(to, fmt.Sprintf("r%d@example.net", i))
		}
		raw := "From: " + testUser + "\r\nTo: " + strings.Join(to[:n/2], ",\r\n ") + "\r\nBcc: " + strings.Join(to[n/2:], ", ") + "\r\nSubject: many\r\n\r\nhi\r\n"
		return &gmailapi.Message{Raw: base64.URLEncoding.EncodeToString([]byte(raw))}
	}
	_, err := svc.Users.Messages.Send("me", msg(101)).Do()
	var ge *googleapi.Error
	if !errors.As(err, &ge) || ge.Code != 400 || len(ge.Errors) == 0 || ge.Errors[0].Reason != "invalidArgument" || !strings.Contains(ge.Message, "Too many recipients: 101") {
		t.Fatalf("send to 101: %v", err)
	}
	if _, err := svc.Users.Messages.Send("me", msg(100)).Do(); err != nil {
		t.Fatalf("send to 100: %v", err)
	}
}
