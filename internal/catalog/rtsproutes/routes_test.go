package rtsproutes

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/catalog/fingerprint"
)

// sharedData is ../shared/data seen from this package: the generator's
// inputs and the captures the vendor routes cite.
var sharedData = filepath.Join("..", "..", "..", "..", "shared", "data")

func load(t *testing.T) *Dictionary {
	t.Helper()
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func sharedLines(t *testing.T, rel string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sharedData, rel))
	if err != nil {
		t.Fatalf("shared data: %v", err)
	}
	return strings.Split(strings.TrimRight(string(b), "\n"), "\n")
}

// TestUnionOfDictionaries: every route of Cameradar and rtspbrute (and
// nmap's list) is in the dictionary in normal form, except the one with a
// host inside the path.
func TestUnionOfDictionaries(t *testing.T) {
	d := load(t)
	have := map[string]bool{}
	for _, r := range d.Routes() {
		have[r.Path] = true
	}
	dropped := 0
	for _, rel := range []string{"cameradar/routes", "rtspbrute/routes.txt", "nmap/rtsp-urls.txt"} {
		for i, line := range sharedLines(t, rel) {
			p := strings.TrimSpace(line)
			if strings.HasPrefix(p, "#") || (p == "" && rel != "cameradar/routes") {
				continue
			}
			p = "/" + strings.Trim(p, "/")
			if strings.Contains(p, "@") {
				dropped++
				continue
			}
			if !have[p] {
				t.Errorf("%s:%d %q missing (as %q)", rel, i+1, line, p)
			}
		}
	}
	if dropped != 2 { // cameradar's and rtspbrute's "pass@10.0.0.5:6667/blinkhd"
		t.Errorf("%d lines dropped for '@', want 2", dropped)
	}
	if d.Len() < 330 {
		t.Errorf("%d routes, want the union (>= 330)", d.Len())
	}
}

// TestGeneratedIsCurrent re-runs the generator on the shared data and
// compares with the committed file, so data/routes.json never drifts from
// gen/ and its inputs.
func TestGeneratedIsCurrent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "routes.json")
	cmd := exec.CommandContext(t.Context(), "go", "run", "./gen", "-data", sharedData, "-curated", "gen/vendors.json",
		"-vendors", filepath.Join("..", "fingerprint", "data", "vendors.json"), "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen: %v\n%s", err, b)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, embedded) {
		t.Errorf("data/routes.json is stale: run go run ./internal/catalog/rtsproutes/gen from the repository root")
	}
}

var dictionaryCite = regexp.MustCompile(`^([a-z]+/[a-z.-]+):(\d+)( \(facts\))?$`)

// TestSourcesHold checks every citation: a dictionary line says what the
// route says, a cited capture exists, every vendor is a fingerprint vendor
// (or listed as uncatalogued) and cites each of its routes.
func TestSourcesHold(t *testing.T) {
	var f file
	if err := json.Unmarshal(embedded, &f); err != nil {
		t.Fatal(err)
	}
	fp, err := fingerprint.Load()
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string][]string{}
	for _, r := range f.Routes {
		for _, s := range r.Sources {
			if m := dictionaryCite.FindStringSubmatch(s); m != nil {
				if lines[m[1]] == nil {
					lines[m[1]] = sharedLines(t, m[1])
				}
				n, _ := strconv.Atoi(m[2])
				if n < 1 || n > len(lines[m[1]]) || "/"+strings.Trim(strings.TrimSpace(lines[m[1]][n-1]), "/") != r.Path {
					t.Errorf("%s: %s does not say %q", r.Path, s, r.Path)
				}
				continue
			}
			vendor, fact, ok := strings.Cut(s, ": ")
			if !ok || !slices.Contains(r.Vendors, vendor) {
				t.Errorf("%s: source %q is neither a dictionary line nor one of its vendors'", r.Path, s)
				continue
			}
			kind, what, _ := strings.Cut(fact, ": ")
			if _, ok := f.SourceNotes[kind]; !ok {
				t.Errorf("%s: source kind %q not described in \"sources\"", r.Path, kind)
			}
			if kind == "capture" {
				rel, _, _ := strings.Cut(what, " ")
				if _, err := os.Stat(filepath.Join(sharedData, rel)); err != nil {
					t.Errorf("%s: cited capture: %v", r.Path, err)
				}
			}
		}
	}
	for vendor, paths := range f.Vendors {
		if _, ok := fp.Vendor(vendor); !ok && f.Uncatalogued[vendor] == "" {
			t.Errorf("vendor %q is neither a fingerprint vendor nor listed as uncatalogued", vendor)
		}
		for _, p := range paths {
			i := slices.IndexFunc(f.Routes, func(r Route) bool { return r.Path == p })
			if i < 0 || !slices.Contains(f.Routes[i].Vendors, vendor) {
				t.Errorf("vendor %q: route %q does not name it", vendor, p)
			}
		}
	}
	for brand, platform := range f.Platforms {
		if fp.Platform(brand) != platform {
			t.Errorf("platform of %q: %q, fingerprint catalogue says %q", brand, platform, fp.Platform(brand))
		}
	}
}

