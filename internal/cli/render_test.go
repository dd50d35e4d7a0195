package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/report"
)

// labScanFile is the report package's golden scan of five lab devices; its
// snapshot evidence sits next to it.
const labScanFile = "../report/testdata/lab.json.golden"

func readLabScan(t *testing.T) *report.Scan {
	t.Helper()
	f, err := os.Open(labScanFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := report.ReadJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestReportSetRerendersByteIdentical writes the report set as a scan
// run does, then re-renders every file from the saved scan.json as
// `camwarden report DIR/scan.json --format F --lang L` does.
func TestReportSetRerendersByteIdentical(t *testing.T) {
	snap, err := os.ReadFile("../report/testdata/hikvision-ds2cd2532f-snapshot.jpg")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "ja"} {
		t.Run(lang, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "hikvision-ds2cd2532f-snapshot.jpg"), snap, 0o644); err != nil {
				t.Fatal(err)
			}
			paths, err := writeReportSet(dir, readLabScan(t), lang)
			if err != nil {
				t.Fatal(err)
			}
			if len(paths) != 4 {
				t.Fatalf("wrote %v, want 4 files", paths)
			}
			scanPath := filepath.Join(dir, "scan.json")
			f, err := os.Open(scanPath)
			if err != nil {
				t.Fatal(err)
			}
			saved, err := report.ReadJSON(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			for _, rf := range reportSet() {
				want, err := os.ReadFile(filepath.Join(dir, rf.name))
				if err != nil {
					t.Fatal(err)
				}
				var got bytes.Buffer
				if err := renderFormatDir(&got, saved, rf.format, lang, false, evidenceDir(scanPath)); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Bytes(), want) {
					t.Errorf("%s: re-render differs from the written file (%d vs %d bytes)", rf.name, got.Len(), len(want))
				}
			}
			html, _ := os.ReadFile(filepath.Join(dir, "report.html"))
			if !bytes.Contains(html, []byte(`src="data:image/jpeg;base64,`)) {
				t.Errorf("report.html does not embed the snapshot")
			}
			if !bytes.Contains(html, []byte(`<html lang="`+lang+`">`)) {
				t.Errorf("report.html is not in %s", lang)
			}
		})
	}
}

func TestRenderFormat(t *testing.T) {
	tests := []struct {
		format, lang string
		want         string
		wantErr      bool
	}{
		{"table", "en", "1 AUTH 2 FW 3 SVC", false},
		{"table", "ja", "1認証 2FW 3機能", false},
		{"json", "ja", `"schema": "camwarden.scan/v1"`, false},
		{"csv", "en", "address,hostname,type", false},
		{"md", "ja", "# camwarden セキュリティ診断レポート", false},
		{"html", "en", "<!DOCTYPE html>", false},
		{"pdf", "en", "", true},
		{"table", "fr", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.format+"/"+tc.lang, func(t *testing.T) {
			var b bytes.Buffer
			err := renderFormat(&b, readLabScan(t), tc.format, tc.lang, false)
			if tc.wantErr {
				var ue usageError
				if !errors.As(err, &ue) {
					t.Fatalf("error = %v, want a usage error", err)
				}
				return
			}
			if err != nil || !strings.Contains(b.String(), tc.want) {
				t.Fatalf("renderFormat = %v; output lacks %q", err, tc.want)
			}
		})
	}
}
