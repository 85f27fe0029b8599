package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// emulatorMark starts the first line of an env file the emulator wrote (emulator.WriteEnvFile).
const emulatorMark = "# mailscript emulator at "

// readEnvFile parses KEY=VALUE lines: blank lines and # comments are skipped, "export " is
// allowed in front, and a value may be double-quoted (Go escapes) or single-quoted (literal).
// emulatorURL is the emulator's address when it wrote the file.
func readEnvFile(path string) (map[string]string, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", fmt.Errorf("--env-file: %w", err)
	}
	defer f.Close()
	vars := map[string]string{}
	emulatorURL := ""
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024) // service account keys make long lines
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if n == 1 && strings.HasPrefix(line, emulatorMark) {
			emulatorURL = strings.TrimPrefix(line, emulatorMark)
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			return nil, "", fmt.Errorf("--env-file %s:%d: expected KEY=VALUE", path, n)
		}
		value = strings.TrimSpace(value)
		switch {
		case len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"':
			if value, err = strconv.Unquote(value); err != nil {
				return nil, "", fmt.Errorf("--env-file %s:%d: bad quoted value for %s", path, n, key)
			}
		case len(value) >= 2 && value[0] == '\'' && value[len(value)-1] == '\'':
			value = value[1 : len(value)-1]
		}
		vars[key] = value
	}
	if err := sc.Err(); err != nil {
		return nil, "", fmt.Errorf("--env-file %s: %w", path, err)
	}
	return vars, emulatorURL, nil
}
