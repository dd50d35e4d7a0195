package firmware

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// redated is the embedded catalogue with another top-level date.
func redated(t *testing.T, date string) []byte {
	t.Helper()
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	old := []byte(`"date": "` + def.Date + `"`)
	if !bytes.Contains(embedded, old) {
		t.Fatalf("embedded catalogue has no %s", old)
	}
	return bytes.Replace(embedded, old, []byte(`"date": "`+date+`"`), 1)
}

func sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

func TestLoadActive(t *testing.T) {
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		file     []byte // nil: no installed file
		noDir    bool
		wantDate string
		wantFile bool // the installed file is active
		wantErr  bool
	}{
		{name: "no directory", noDir: true, wantDate: def.Date},
		{name: "nothing installed", wantDate: def.Date},
		{name: "newer installed", file: redated(t, "2099-01-01"), wantDate: "2099-01-01", wantFile: true},
		{name: "same date installed", file: redated(t, def.Date), wantDate: def.Date},
		{name: "older installed", file: redated(t, "2020-01-01"), wantDate: def.Date},
		{name: "invalid installed", file: []byte(`{"schema":"camwarden.firmware/0"}`), wantDate: def.Date, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.file != nil {
				if err := os.WriteFile(filepath.Join(dir, ActiveFile), tt.file, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if tt.noDir {
				dir = ""
			}
			cat, origin, err := LoadActive(dir)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want error %v", err, tt.wantErr)
			}
			if cat == nil || cat.Date != tt.wantDate {
				t.Fatalf("catalogue %v, want date %s", cat, tt.wantDate)
			}
			wantOrigin := Embedded
			if tt.wantFile {
				wantOrigin = filepath.Join(dir, ActiveFile)
			}
			if origin != wantOrigin {
				t.Errorf("origin %q, want %q", origin, wantOrigin)
			}
		})
	}
}

func TestInstall(t *testing.T) {
	newer := redated(t, "2099-01-01")
	bad := []byte(`{"schema":"camwarden.firmware/1","date":"2099-01-01","vendors":[],"families":[],"vulnerabilities":[],"extra":1}`)
	tests := []struct {
		name      string
		installed []byte // already in the directory
		data      []byte
		sha       string
		wantErr   error // nil: any error when wantMsg is set
		wantMsg   bool
	}{
		{name: "newer", data: newer, sha: sum(newer)},
		{name: "upper-case checksum", data: newer, sha: upper(sum(newer))},
		{name: "replaces an invalid file", installed: []byte("{"), data: newer, sha: sum(newer)},
		{name: "wrong checksum", data: newer, sha: sum(bad), wantErr: ErrChecksum},
		{name: "checksum not hex", data: newer, sha: "xyz", wantMsg: true},
		{name: "schema error", data: bad, sha: sum(bad), wantMsg: true},
		{name: "older than embedded", data: redated(t, "2020-01-01"), sha: sum(redated(t, "2020-01-01")), wantErr: ErrOlder},
		{name: "older than installed", installed: redated(t, "2099-06-01"), data: newer, sha: sum(newer), wantErr: ErrOlder},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "camwarden")
			path := filepath.Join(dir, ActiveFile)
			if tt.installed != nil {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, tt.installed, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			cat, got, err := Install(dir, tt.data, tt.sha)
			if tt.wantErr != nil || tt.wantMsg {
				if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
					t.Fatalf("error %v, want %v", err, tt.wantErr)
				}
				if b, _ := os.ReadFile(path); !bytes.Equal(b, tt.installed) {
					t.Errorf("installed file changed on error (%d bytes)", len(b))
				}
				return
			}
			if err != nil || got != path || cat.Date != "2099-01-01" {
				t.Fatalf("Install = %v %q %v", cat, got, err)
			}
			active, origin, err := LoadActive(dir)
			if err != nil || origin != path || active.Date != "2099-01-01" {
				t.Errorf("LoadActive after install = %q %q %v", active.Date, origin, err)
			}
			if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o644 {
				t.Errorf("installed file mode %v %v", st, err)
			}
			left, _ := filepath.Glob(filepath.Join(dir, "*.tmp"))
			if len(left) != 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

func upper(s string) string { return string(bytes.ToUpper([]byte(s))) }

func TestInstallNeedsDir(t *testing.T) {
	newer := redated(t, "2099-01-01")
	if _, _, err := Install("", newer, sum(newer)); err == nil {
		t.Error("Install with no directory succeeded")
	}
}
