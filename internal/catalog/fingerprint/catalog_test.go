package fingerprint

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/probe"
)

// knownFields are the probe.Field* keys a rule may read.
var knownFields = map[string]bool{
	probe.FieldHTTPServer: true, probe.FieldHTTPTitle: true, probe.FieldHTTPWWWAuth: true,
	probe.FieldHTTPRealm: true, probe.FieldHTTPCookies: true, probe.FieldHTTPFaviconMD5: true,
	probe.FieldHTTPFaviconMMH3: true, "http.body": true, probe.FieldHTTPAPI: true,
	probe.FieldRTSPWWWAuth: true, probe.FieldRTSPRoute: true, probe.FieldUPnPFirmware: true, probe.FieldUPnPUSN: true,
	probe.FieldWSDName: true, probe.FieldWSDHardware: true, probe.FieldUPnPModelNumber: true, probe.FieldUPnPFriendlyName: true,
	probe.FieldHTTPLocation: true, probe.FieldTLSSubject: true, probe.FieldTLSIssuer: true,
	probe.FieldRTSPServer: true, probe.FieldRTSPRealm: true, probe.FieldRTSPSDP: true,
	probe.FieldSNMPSysDescr: true, probe.FieldSNMPSysObjectID: true, probe.FieldSNMPPrivate: true,
	probe.FieldTelnetBanner: true, probe.FieldTelnetPrompt: true, probe.FieldSSHBanner: true,
	probe.FieldFTPBanner: true, probe.FieldUPnPServer: true, probe.FieldUPnPST: true,
	probe.FieldUPnPManufacturer: true, probe.FieldUPnPModelName: true, probe.FieldUPnPModelDesc: true,
	probe.FieldUPnPDeviceType: true, probe.FieldONVIFManufacturer: true, probe.FieldONVIFModel: true,
	probe.FieldSDKVendor: true,
}

var knownTypes = map[string]bool{TypeCamera: true, TypeNVR: true, TypeRouter: true, TypeOther: true}

func load(t *testing.T) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

func TestRulesValid(t *testing.T) {
	c := load(t)
	if len(c.Rules) < 200 {
		t.Fatalf("only %d rules loaded", len(c.Rules))
	}
	ids := map[string]bool{}
	for _, r := range c.Rules {
		t.Run(r.ID, func(t *testing.T) {
			if r.ID == "" || ids[r.ID] {
				t.Fatalf("empty or duplicate id %q", r.ID)
			}
			ids[r.ID] = true
			if !knownFields[r.Field] {
				t.Errorf("unknown field %q", r.Field)
			}
			v, ok := c.Vendor(r.Vendor)
			if !ok {
				t.Fatalf("vendor %q not in vendors.json", r.Vendor)
			}
			if v.IsStack() && r.Type == "" {
				t.Errorf("stack rule without a type hint")
			}
			if r.Type != "" && !knownTypes[r.Type] {
				t.Errorf("type %q", r.Type)
			}
			if strings.TrimSpace(r.Source) == "" {
				t.Errorf("no source citation")
			}
			if r.Confidence <= 0 || r.Confidence > 1 {
				t.Errorf("confidence %v outside (0,1]", r.Confidence)
			}
			re, err := regexp.Compile(r.Pattern)
			if err != nil {
				t.Fatalf("pattern: %v", err)
			}
			if r.ModelGroup > re.NumSubexp() || r.FirmwareGroup > re.NumSubexp() {
				t.Errorf("group numbers %d/%d exceed %d groups", r.ModelGroup, r.FirmwareGroup, re.NumSubexp())
			}
			if len(r.Examples) == 0 {
				t.Fatalf("no example")
			}
			for _, ex := range r.Examples {
				m := re.FindStringSubmatch(ex.Text)
				if m == nil {
					t.Errorf("example %q does not match %s", ex.Text, r.Pattern)
					continue
				}
				if ex.Model != "" && r.ModelGroup > 0 && strings.TrimSpace(m[r.ModelGroup]) != ex.Model {
					t.Errorf("example %q: model %q, want %q", ex.Text, m[r.ModelGroup], ex.Model)
				}
				if ex.Firmware != "" && r.FirmwareGroup > 0 && strings.TrimSpace(m[r.FirmwareGroup]) != ex.Firmware {
					t.Errorf("example %q: firmware %q, want %q", ex.Text, m[r.FirmwareGroup], ex.Firmware)
				}
			}
		})
	}
}

func TestModelsValid(t *testing.T) {
	c := load(t)
	for i, m := range c.Models {
		t.Run(m.Vendor+"/"+m.Pattern, func(t *testing.T) {
			if _, ok := c.Vendor(m.Vendor); !ok {
				t.Fatalf("entry %d: vendor %q unknown", i, m.Vendor)
			}
			if !knownTypes[m.Type] || m.Source == "" || len(m.Examples) == 0 {
				t.Fatalf("entry %d: type %q, source %q, %d examples", i, m.Type, m.Source, len(m.Examples))
			}
			re, err := regexp.Compile(m.Pattern)
			if err != nil {
				t.Fatalf("pattern: %v", err)
			}
			for _, ex := range m.Examples {
				if !re.MatchString(ex.Text) {
					t.Errorf("example %q does not match", ex.Text)
				}
			}
		})
	}
}

