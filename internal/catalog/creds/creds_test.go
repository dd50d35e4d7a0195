package creds

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	fpcat "github.com/camwarden/camwarden/internal/catalog/fingerprint"
)

// knownSources are the files of ../shared/data (see its SOURCES.md) an
// entry may cite, with whether their licence lets us copy (true) or only
// take facts (false, the citation must say "(facts)").
var knownSources = map[string]bool{
	"defaultcreds-cheat-sheet/DefaultCreds-Cheat-Sheet.csv":        true,
	"seclists/default-passwords.camera-dvr-subset.csv":             true,
	"routersploit/camera-creds-modules.defaults.extracted.csv":     true,
	"routersploit/defaults.txt":                                    true,
	"routersploit/passwords.txt":                                   true,
	"cameradar/credentials.json":                                   true,
	"mirai/mirai-scanner-credentials.csv":                          false,
	"rtspbrute/credentials.txt":                                    false,
	"changeme/telnet__dahua.yml":                                   false,
	"changeme/telnet__american_dynamics.yml":                       false,
	"changeme/telnet__telnet.yml":                                  false,
	"changeme/http__camera__icatch.yml":                            false,
	"changeme/http__camera__netwave.yml":                           false,
	"changeme/http__camera__speco_technologies_ip_camera.yml":      false,
	"changeme/http__general__video_web_server.yml":                 false,
	"changeme/http__webcam__maygion_camera.yml":                    false,
	"changeme/http__webcam__trendnet_internet_camera.yml":          false,
	"changeme/ssh__iot.yml":                                        false,
	"changeme/snmp__common.yml":                                    false,
	"changeme/snmp__public_private.yml":                            false,
	"nndefaccts/http-default-accounts-fingerprints-nndefaccts.lua": false,
	"nmap/snmpcommunities.lst":                                     false,
	"hikvision_next/devices/DS-2CD2386G2-IU.json":                  false,
}

func load(t *testing.T) *Catalog {
	t.Helper()
	c, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	return c
}

func checkSource(t *testing.T, where, src string) {
	t.Helper()
	if strings.HasPrefix(src, "doc: ") {
		return
	}
	file, _, _ := strings.Cut(src, ":")
	copyable, ok := knownSources[file]
	if !ok {
		t.Errorf("%s: source %q cites an unknown file", where, src)
		return
	}
	if !copyable && !strings.Contains(src, "(facts)") {
		t.Errorf("%s: source %q is GPL/NPSL/unlicensed and must be marked (facts)", where, src)
	}
}

func TestCatalogValid(t *testing.T) {
	c := load(t)
	fp, err := fpcat.Load()
	if err != nil {
		t.Fatalf("fingerprint catalogue: %v", err)
	}
	for _, v := range c.Vendors() {
		if canon, ok := fp.CanonicalVendor(v.Name); !ok || canon != v.Name {
			t.Errorf("vendor %q is not a canonical fingerprint vendor (got %q)", v.Name, canon)
		}
		want := fp.Platform(v.Name)
		if want == v.Name {
			want = ""
		}
		if v.Platform != want {
			t.Errorf("vendor %q: platform %q, fingerprint catalogue says %q", v.Name, v.Platform, want)
		}
	}
	seen := map[string]bool{}
	for i, cr := range c.All() {
		where := cr.Name
		if !cr.Tier.Valid() {
			t.Errorf("%s: tier %d", where, cr.Tier)
		}
		if cr.Vendor != "" {
			if _, ok := fp.CanonicalVendor(cr.Vendor); !ok {
				t.Errorf("%s: unknown vendor %q", where, cr.Vendor)
			}
		}
		if len(cr.Sources) == 0 {
			t.Errorf("%s: no source", where)
		}
		for _, s := range cr.Sources {
			checkSource(t, where, s)
		}
		k := strings.Join([]string{cr.Vendor, cr.Model, cr.Username, cr.Password}, "\x00")
		if seen[k] {
			t.Errorf("entry %d %s: duplicate", i, where)
		}
		seen[k] = true
		if nameReveals(cr) {
			t.Errorf("entry %d: name %q spells the password", i, where)
		}
		for _, p := range cr.Protocols {
			if !slices.Contains(LoginProtocols(), p) {
				t.Errorf("%s: protocol %q", where, p)
			}
		}
	}
	for _, cm := range c.SNMPCommunities(DepthExtended) {
		for _, s := range cm.Sources {
			checkSource(t, cm.Name, s)
		}
	}
}

