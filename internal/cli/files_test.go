package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/report"
)

// TestReportSetRefusesPlantedLinks: the demo's report files have fixed
// names in one folder; a symbolic link planted under one of them is not
// followed, and a report with a shown password is 0600.
func TestReportSetRefusesPlantedLinks(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, filepath.Join(dir, "findings.csv")); err != nil {
		t.Fatal(err)
	}
	rep := &report.Scan{Schema: report.SchemaV1, Scope: "127.0.0.1", Findings: []finding.Finding{
		{ID: "AUTH-DEFAULT-HTTP", Evidence: map[string]string{"password": "12345"}}}}
	if _, err := writeReportSet(dir, rep, "en"); err == nil {
		t.Error("a planted link was accepted")
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Errorf("victim changed: %q", b)
	}
	if fi, err := os.Stat(filepath.Join(dir, "scan.json")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("scan.json with a password: mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
}
