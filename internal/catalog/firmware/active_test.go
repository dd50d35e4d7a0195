package firmware

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// redated is the embedded catalogue with another top-level date (later
// than the embedded one: every entry's date stays before it).
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

// small is a valid one-vendor catalogue dated date, every entry checked
// that day: an older catalogue than the embedded one.
func small(date string) []byte {
	return []byte(`{"schema":"camwarden.firmware/1","date":"` + date + `","vendors":[{"name":"Axis","scheme":"axis",` +
		`"manual_check":{"en":"a","ja":"b"},"source":"s","checked":"` + date + `"}],"families":[],"vulnerabilities":[]}`)
}

// days returns the embedded catalogue's date plus n days, and as text.
func days(t *testing.T, n int) (time.Time, string) {
	t.Helper()
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	d, err := time.Parse(time.DateOnly, def.Date)
	if err != nil {
		t.Fatal(err)
	}
	d = d.AddDate(0, 0, n)
	return d, d.Format(time.DateOnly)
}

func sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

func TestCheckDate(t *testing.T) {
	now := time.Date(2026, 12, 4, 15, 31, 0, 0, time.UTC)
	tests := []struct {
		date string
		want error
	}{
		{"2026-12-04", nil},
		{"2026-12-05", nil}, // tomorrow in Japan
		{"2026-12-06", ErrFutureDate},
		{"2099-01-01", ErrFutureDate},
		{"2020-01-01", nil},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			err := (&Catalog{Date: tt.date}).CheckDate(now)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("CheckDate = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestLoadActive(t *testing.T) {
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	now, _ := days(t, 30)
	_, newer := days(t, 7)
	_, tomorrow := days(t, 31)
	_, future := days(t, 32)
	tests := []struct {
		name     string
		file     []byte // nil: no installed file
		noDir    bool
		wantDate string
		wantFile bool  // the installed file is active
		wantErr  error // errors.Is; errAny: any error
	}{
		{name: "no directory", noDir: true, wantDate: def.Date},
		{name: "nothing installed", wantDate: def.Date},
		{name: "newer installed", file: redated(t, newer), wantDate: newer, wantFile: true},
		{name: "installed dated tomorrow", file: redated(t, tomorrow), wantDate: tomorrow, wantFile: true},
		{name: "same date installed", file: redated(t, def.Date), wantDate: def.Date},
		// Issue 10 item 8: an installed catalogue must never outrank a
		// newer embedded one, and the user is told which one is active.
		{name: "older installed", file: small("2020-01-01"), wantDate: def.Date, wantErr: ErrOlder},
		{name: "future installed", file: redated(t, future), wantDate: def.Date, wantErr: ErrFutureDate},
		{name: "far future installed", file: redated(t, "2099-01-01"), wantDate: def.Date, wantErr: ErrFutureDate},
		{name: "invalid installed", file: []byte(`{"schema":"camwarden.firmware/0"}`), wantDate: def.Date, wantErr: errAny},
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
			cat, origin, err := LoadActive(dir, now)
			if !wantError(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "using the embedded catalogue dated "+def.Date) {
				t.Errorf("error %q does not say which catalogue is active", err)
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

// errAny stands for "any error" in the tables.
var errAny = errors.New("any error")

func wantError(err, want error) bool {
	switch want {
	case nil:
		return err == nil
	case errAny:
		return err != nil
	}
	return errors.Is(err, want)
}

func TestInstall(t *testing.T) {
	now, _ := days(t, 30)
	_, d7 := days(t, 7)
	_, d14 := days(t, 14)
	_, future := days(t, 32)
	newer := redated(t, d7)
	bad := []byte(`{"schema":"camwarden.firmware/1","date":"` + d7 + `","vendors":[],"families":[],"vulnerabilities":[],"extra":1}`)
	tests := []struct {
		name      string
		installed []byte // already in the directory
		data      []byte
		sha       string
		wantErr   error // errAny: any error
	}{
		{name: "newer", data: newer, sha: sum(newer)},
		{name: "upper-case checksum", data: newer, sha: upper(sum(newer))},
		{name: "replaces an invalid file", installed: []byte("{"), data: newer, sha: sum(newer)},
		{name: "replaces an older file", installed: small("2020-01-01"), data: newer, sha: sum(newer)},
		// Issue 10 item 8: a future-dated catalogue is refused, and one
		// installed before this check does not block real updates.
		{name: "replaces a future-dated file", installed: redated(t, "2099-01-01"), data: newer, sha: sum(newer)},
		{name: "future-dated", data: redated(t, future), sha: sum(redated(t, future)), wantErr: ErrFutureDate},
		{name: "far future", data: redated(t, "2099-01-01"), sha: sum(redated(t, "2099-01-01")), wantErr: ErrFutureDate},
		{name: "wrong checksum", data: newer, sha: sum(bad), wantErr: ErrChecksum},
		{name: "checksum not hex", data: newer, sha: "xyz", wantErr: errAny},
		{name: "schema error", data: bad, sha: sum(bad), wantErr: errAny},
		{name: "older than embedded", data: small("2020-01-01"), sha: sum(small("2020-01-01")), wantErr: ErrOlder},
		{name: "older than installed", installed: redated(t, d14), data: newer, sha: sum(newer), wantErr: ErrOlder},
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
			cat, got, err := Install(dir, tt.data, tt.sha, now)
			if tt.wantErr != nil {
				if !wantError(err, tt.wantErr) {
					t.Fatalf("error %v, want %v", err, tt.wantErr)
				}
				if b, _ := os.ReadFile(path); !bytes.Equal(b, tt.installed) {
					t.Errorf("installed file changed on error (%d bytes)", len(b))
				}
				return
			}
			if err != nil || got != path || cat.Date != d7 {
				t.Fatalf("Install = %v %q %v", cat, got, err)
			}
			active, origin, err := LoadActive(dir, now)
			if err != nil || origin != path || active.Date != d7 {
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

// TestUpdateAfterFutureCatalogue is issue 10 item 8 as a user met it: a
// catalogue dated 2099 was accepted, after which every real update was
// refused as older. Now the first is refused and, if one was installed
// before, the next real update replaces it.
func TestUpdateAfterFutureCatalogue(t *testing.T) {
	now, _ := days(t, 30)
	_, realDate := days(t, 20)
	dir := t.TempDir()
	future := redated(t, "2099-01-01")
	if _, _, err := Install(dir, future, sum(future), now); !errors.Is(err, ErrFutureDate) {
		t.Fatalf("installing a catalogue dated 2099: %v, want ErrFutureDate", err)
	}
	if err := os.WriteFile(filepath.Join(dir, ActiveFile), future, 0o644); err != nil { // as an older camwarden left it
		t.Fatal(err)
	}
	update := redated(t, realDate)
	cat, _, err := Install(dir, update, sum(update), now)
	if err != nil || cat.Date != realDate {
		t.Fatalf("real update after a future-dated one: %v", err)
	}
	active, origin, err := LoadActive(dir, now)
	if err != nil || active.Date != realDate || origin != filepath.Join(dir, ActiveFile) {
		t.Errorf("active %s from %s (%v), want the update dated %s", active.Date, origin, err, realDate)
	}
}

func upper(s string) string { return string(bytes.ToUpper([]byte(s))) }

func TestInstallNeedsDir(t *testing.T) {
	newer := redated(t, "2099-01-01")
	if _, _, err := Install("", newer, sum(newer), time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)); err == nil {
		t.Error("Install with no directory succeeded")
	}
}
