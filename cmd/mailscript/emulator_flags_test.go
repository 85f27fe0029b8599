package main

import (
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator"
)

// TestCostModelFlags: --realistic fills the cost model, flags given with it win (even 0), and
// --mailbox-concurrency still sets Graph's limit.
func TestCostModelFlags(t *testing.T) {
	t.Parallel()
	r := emulator.Realistic()
	tests := []struct {
		args []string
		want func(emulator.Config) bool
	}{
		{[]string{"--realistic"}, func(c emulator.Config) bool {
			return c.Latency == r.Latency && c.ServiceTime == r.ServiceTime && c.GraphConcurrency == 4 && c.GraphRequestLimit == 10000 &&
				c.GmailQuotaRate == 250 && c.GmailConcurrency == r.GmailConcurrency
		}},
		{[]string{"--realistic", "--graph-concurrency", "8", "--gmail-concurrency", "0", "--latency", "5ms"}, func(c emulator.Config) bool {
			return c.GraphConcurrency == 8 && c.GmailConcurrency == 0 && c.Latency == 5*time.Millisecond && c.ServiceTime == r.ServiceTime
		}},
		{[]string{"--mailbox-concurrency", "3"}, func(c emulator.Config) bool { return c.GraphConcurrency == 3 && c.ServiceTime == 0 }},
		{[]string{"--service-time", "80ms", "--gmail-quota-rate", "100"}, func(c emulator.Config) bool {
			return c.ServiceTime == 80*time.Millisecond && c.GmailQuotaRate == 100 && c.GraphConcurrency == 0
		}},
	}
	for _, tt := range tests {
		var c emulatorConfig
		fs := emulatorFlags(&c)
		if err := parseFlags(fs, tt.args); err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		cfg, err := c.faults.config()
		if err != nil || !tt.want(cfg) {
			t.Errorf("%v: %+v, %v", tt.args, cfg, err)
		}
	}
	var c emulatorConfig
	if err := parseFlags(emulatorFlags(&c), []string{"--gmail-quota-rate", "-1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.faults.config(); err == nil {
		t.Error("a negative --gmail-quota-rate was accepted")
	}
}
