package report

import (
	"time"

	"github.com/mailscript/mailscript/internal/mailview"
)

// Step is one thing a test did that the HTML report shows on its timeline: a mail call, a
// fetch, or a console line, in the order they started.
type Step struct {
	Kind     string        `json:"kind"`              // "mail", "fetch" or "console"
	Name     string        `json:"name"`              // "read", "waitFor", "GET http://127.0.0.1:3000/signup", "log"
	Mailbox  string        `json:"mailbox,omitempty"` // a mail call's mailbox address
	Args     string        `json:"args"`              // the call's arguments as the console prints them, secrets redacted
	Start    time.Duration `json:"start"`             // since the test started
	Duration time.Duration `json:"duration"`          // zero for console lines
	// Outcome is "ok", "error" (Error says why) or "pending" (still running when the test ended).
	Outcome string `json:"outcome"`
	Error   string `json:"error,omitempty"`
	Result  string `json:"result,omitempty"` // a short description: "3 messages", "200 OK", the console text
	// Polls are waitFor's polls: when each ran and how many messages it saw.
	Polls []Poll `json:"polls,omitempty"`
	// Messages are the messages this step read or sent, shown under it.
	Messages []*mailview.Message `json:"messages,omitempty"`
}

// Poll is one of waitFor's looks at the mailbox.
type Poll struct {
	Start    time.Duration `json:"start"`
	Duration time.Duration `json:"duration"`
	// Seen counts the messages new to the wait that this poll looked at; Matched those of
	// them that matched the criteria (1 on the poll that found the message, else 0).
	Seen    int    `json:"seen"`
	Matched int    `json:"matched"`
	Error   string `json:"error,omitempty"`
}