// TestGeneratedIsCurrent re-runs the generator on the shared data and
// compares with the committed file, so data/creds.json never drifts from
// gen/ and its inputs.
func TestGeneratedIsCurrent(t *testing.T) {
	data := filepath.Join("..", "..", "..", "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(data, "SOURCES.md")); err != nil {
		t.Fatalf("shared data (the generator's inputs) not found at %s: %v", data, err)
	}
	out := filepath.Join(t.TempDir(), "creds.json")
	cmd := exec.CommandContext(t.Context(), "go", "run", "./gen", "-data", data, "-curated", "gen/curated.json", "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen: %v\n%s", err, b)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, embedded) {
		t.Errorf("data/creds.json is stale: run go run ./internal/catalog/creds/gen from the repository root")
	}
}

func pairs(cs []Credential) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Username + "/" + c.Password
	}
	return out
}

func TestForOrdering(t *testing.T) {
	c := load(t)
	tests := []struct {
		vendor, model, protocol string
		depth                   Depth
		first                   []string // the list must start with these
		absent                  string   // and must not contain this
	}{
		{"Hikvision", "", "http", DepthDefault, []string{"admin/12345"}, "admin/vizxv"},
		{"hikvision", "DS-2CD2532F-IWS", "https", DepthDefault, []string{"admin/12345"}, ""},
		{"Dahua", "", "http", DepthDefault, []string{"admin/admin", "888888/888888", "666666/666666"}, "admin/12345x"},
		{"Dahua", "", "telnet", DepthDefault, []string{"root/vizxv", "root/7ujMko0admin"}, ""},
		{"Amcrest", "", "rtsp", DepthDefault, []string{"admin/admin", "888888/888888"}, ""},
		{"Axis", "", "http", DepthDefault, []string{"root/pass", "root/"}, ""},
		{"Xiongmai", "", "http", DepthDefault, []string{"admin/", "default/tluafed"}, "root/xmhdipc"},
		{"Xiongmai", "", "telnet", DepthDefault, []string{"root/xmhdipc"}, ""},
		{"Reolink", "", "http", DepthDefault, []string{"admin/"}, ""},
		{"Foscam", "", "rtsp", DepthDefault, []string{"admin/"}, ""},
		{"Ubiquiti", "", "ssh", DepthDefault, []string{"ubnt/ubnt"}, ""},
		{"MikroTik", "", "http", DepthDefault, []string{"admin/"}, ""},
		{"Buffalo", "", "http", DepthDefault, []string{"admin/password"}, ""},
		{"Uniview", "", "onvif", DepthDefault, []string{"admin/123456"}, ""},
		{"Hanwha Vision", "", "http", DepthDefault, []string{"admin/4321"}, ""},
		{"", "", "http", DepthDefault, []string{"admin/admin"}, "admin/12345678"},
		{"", "", "ftp", DepthDefault, nil, "root/xc3511"},
		{"", "", "telnet", DepthCommon, []string{"admin/admin"}, ""},
		{"Hikvision", "", "http", DepthCommon, []string{"admin/12345", "admin/wbox123", "admin/Admin123"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.vendor+"/"+tc.protocol+"/"+tc.depth.String(), func(t *testing.T) {
			got := pairs(c.For(tc.vendor, tc.model, tc.protocol, tc.depth))
			if len(got) < len(tc.first) || !slices.Equal(got[:len(tc.first)], tc.first) {
				t.Fatalf("For = %q, want it to start with %q", got, tc.first)
			}
			if tc.absent != "" && slices.Contains(got, tc.absent) {
				t.Errorf("For = %q contains %q", got, tc.absent)
			}
			if len(got) > tc.depth.Cap() {
				t.Errorf("For returned %d > cap %d", len(got), tc.depth.Cap())
			}
			if len(slices.Compact(slices.Sorted(slices.Values(got)))) != len(got) {
				t.Errorf("For = %q has duplicates", got)
			}
		})
	}
}

// TestForMiraiAtCommonDepth: the Mirai pairs are tried on an unknown
// device from depth common on; at depth default only pairs some source
// attributes to a vendor are (root/xc3511 is one: DefaultCreds lists it
// for two vendors), never a pair only Mirai lists.
func TestForMiraiAtCommonDepth(t *testing.T) {
	c := load(t)
	got := pairs(c.For("", "", "telnet", DepthCommon))
	for _, want := range []string{"root/xc3511", "root/vizxv", "root/xmhdipc", "support/support", "root/"} {
		if !slices.Contains(got, want) {
			t.Errorf("generic telnet at common depth lacks Mirai pair %q", want)
		}
	}
	r, ok := c.Ranking("telnet")
	if !ok {
		t.Fatal("no telnet ranking")
	}
	def := pairs(c.For("", "", "telnet", DepthDefault))
	miraiOnly := 0
	for _, p := range r.Pairs {
		if p.Tier == DepthCommon {
			miraiOnly++
			if slices.Contains(def, p.Username+"/"+p.Password) {
				t.Errorf("Mirai-only pair %s at default depth: %q", p.Name, def)
			}
		}
	}
	if miraiOnly == 0 {
		t.Error("the telnet ranking has no Mirai-only pair: the test proves nothing")
	}
	for _, cr := range c.For("", "", "telnet", DepthDefault) {
		if cr.Tier != DepthDefault {
			t.Errorf("%s (tier %s) at default depth", cr.Name, cr.Tier)
		}
	}
}

func TestForEdges(t *testing.T) {
	c := load(t)
	if got := c.For("Hikvision", "", "snmp", DepthExtended); len(got) != 0 {
		t.Errorf("For(snmp) = %d entries, want none (communities are separate)", len(got))
	}
	if got := c.For("Hikvision", "", "http", Depth(9)); got != nil {
		t.Errorf("For(invalid depth) = %v", got)
	}
	var nilCat *Catalog
	if got := nilCat.For("Dahua", "", "http", DepthDefault); got != nil {
		t.Errorf("nil catalogue For = %v", got)
	}
	// Deeper never loses what a shallower depth returned.
	for _, p := range LoginProtocols() {
		d, e := pairs(c.For("Dahua", "", p, DepthDefault)), pairs(c.For("Dahua", "", p, DepthExtended))
		for _, x := range d {
			if !slices.Contains(e, x) {
				t.Errorf("%s: %q at default depth but not at extended", p, x)
			}
		}
	}
}

func TestLockout(t *testing.T) {
	c := load(t)
	tests := []struct {
		vendor    string
		threshold int
		window    time.Duration
		known     bool
	}{
		{"Hikvision", 5, 30 * time.Minute, true},
		{"Dahua", 5, 30 * time.Minute, true},
		{"Amcrest", 5, 30 * time.Minute, true}, // Dahua platform
		{"Axis", 3, 30 * time.Minute, false},   // none documented: conservative
		{"NoSuchVendor", 3, 30 * time.Minute, false},
	}
	for _, tc := range tests {
		t.Run(tc.vendor, func(t *testing.T) {
			p := c.Lockout(tc.vendor)
			if p.Threshold != tc.threshold || p.Window != tc.window || p.Known != tc.known || p.Source == "" {
				t.Errorf("Lockout = %+v, want threshold %d window %v known %v", p, tc.threshold, tc.window, tc.known)
			}
			if unlisted := tc.vendor == "NoSuchVendor"; p.Unlisted != unlisted {
				t.Errorf("Lockout(%s).Unlisted = %v, want %v", tc.vendor, p.Unlisted, unlisted)
			}
		})
	}
	for v, scope := range map[string]string{"Hikvision": ScopeClient, "Dahua": ScopeAccount, "Amcrest": ScopeAccount, "HiWatch": ScopeClient} {
		if got := c.Lockout(v).Scope; got != scope {
			t.Errorf("Lockout(%s).Scope = %q, want %q", v, got, scope)
		}
	}
	if p := c.Lockout("Hikvision"); p.MinThreshold != 3 {
		t.Errorf("Hikvision MinThreshold = %d, want 3 (maxIllegalLoginTimes min)", p.MinThreshold)
	}
	for _, v := range []string{"Hikvision", "Dahua"} {
		if s, ok := c.Setup(v); !ok || !s.Forced || s.Term == "" {
			t.Errorf("Setup(%s) = %+v, %v; want forced with a term", v, s, ok)
		}
	}
}

func TestSNMPCommunities(t *testing.T) {
	c := load(t)
	def := c.SNMPCommunities(DepthDefault)
	if len(def) != 2 || def[0].Community != "public" || def[1].Community != "private" {
		t.Errorf("default communities = %v, want public, private", def)
	}
	if n, m := len(c.SNMPCommunities(DepthCommon)), len(c.SNMPCommunities(DepthExtended)); n <= 2 || m <= n {
		t.Errorf("communities per depth %d, %d: want growing lists", n, m)
	}
}

func TestFindPassword(t *testing.T) {
	c := load(t)
	tests := []struct {
		pw      string
		ok      bool
		tier    Depth
		isDeflt bool
	}{
		{"12345", true, DepthDefault, true},
		{"XMHDIPC", true, DepthDefault, true}, // case-insensitive
		{"xc3511", true, DepthCommon, false},
		{"Admin123", true, DepthCommon, false},
		{"!manage", true, DepthExtended, false}, // routersploit passwords.txt only
		{"correct horse battery staple 9!", false, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.pw, func(t *testing.T) {
			m, ok := c.FindPassword(tc.pw)
			if ok != tc.ok || (ok && (m.Tier != tc.tier || m.Default != tc.isDeflt || m.Name == "")) {
				t.Errorf("FindPassword = %+v, %v; want ok %v tier %v default %v", m, ok, tc.ok, tc.tier, tc.isDeflt)
			}
		})
	}
}

func TestDepth(t *testing.T) {
	for _, s := range []string{"default", "common", "extended"} {
		d, err := ParseDepth(s)
		if err != nil || d.String() != s {
			t.Errorf("ParseDepth(%q) = %v, %v", s, d, err)
		}
	}
	if _, err := ParseDepth("all"); err == nil || !strings.Contains(err.Error(), "default, common or extended") {
		t.Errorf("ParseDepth(all) error = %v", err)
	}
}

func TestSecretNotFormatted(t *testing.T) {
	c := load(t)
	cr := c.For("Dahua", "", "telnet", DepthDefault)[0]
	js, err := json.Marshal(cr)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{cr.String(), cr.GoString(), string(js)} {
		if strings.Contains(s, cr.Password) {
			t.Errorf("formatted credential %q contains the secret", s)
		}
	}
}

func TestLoadInvalid(t *testing.T) {
	tests := []struct{ file, want string }{
		{"invalid-schema.json", `schema "camwarden.creds/0"`},
		{"invalid-no-source.json", "credential 0 (Acme default admin): no source"},
		{"invalid-name-reveals.json", "name contains the password"},
		{"invalid-duplicate.json", "duplicate of 0"},
		{"invalid-unknown-vendor.json", `vendor "Acme" has no vendor facts`},
		{"invalid-tier.json", `unknown depth "deep"`},
		{"invalid-account-list.json", `account list 1 (stream users): protocol "onvif" in two lists`},
		{"invalid-account-source.json", `account list 0 (ONVIF users): source "the forum said so"`},
		{"invalid-lock-scope.json", "lockout scope session: want client, account or nothing"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Load(bytes.NewReader(b))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load error = %v, want %q", err, tc.want)
			}
		})
	}
}