func TestForOrdering(t *testing.T) {
	d := load(t)
	tests := []struct {
		vendor string
		first  []string
	}{
		{"Hikvision", []string{"/Streaming/Channels/101", "/h264/ch1/main/av_stream"}},
		{"hikvision", []string{"/Streaming/Channels/101"}},
		{"EZVIZ", []string{"/Streaming/Channels/101"}}, // Hikvision platform
		{"Amcrest", []string{"/cam/realmonitor?channel=1&subtype=0"}},
		{"Lorex", []string{"/video.mp4", "/cam/realmonitor?channel=1&subtype=0"}},
		{"tp link", []string{"/stream1", "/stream2"}},
		{"Hanwha Vision", []string{"/profile2/media.smp"}},
		// Unknown vendor: routes two vendors use come first.
		{"", []string{"/11", "/media/video1", "/stream1", "/"}},
		{"Nobody Inc", []string{"/11"}},
	}
	for _, tc := range tests {
		t.Run(tc.vendor, func(t *testing.T) {
			got := d.For(tc.vendor)
			if len(got) != d.Len() {
				t.Errorf("%d routes, want all %d", len(got), d.Len())
			}
			seen := map[string]bool{}
			for _, p := range got {
				if seen[p] {
					t.Errorf("%q twice", p)
				}
				seen[p] = true
			}
			if !slices.Equal(got[:len(tc.first)], tc.first) {
				t.Errorf("first routes %q, want %q", got[:len(tc.first)], tc.first)
			}
		})
	}
	if r := d.VendorRoutes("Nobody Inc"); len(r) != 0 {
		t.Errorf("unknown vendor has routes %q", r)
	}
}

// TestLoadInvalid: one testdata/invalid-*.json per rule, with its message.
func TestLoadInvalid(t *testing.T) {
	tests := map[string]string{
		"invalid-schema.json":              `schema "camwarden.rtsproutes/0", want "camwarden.rtsproutes/1"`,
		"invalid-duplicate.json":           `route 1 "/live": duplicate`,
		"invalid-trailing-slash.json":      `route 0: path "/Streaming/Channels/101/": trailing slash`,
		"invalid-no-source.json":           `route "/live": no source`,
		"invalid-vendor-route.json":        `vendor "Wyze": route "/live2" not in the route list`,
		"invalid-credentials-in-path.json": `route 0: path "/pass@10.0.0.5:6667/blinkhd": '@' or '#'`,
		"invalid-unknown-field.json":       `json: unknown field "vendor"`,
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Load(bytes.NewReader(b))
			if err == nil || !strings.HasSuffix(err.Error(), want) {
				t.Errorf("error %v, want ending %q", err, want)
			}
		})
	}
}
