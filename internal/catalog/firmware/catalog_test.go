package firmware

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultValidates(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if c.Schema != SchemaVersion || c.Date == "" {
		t.Fatalf("schema %q date %q", c.Schema, c.Date)
	}
	if len(c.Vendors) < 10 || len(c.Families) < 1000 || len(c.Vulnerabilities) < 170 {
		t.Fatalf("catalogue too small: %d vendors, %d families, %d vulnerabilities",
			len(c.Vendors), len(c.Families), len(c.Vulnerabilities))
	}
}

// TestKEVExtractCovered checks that every CVE of the KEV camera/NVR/router
// extract (its id column is committed in testdata) is in the catalogue.
func TestKEVExtractCovered(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]*Vulnerability{}
	for i := range c.Vulnerabilities {
		have[c.Vulnerabilities[i].CVE] = &c.Vulnerabilities[i]
	}
	f, err := os.Open(filepath.Join("testdata", "kev-extract-cve-ids.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		id := strings.TrimSpace(sc.Text())
		if id == "cveID" || id == "" {
			continue
		}
		n++
		v, ok := have[id]
		if !ok {
			t.Errorf("%s from the KEV extract is not in the catalogue", id)
			continue
		}
		if !v.KEV || v.KEVAdded == "" {
			t.Errorf("%s: not flagged as KEV", id)
		}
	}
	if n != 174 {
		t.Errorf("read %d KEV ids, want 174", n)
	}
}

func TestLoadInvalid(t *testing.T) {
	tests := []struct{ file, want string }{
		{"invalid-schema.json", `invalid firmware catalogue: schema "camwarden.firmware/0", want "camwarden.firmware/1"`},
		{"invalid-unknown-field.json", `decode firmware catalogue: json: unknown field "extra"`},
		{"invalid-no-source.json", `invalid firmware catalogue: vendor 0 (Axis): no source`},
		{"invalid-latest-version.json", `invalid firmware catalogue: family 0 (Axis M1065-LW): latest: parse axis version "nine": unparseable firmware version`},
		{"invalid-all-versions.json", `invalid firmware catalogue: vulnerability 0 (CVE-2099-0001): all_versions needs a model_pattern`},
		{"invalid-latest-after-date.json", `invalid firmware catalogue: family 0 (Axis M1065-LW): latest release 2099-01-01 is after the catalogue's date 2026-11-26`},
		{"invalid-checked-after-date.json", `invalid firmware catalogue: vendor 0 (Axis): checked 2026-12-01 is after the catalogue's date 2026-11-26`},
		{"invalid-superseded-order.json", `invalid firmware catalogue: superseded 0 (Axis 10.12.0): introduced 10.12.0 is not before successor 10.5.0`},
		{"invalid-superseded-line.json", `invalid firmware catalogue: superseded 0 (Axis 10.0.0): needs the successor line's name`},
		{"invalid-superseded-vendor.json", `invalid firmware catalogue: superseded 0 (Acme 10.0.0): unknown vendor "Acme"`},
		{"invalid-superseded-checked-after-date.json", `invalid firmware catalogue: superseded 0 (Axis 10.0.0): checked 2026-12-01 is after the catalogue's date 2026-11-26`},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Load(bytes.NewReader(data))
			if err == nil || err.Error() != tc.want {
				t.Fatalf("err = %v\nwant %s", err, tc.want)
			}
		})
	}
}

func TestLoadTooLarge(t *testing.T) {
	_, err := Load(bytes.NewReader(make([]byte, MaxSize+1)))
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("err = %v", err)
	}
}

func TestVerify(t *testing.T) {
	sum := sha256.Sum256(embedded)
	good := hex.EncodeToString(sum[:])
	tests := []struct {
		name, hex string
		wantErr   bool
		checksum  bool
	}{
		{"match", good, false, false},
		{"match upper case", strings.ToUpper(good), false, false},
		{"mismatch", strings.Repeat("0", 64), true, true},
		{"not hex", "xyz", true, false},
		{"short", good[:10], true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Verify(embedded, tc.hex)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if errors.Is(err, ErrChecksum) != tc.checksum {
				t.Fatalf("errors.Is(ErrChecksum) wrong for %v", err)
			}
		})
	}
}

// TestGeneratedIsCurrent re-runs the generator on the shared data and
// gen/overlay.json and gen/curated.json and compares with the committed
// firmware.json, so the
// embedded catalogue never drifts from gen/ and its inputs.
func TestGeneratedIsCurrent(t *testing.T) {
	data := filepath.Join("..", "..", "..", "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(data, "SOURCES.md")); err != nil {
		t.Fatalf("shared data (the generator's inputs) not found at %s: %v", data, err)
	}
	out := filepath.Join(t.TempDir(), "firmware.json")
	cmd := exec.CommandContext(t.Context(), "go", "run", "./gen", "-data", data, "-overlay", "gen/overlay.json", "-curated", "gen/curated.json", "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen: %v\n%s", err, b)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, embedded) {
		t.Errorf("firmware.json is stale: run go run ./internal/catalog/firmware/gen from the repository root")
	}
}