func TestOUIsValid(t *testing.T) {
	c := load(t)
	seen := map[string]bool{}
	hex := regexp.MustCompile(`^[0-9A-F]{6}$`)
	for _, o := range c.OUIs {
		if !hex.MatchString(o.Prefix) || seen[o.Prefix] {
			t.Errorf("bad or duplicate prefix %q", o.Prefix)
		}
		seen[o.Prefix] = true
		if _, ok := c.Vendor(o.Vendor); !ok {
			t.Errorf("prefix %s: vendor %q unknown", o.Prefix, o.Vendor)
		}
	}
	if !seen["ACCC8E"] {
		t.Errorf("Axis OUI ACCC8E (serial of the AXIS M1014 SSDP capture) missing")
	}
}

func TestCanonicalVendor(t *testing.T) {
	c := load(t)
	tests := []struct{ in, want string }{
		{"HIKVISION", "Hikvision"},
		{"hikvision", "Hikvision"}, // ISAPI deviceInfo <manufacturer> (hikvision_next ipc1.xml)
		{"Hangzhou Hikvision Digital Technology Co., Ltd.", "Hikvision"},
		{"ZHEJIANG DAHUA TECHNOLOGY CO.,LTD", "Dahua"},
		{"Dahua", "Dahua"},
		{"AXIS", "Axis"}, // UPnP <manufacturer> of the AXIS M1014
		{"Axis Communications AB", "Axis"},
		{"Samsung Techwin", "Hanwha Vision"},
		{"Wisenet", "Hanwha Vision"},
		{"i-PRO", "Panasonic i-PRO"},
		{"TP-LINK", "TP-Link"},
		{"tp link", "TP-Link"},
		{"Tapo", "TP-Link"},
		{"FRITZ!Box", "AVM"},
		{"Xiongmai Technology", "Xiongmai"},
		{"REOLINK", "Reolink"},
		{"Ubiquiti Networks, Inc.", "Ubiquiti"},
		{"Mockup Manufacturer", ""}, // agsh ONVIF mockup
		{"", ""},
		{"DH Technology", ""}, // short alias DH matches only on its own
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := c.CanonicalVendor(tt.in)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("CanonicalVendor(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
			}
		})
	}
	if got := c.Platform("Lorex"); got != "Dahua" {
		t.Errorf("Platform(Lorex) = %q", got)
	}
	if got := c.Platform("Axis"); got != "Axis" {
		t.Errorf("Platform(Axis) = %q", got)
	}
}

// sharedData is shared/data, the folder rule refs name (CI has it too).
var sharedData = filepath.Join("..", "..", "..", "..", "shared", "data")

// TestRefs checks that every rule and model convention has machine-
// readable sources, each an existing path under shared/data or an
// "ext:" fact, so that Without can leave a source out.
func TestRefs(t *testing.T) {
	c := load(t)
	if _, err := os.Stat(filepath.Join(sharedData, "SOURCES.md")); err != nil {
		t.Fatalf("shared data not found at %s: %v", sharedData, err)
	}
	check := func(what string, refs []string) {
		if len(refs) == 0 {
			t.Errorf("%s: no refs", what)
		}
		for _, r := range refs {
			if strings.HasPrefix(r, "ext:") {
				continue
			}
			if _, err := os.Stat(filepath.Join(sharedData, filepath.FromSlash(r))); err != nil {
				t.Errorf("%s: ref %q: %v", what, r, err)
			}
		}
	}
	for _, r := range c.Rules {
		check("rule "+r.ID, r.Refs)
	}
	for _, m := range c.Models {
		check("model "+m.Vendor+" "+m.Pattern, m.Refs)
	}
	without := c.Without("retina")
	for _, r := range without.Rules {
		if CitesSource(r.Refs, "retina") {
			t.Errorf("Without(retina) kept %s", r.ID)
		}
	}
	if len(without.Rules) >= len(c.Rules) {
		t.Errorf("Without(retina) dropped nothing")
	}
}

// TestRecogRulesCurrent re-runs recogconv on shared/data/recog and
// compares with the committed rules-recog.json, so the generated rules
// never drift from their generator and its input.
func TestRecogRulesCurrent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rules-recog.json")
	cmd := exec.CommandContext(t.Context(), "go", "run", "./internal/recogconv",
		"-recog", filepath.Join(sharedData, "recog"), "-vendors", "data/vendors.json", "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("recogconv: %v\n%s", err, b)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("data", "rules-recog.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("data/rules-recog.json is stale: run go run ./internal/recogconv -out ../../data/rules-recog.json in internal/catalog/fingerprint/internal/recogconv")
	}
}

// TestOUIsCurrent re-runs ouigen on the nmap-mac-prefixes extract and
// compares with the committed oui.json.
func TestOUIsCurrent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "oui.json")
	cmd := exec.CommandContext(t.Context(), "go", "run", "./internal/ouigen",
		"-nmap", filepath.Join(sharedData, "nmap", "nmap-mac-prefixes.camera-iot-extract"), "-vendors", "data/vendors.json", "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ouigen: %v\n%s", err, b)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("data", "oui.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("data/oui.json is stale: run go run . in internal/catalog/fingerprint/internal/ouigen")
	}
}
