package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoRemembersScans runs the demo twice into one history store and
// reads the history back: two scans, and a "since last scan" answer.
func TestDemoRemembersScans(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "history.db")
	for i := range 2 {
		var out, errb bytes.Buffer
		code := Run(t.Context(), []string{"demo", "--prefix", "127.78.94", "--out", filepath.Join(dir, "r"), "--db", db, "--no-login"},
			strings.NewReader(""), &out, &errb)
		if code != ExitOK {
			t.Fatalf("demo run %d: exit %d\n%s", i, code, errb.String())
		}
		if !strings.Contains(errb.String(), "saved as scan #") {
			t.Fatalf("demo run %d did not say where the scan was saved:\n%s", i, errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := Run(t.Context(), []string{"history", "--db", db, "--lang", "en"}, strings.NewReader(""), &out, &errb); code != ExitOK {
		t.Fatalf("history: exit %d\n%s", code, errb.String())
	}
	if got := strings.Count(out.String(), "127.78.94.0/24"); got < 2 {
		t.Errorf("history lists %d scans of the lab, want 2:\n%s", got, out.String())
	}
	out.Reset()
	if code := Run(t.Context(), []string{"history", "--db", db, "--since-last", "--lang", "en"}, strings.NewReader(""), &out, &errb); code != ExitOK {
		t.Fatalf("history --since-last: exit %d\n%s", code, errb.String())
	}
	if out.Len() == 0 {
		t.Error("history --since-last printed nothing")
	}
	t.Logf("since last:\n%s", out.String())
}
