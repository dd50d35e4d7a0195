package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	catalogfw "github.com/camwarden/camwarden/internal/catalog/firmware"
)

// catalogueFile writes the embedded catalogue, dated date (not before
// the embedded date: its entries must not postdate it), to a file and
// returns its path and SHA-256.
func catalogueFile(t *testing.T, date string) (string, string) {
	t.Helper()
	cat, err := catalogfw.Default()
	if err != nil {
		t.Fatal(err)
	}
	cat.Date = date
	data, err := json.Marshal(cat)
	if err != nil {
		t.Fatal(err)
	}
	return writeCatalogue(t, date, data)
}

// olderCatalogueFile writes a valid one-vendor catalogue dated 2020-01-01.
func olderCatalogueFile(t *testing.T) (string, string) {
	t.Helper()
	return writeCatalogue(t, "2020-01-01", []byte(`{"schema":"camwarden.firmware/1","date":"2020-01-01",`+
		`"vendors":[{"name":"Axis","scheme":"axis","manual_check":{"en":"a","ja":"b"},"source":"s","checked":"2020-01-01"}],`+
		`"families":[],"vulnerabilities":[]}`))
}

func writeCatalogue(t *testing.T, date string, data []byte) (string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "firmware-"+date+".json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(data)
	return path, hex.EncodeToString(s[:])
}

// tomorrow is the newest date a catalogue may carry today (the CLI reads
// the wall clock): newer than the embedded catalogue, not in the future.
func tomorrow() string { return time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly) }

func runCatalogArgs(t *testing.T, args ...string) (int, string, error) {
	t.Helper()
	var out, errw bytes.Buffer
	code, err := runCatalog(t.Context(), args, IO{In: strings.NewReader(""), Out: &out, Err: &errw})
	return code, out.String(), err
}

