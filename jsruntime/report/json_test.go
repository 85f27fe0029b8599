package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

func TestJSONGolden(t *testing.T) {
	files, s := fixture()
	var buf bytes.Buffer
	if err := replay(NewJSON(&buf), files, s); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.json", buf.Bytes())
}

func TestJSONShape(t *testing.T) {
	files, s := fixture()
	var buf bytes.Buffer
	if err := NewJSON(&buf).Finished(files, s); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Summary map[string]int
		Files   []struct {
			File  string
			Error map[string]any
			Tests []map[string]any
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	wantSummary := map[string]int{"passed": 3, "failed": 5, "flaky": 1, "skipped": 1, "interrupted": 1, "durationMs": 1500}
	for k, v := range wantSummary {
		if doc.Summary[k] != v {
			t.Errorf("summary.%s = %d, want %d", k, doc.Summary[k], v)
		}
	}
	if _, ok := doc.Summary["filesNotRun"]; ok {
		t.Error("summary.filesNotRun present though every file ran")
	}
	if len(doc.Files) != 3 {
		t.Fatalf("got %d files, want 3", len(doc.Files))
	}
	tests := []struct {
		file, test, key string
		want            any
	}{
		{"tests/reset.test.js", "link works", "fullName", "reset flow > link works"},
		{"tests/reset.test.js", "link works", "status", "failed"},
		{"tests/reset.test.js", "mail arrives", "durationMs", float64(1234)},
		{"tests/reset.test.js", "connects", "error", nil},
		{"tests/reset.test.js", "rejects an old token", "fullName", "reset flow > expired > rejects an old token"},
		{"tests/reset.test.js", "connects", "output", "connected to qa@example.com\n"},
		{"tests/reset.test.js", "mail is late", "status", "flaky"},
		{"tests/reset.test.js", "mail is late", "attempts", float64(2)},
		{"tests/reset.test.js", "never arrives", "status", "failed"},
		{"tests/reset.test.js", "never arrives", "attempts", float64(3)},
		{"tests/reset.test.js", "waits for the reply", "status", "interrupted"},
	}
	for _, tc := range tests {
		var found map[string]any
		for _, f := range doc.Files {
			for _, tt := range f.Tests {
				if f.File == tc.file && tt["name"] == tc.test {
					found = tt
				}
			}
		}
		if found == nil {
			t.Errorf("%s: test %q missing", tc.file, tc.test)
			continue
		}
		if got := found[tc.key]; got != tc.want {
			t.Errorf("%s > %s: %s = %v, want %v", tc.file, tc.test, tc.key, got, tc.want)
		}
	}
	for _, f := range doc.Files {
		for _, tt := range f.Tests {
			e, _ := tt["error"].(map[string]any)
			switch tt["name"] {
			case "link works":
				loc := e["location"]
				want := map[string]any{"file": "tests/reset.test.js", "line": float64(12), "column": float64(24)}
				if !reflect.DeepEqual(loc, want) || e["name"] != "AssertionError" || e["diff"] == nil {
					t.Errorf("link works: error %v, want name, diff and location %v", e, want)
				}
			case "signs out":
				if e["code"] != "AUTH_FAILED" || e["name"] != "Error" || e["location"] != nil {
					t.Errorf("signs out: error %v, want code AUTH_FAILED and no location", e)
				}
			case "mail is late":
				failed, _ := tt["failedAttempts"].([]any)
				if len(failed) != 1 || failed[0].(map[string]any)["code"] != "TIMEOUT" {
					t.Errorf("mail is late: failedAttempts %v, want the first attempt's error", tt["failedAttempts"])
				}
			}
		}
	}
	broken := doc.Files[1]
	if broken.Error["message"] != "Unexpected token (3:5)" || len(broken.Tests) != 0 {
		t.Errorf("file-level error not reported: %+v", broken)
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"tests": []`)) {
		t.Errorf("a file without tests must have an empty tests array, not null")
	}
}

// TestJSONFilesNotRun: a stopped run's summary counts the files it never started.
func TestJSONFilesNotRun(t *testing.T) {
	files, s := fixture()
	s.FilesNotRun = 2
	var buf bytes.Buffer
	if err := NewJSON(&buf).Finished(files, s); err != nil {
		t.Fatal(err)
	}
	var doc struct{ Summary map[string]int }
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil || doc.Summary["filesNotRun"] != 2 {
		t.Errorf("summary = %v, %v; want filesNotRun 2", doc.Summary, err)
	}
}
