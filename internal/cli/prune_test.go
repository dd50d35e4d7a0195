package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestKeepFlag(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  string
	}{
		{"400d", 400 * 24 * time.Hour, ""},
		{"72h", 72 * time.Hour, ""},
		{"forever", 0, ""},
		{"0", 0, ""},
		{"12h", 0, "keep at least 1d"},
		{"-3d", 0, "keep at least 1d"},
		{"soon", 0, "want days like 400d"},
		{"99999999d", 0, "want days like 400d"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			var k keepFlag
			err := k.Set(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Set(%q): %v, want %q", tc.in, err, tc.err)
				}
				return
			}
			if err != nil || k.d != tc.want {
				t.Fatalf("Set(%q) = %v (%v), want %v", tc.in, k.d, err, tc.want)
			}
		})
	}
	if k := (keepFlag{400 * 24 * time.Hour}); k.String() != "400d" {
		t.Errorf("String() = %q", k.String())
	}
}

// TestPruneCommand runs "camwarden prune" on a store holding one demo
// scan: nothing is old enough, the command says so and exits 0; with
// --vacuum it reports the file size; --vacuum is refused on PostgreSQL.
func TestPruneCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "camwarden.db")
	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"default keep", []string{"prune", "--db", db}, ExitOK, "pruned 0 audits' documents and 0 device observations"},
		{"vacuum", []string{"prune", "--db", db, "--keep", "30d", "--vacuum"}, ExitOK, "vacuumed "},
		{"forever", []string{"prune", "--db", db, "--keep", "forever"}, ExitOK, "nothing to prune"},
		{"bad keep", []string{"prune", "--db", db, "--keep", "1h"}, ExitUsage, ""},
		{"vacuum on postgres", []string{"prune", "--postgres", "postgres://127.0.0.1:1/x", "--vacuum"}, ExitUsage, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Run(t.Context(), tc.args, strings.NewReader(""), &out, &errb)
			if code != tc.code || !strings.Contains(out.String(), tc.out) {
				t.Errorf("exit %d, want %d; stdout %q, want %q; stderr %s", code, tc.code, out.String(), tc.out, errb.String())
			}
		})
	}
}
