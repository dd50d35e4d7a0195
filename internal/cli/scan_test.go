package cli

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

// TestScanRefusesBeforeSendingAnything covers the safety rules of the
// scan command: each case must exit 2 with one clear message and scan
// nothing (the history store is never created).
func TestScanRefusesBeforeSendingAnything(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"malformed address", []string{"127.0.0.300"}, `target "127.0.0.300"`},
		{"malformed among good ones", []string{"127.0.0.1", "10.0.0.0/33"}, `target "10.0.0.0/33"`},
		{"public address", []string{"8.8.8.8"}, "--allow-public"},
		{"public inside a range", []string{"172.15.255.250-172.16.0.5"}, "public"},
		{"no target without a terminal", nil, "no target given"},
		{"bad port", []string{"127.0.0.1", "-p", "70000"}, "-p:"},
		{"bad format", []string{"127.0.0.1", "--format", "pdf"}, "--format"},
		{"bad fail-on", []string{"127.0.0.1", "--fail-on", "scary"}, "--fail-on"},
		{"bad depth", []string{"127.0.0.1", "--depth", "everything"}, "--depth"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := t.TempDir() + "/h.db"
			var out, errb bytes.Buffer
			args := append([]string{"scan", "--db", db}, tc.args...)
			code := Run(t.Context(), args, strings.NewReader(""), &out, &errb)
			if code != ExitUsage {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitUsage, errb.String())
			}
			if !strings.Contains(errb.String(), tc.want) {
				t.Errorf("stderr %q does not mention %q", errb.String(), tc.want)
			}
			if out.Len() != 0 {
				t.Errorf("something was reported although nothing may be scanned:\n%s", out.String())
			}
			if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("history store created (%v): something was scanned", err)
			}
			if strings.Count(strings.TrimSpace(errb.String()), "\n") > 3 {
				t.Errorf("want one clear error, got:\n%s", errb.String())
			}
		})
	}
}
