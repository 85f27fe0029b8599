package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// faultsDoc is Faults on the wire (GET and PUT /_emulator/faults): durations as strings like
// "50ms". On PUT, "realistic" fills the settings left out with the Realistic preset, and
// "mailboxConcurrency" is the deprecated name of "graphConcurrency".
type faultsDoc struct {
	Latency            string             `json:"latency"`
	ServiceTime        string             `json:"serviceTime"`
	GraphConcurrency   int                `json:"graphConcurrency"`
	GraphRequestLimit  int                `json:"graphRequestLimit"`
	GmailQuotaRate     int                `json:"gmailQuotaRate"`
	GmailConcurrency   int                `json:"gmailConcurrency"`
	Fail               map[string]float64 `json:"fail"`
	Drop               float64            `json:"drop"`
	DropAfter          float64            `json:"dropAfter"`
	SignIn             bool               `json:"signIn"`
	Realistic          bool               `json:"realistic,omitempty"`
	MailboxConcurrency int                `json:"mailboxConcurrency,omitempty"`
}

func faultsJSON(f Faults) faultsDoc {
	d := faultsDoc{Latency: f.Latency.String(), ServiceTime: f.ServiceTime.String(), GraphConcurrency: f.GraphConcurrency,
		GraphRequestLimit: f.GraphRequestLimit, GmailQuotaRate: f.GmailQuotaRate, GmailConcurrency: f.GmailConcurrency,
		Drop: f.Drop, DropAfter: f.DropAfter, SignIn: f.SignIn, Fail: map[string]float64{}}
	for k, v := range f.Fail {
		d.Fail[strconv.Itoa(k)] = v
	}
	return d
}

const faultsExample = `{"latency":"25ms","serviceTime":"120ms","graphConcurrency":4,"graphRequestLimit":10000,"gmailQuotaRate":250,"gmailConcurrency":50,"fail":{"429":0.1},"drop":0.01,"dropAfter":0.01,"signIn":false} or {"realistic":true}`

func (s *Server) putFaults(w http.ResponseWriter, r *http.Request) {
	var in faultsDoc
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		writeJSON(w, 400, map[string]string{"error": "body must be JSON like " + faultsExample + ": " + err.Error()})
		return
	}
	f := Faults{GraphConcurrency: in.GraphConcurrency, GraphRequestLimit: in.GraphRequestLimit, GmailQuotaRate: in.GmailQuotaRate,
		GmailConcurrency: in.GmailConcurrency, Drop: in.Drop, DropAfter: in.DropAfter, SignIn: in.SignIn}
	if f.GraphConcurrency == 0 {
		f.GraphConcurrency = in.MailboxConcurrency
	}
	for _, d := range []struct {
		name, text string
		to         *time.Duration
	}{{"latency", in.Latency, &f.Latency}, {"serviceTime", in.ServiceTime, &f.ServiceTime}} {
		if d.text == "" {
			continue
		}
		v, err := time.ParseDuration(d.text)
		if err != nil {
			writeJSON(w, 400, map[string]string{"error": d.name + " " + d.text + ": want a duration like 50ms"})
			return
		}
		*d.to = v
	}
	for k, v := range in.Fail {
		status, err := strconv.Atoi(k)
		if err != nil {
			writeJSON(w, 400, map[string]string{"error": "fail " + k + ": want an HTTP status like 429"})
			return
		}
		if f.Fail == nil {
			f.Fail = map[int]float64{}
		}
		f.Fail[status] = v
	}
	if in.Realistic {
		f.withDefaults(Realistic())
	}
	if err := s.SetFaults(f); err != nil {
		writeJSON(w, 400, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, 200, faultsJSON(f))
}