func TestCatalogShow(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		want []string // substrings of the output
	}{
		{"hikvision nvr", []string{"Hikvision", "DS-7608NXI-I2/8P/S"}, ExitOK, []string{
			"firmware catalogue dated ", "catalogue: embedded",
			"families listing DS-7608NXI-I2/8P/S: 2",
			"latest V4.62.225 build 240123 (2024-01-23)",
			"source: Hikvision download centre via JoeyGE0/hikvision-fw-archive",
			"CVE-2021-36260 KEV (exploited, listed ",
		}},
		{"alias and case", []string{"hiwatch", "ds-7608nxi-i2/8p/s"}, ExitOK, []string{"\nHikvision (version scheme hikvision", "families listing DS-7608NXI-I2/8P/S: 2"}},
		{"reolink discontinued", []string{"Reolink", "RLC-411WS"}, ExitOK, []string{
			"RLC-411WS: discontinued (no dates published); replacement RLC-511W",
			"source: Reolink devices.json via AT0myks/reolink-fw-archive",
		}},
		{"dahua build-date ranges", []string{"Dahua", "IPC-HFW3441T", "--config-dir", dir}, ExitOK, []string{
			"families listing IPC-HFW3441T: 0",
			"CVE-2021-33044 KEV", "range: builds before 2021-06-01",
		}},
		{"whole vendor", []string{"Reolink"}, ExitOK, []string{"\nfamilies: 33\n", "RLC-410 (camera): discontinued"}},
		{"axis model of no family", []string{"Axis", "P3245-LVE"}, ExitOK, []string{
			"families listing P3245-LVE: 0",
			"releases replaced by a later line (outdated on every model): 5",
			"10.0.0 up to 10.12.0 (not included): replaced by AXIS OS 10.12, LTS 2022",
			"source: Axis, AXIS OS portal https://help.axis.com/en-us/axis-os",
			"CVE-2024-47262",
		}},
		{"unknown vendor", []string{"Acme"}, ExitError, []string{"catalogue: embedded"}},
		{"no vendor", nil, ExitUsage, nil},
		{"too many", []string{"a", "b", "c"}, ExitUsage, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, err := runCatalogArgs(t, append([]string{"show"}, tt.args...)...)
			if code != tt.code || (code == ExitOK) != (err == nil) {
				t.Fatalf("code %d err %v, want %d", code, err, tt.code)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestCatalogUpdate(t *testing.T) {
	newer, newerSum := catalogueFile(t, tomorrow())
	older, olderSum := olderCatalogueFile(t)
	future, futureSum := catalogueFile(t, "2099-01-01")
	tests := []struct {
		name    string
		args    []string
		code    int
		wantErr error
		want    string
	}{
		{"no sha", []string{"--from", newer}, ExitUsage, nil, ""},
		{"no from", []string{"--sha256", newerSum}, ExitUsage, nil, ""},
		{"extra argument", []string{"--from", newer, "--sha256", newerSum, "x"}, ExitUsage, nil, ""},
		{"wrong sha", []string{"--from", newer, "--sha256", olderSum}, ExitError, catalogfw.ErrChecksum, ""},
		{"missing file", []string{"--from", newer + ".missing", "--sha256", newerSum}, ExitError, os.ErrNotExist, ""},
		{"older than embedded", []string{"--from", older, "--sha256", olderSum}, ExitError, catalogfw.ErrOlder, ""},
		{"future-dated", []string{"--from", future, "--sha256", futureSum}, ExitError, catalogfw.ErrFutureDate, ""},
		{"newer", []string{"--from", newer, "--sha256", newerSum}, ExitOK, nil, "installed firmware catalogue dated " + tomorrow()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			code, out, err := runCatalogArgs(t, append([]string{"update", "--config-dir", dir}, tt.args...)...)
			if code != tt.code || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) || (code == ExitOK) != (err == nil) {
				t.Fatalf("code %d err %v, want %d %v", code, err, tt.code, tt.wantErr)
			}
			_, statErr := os.Stat(filepath.Join(dir, catalogfw.ActiveFile))
			if installed := statErr == nil; installed != (code == ExitOK) {
				t.Errorf("installed %v after code %d", installed, code)
			}
			if !strings.Contains(out, tt.want) {
				t.Errorf("output %q lacks %q", out, tt.want)
			}
		})
	}
}

// TestCatalogUpdateThenShow: show uses the installed catalogue once it is
// newer than the embedded one.
func TestCatalogUpdateThenShow(t *testing.T) {
	dir := t.TempDir()
	newer, sum := catalogueFile(t, tomorrow())
	if code, _, err := runCatalogArgs(t, "update", "--from", newer, "--sha256", sum, "--config-dir", dir); code != ExitOK {
		t.Fatalf("update: %d %v", code, err)
	}
	code, out, err := runCatalogArgs(t, "show", "Reolink", "RLC-410", "--config-dir", dir)
	if code != ExitOK {
		t.Fatalf("show: %d %v", code, err)
	}
	for _, w := range []string{"firmware catalogue dated " + tomorrow(), "catalogue: " + filepath.Join(dir, catalogfw.ActiveFile)} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func TestCatalogSubcommand(t *testing.T) {
	for _, args := range [][]string{nil, {"delete"}} {
		if code, _, err := runCatalogArgs(t, args...); code != ExitUsage || err == nil {
			t.Errorf("%v: code %d err %v, want usage", args, code, err)
		}
	}
}

// TestCatalogFutureInstalled is issue 10 item 8 end to end: a catalogue
// dated 2099 left installed by an older camwarden is set aside (show says
// so and uses the embedded one), and a real update replaces it.
func TestCatalogFutureInstalled(t *testing.T) {
	dir := t.TempDir()
	future, _ := catalogueFile(t, "2099-01-01")
	data, err := os.ReadFile(future)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, catalogfw.ActiveFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errw bytes.Buffer
	code, err := runCatalog(t.Context(), []string{"show", "Reolink", "--config-dir", dir}, IO{In: strings.NewReader(""), Out: &out, Err: &errw})
	if code != ExitOK || err != nil {
		t.Fatalf("show: %d %v", code, err)
	}
	if !strings.Contains(out.String(), "catalogue: embedded") || !strings.Contains(errw.String(), "dated 2099-01-01, more than a day after") {
		t.Errorf("show with a future-dated installed catalogue:\n%s\nstderr:\n%s", out.String(), errw.String())
	}
	newer, sum := catalogueFile(t, tomorrow())
	if code, out, err := runCatalogArgs(t, "update", "--from", newer, "--sha256", sum, "--config-dir", dir); code != ExitOK {
		t.Fatalf("real update after a future-dated catalogue: %d %v %s", code, err, out)
	}
}

// TestScanSaysWhichCatalogue: a scan names the installed catalogue it uses,
// and says why an installed one was set aside.
func TestScanSaysWhichCatalogue(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	t.Setenv("HOME", cfg)
	dir, err := catalogfw.ConfigDir()
	if err != nil {
		t.Fatal(err)
	}
	newer, sum := catalogueFile(t, tomorrow())
	if code, _, err := runCatalogArgs(t, "update", "--from", newer, "--sha256", sum, "--config-dir", dir); code != ExitOK {
		t.Fatalf("update: %d %v", code, err)
	}
	var errw bytes.Buffer
	cat, err := loadFirmwareCatalog(&errw)
	if err != nil || cat.Date != tomorrow() {
		t.Fatalf("loadFirmwareCatalog = %v, %v", cat, err)
	}
	if want := "firmware catalogue in use: " + filepath.Join(dir, catalogfw.ActiveFile); !strings.Contains(errw.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, errw.String())
	}
	older, _ := olderCatalogueFile(t)
	data, err := os.ReadFile(older)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, catalogfw.ActiveFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	errw.Reset()
	if cat, err = loadFirmwareCatalog(&errw); err != nil || cat.Date == "2020-01-01" {
		t.Fatalf("loadFirmwareCatalog with an older installed catalogue = %v, %v", cat, err)
	}
	if want := "using the embedded catalogue dated " + cat.Date; !strings.Contains(errw.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, errw.String())
	}
}

// TestCatalogShowREADMEExamples runs every `camwarden catalog show VENDOR
// MODEL` line of the README: each must find at least one family of that
// model (issue 10 item 20: the README's own example found nothing).
func TestCatalogShowREADMEExamples(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(readme), "\n") {
		rest, ok := strings.CutPrefix(line, "camwarden catalog show ")
		if !ok {
			continue
		}
		cmd, _, _ := strings.Cut(rest, "#")
		args := strings.Fields(cmd)
		if len(args) != 2 {
			t.Errorf("README example %q: want VENDOR MODEL", line)
			continue
		}
		n++
		code, out, err := runCatalogArgs(t, "show", args[0], args[1], "--config-dir", t.TempDir())
		if code != ExitOK {
			t.Errorf("README example %q: code %d err %v", line, code, err)
			continue
		}
		if strings.Contains(out, "families listing "+args[1]+": 0\n") || !strings.Contains(out, "families listing "+args[1]+": ") {
			t.Errorf("README example %q finds no family:\n%s", line, out)
		}
	}
	if n == 0 {
		t.Fatal("no `camwarden catalog show` example in the README")
	}
}
