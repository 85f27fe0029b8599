package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestRunHTMLReport: --html writes the report, says where, and --junit beside it links each
// test case to the report's page for it, by a path relative to the JUnit file.
func TestRunHTMLReport(t *testing.T) {
	dir := writeFiles(t, map[string]string{"mail.test.js": `
test('passes', () => { console.log('hello from the test'); });
test('fails here', () => { expect(1).toBe(2); });
`})
	htmlDir, junit := filepath.Join(dir, "out", "html"), filepath.Join(dir, "out", "ci", "junit.xml")
	code, _, stderr := runCLI(t, nil, "run", dir, "--html", htmlDir, "--junit", junit)
	if code != exitFailed {
		t.Fatalf("exit %d, want %d\n%s", code, exitFailed, stderr)
	}
	index := filepath.Join(htmlDir, "index.html")
	if !strings.Contains(stderr, "HTML report: "+index) {
		t.Errorf("stderr does not say where the report is:\n%s", stderr)
	}
	data := readFile(t, filepath.Join(htmlDir, "data.js"))
	for _, want := range []string{`"name":"fails here"`, "hello from the test", `Expected: 2`} {
		if !strings.Contains(data, want) {
			t.Errorf("data.js lacks %q", want)
		}
	}
	for _, name := range []string{"index.html", "report.js", "mailview.js"} {
		if _, err := os.Stat(filepath.Join(htmlDir, name)); err != nil {
			t.Error(err)
		}
	}
	link := regexp.MustCompile(`<property name="html-report" value="\.\./html/index\.html#(t[0-9a-f]+)"`).FindAllStringSubmatch(readFile(t, junit), -1)
	if len(link) != 2 {
		t.Fatalf("the JUnit report has %d html-report links, want 2:\n%s", len(link), readFile(t, junit))
	}
	for _, l := range link {
		if !strings.Contains(data, `"id":"`+l[1]+`"`) {
			t.Errorf("the JUnit link #%s names no test of the report", l[1])
		}
	}
}

func TestHTMLDir(t *testing.T) {
	for _, c := range []struct {
		cfg  runConfig
		want string
	}{
		{runConfig{reporter: "pretty"}, ""},
		{runConfig{reporter: "html"}, defaultHTMLDir},
		{runConfig{reporter: "html", html: "r"}, "r"},
		{runConfig{reporter: "dots", html: "r"}, "r"},
	} {
		if got := c.cfg.htmlDir(); got != c.want {
			t.Errorf("%+v: htmlDir = %q, want %q", c.cfg, got, c.want)
		}
	}
}
