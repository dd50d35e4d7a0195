package identity

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/probe"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.golden from the parsers' output")

// sharedDir is ../shared/data seen from this package (the worktree's
// sibling, as in CI).
const sharedDir = "../../../../shared/data"

// fixture is one real or documented reply and the parser it is for.
type fixture struct {
	name   string // testdata/<name>, or shared:<path below shared/data>
	parse  func([]byte) ([]probe.Claim, error)
	errors bool // the reply is a refusal or an error: no claim
}

var fixtures = []fixture{
	{"axis-m1065lw-basicdeviceinfo-getallproperties.json", ParseAxisBasicDeviceInfo, false},
	{"axis-m1065lw-param-brand.txt", ParseAxisParam, false},
	{"axis-m3024l-param-brand.txt", ParseAxisParam, false},
	{"axis-m7001-param-properties.txt", ParseAxisParam, false},
	{"axis-any-param-properties.txt", ParseAxisParam, false},
	{"gsoap-camera-getdeviceinformation.xml", ParseONVIFDeviceInformation, false},
	{"amcrest-ip4m1041b-getsysteminfo.txt", ParseDahuaCGI, false},
	{"foscam-fi9821p-getdevinfo.xml", ParseFoscamDevInfo, false},
	{"foscam-fi9821p-getdevinfo-denied.xml", ParseFoscamDevInfo, true},
	{"uniview-ipc322lb-lapi-deviceinfo.json", ParseUniviewLAPI, false},
	{"uniview-ipc322lb-lapi-not-authorized.json", ParseUniviewLAPI, true},
	{"hanwha-xnv6080r-sunapi-deviceinfo.txt", ParseSUNAPI, false},
	{"hanwha-xnv6080r-sunapi-deviceinfo.json", ParseSUNAPI, false},
	{"vivotek-ip8131w-getparam-systeminfo.txt", ParseVivotek, false},
	{"dahua-ipc-rpc2-getdevicetype.json", ParseDahuaRPC2, false},
	{"dahua-ipc-rpc2-getsoftwareversion.json", ParseDahuaRPC2, false},
	{"dahua-ipc-rpc2-invalid-session.json", ParseDahuaRPC2, true},
	{"shared:hikvision_next/ISAPI/System.deviceInfo/ipc1.xml", ParseISAPI, false},
	{"shared:reolinkapipy/GetDevInfo.json", ParseReolinkDevInfo, false},
	{"shared:field-captures/dahua/dahua-nvr_NVR2X-4KS3_magicBox-getSystemInfo.txt", ParseDahuaCGI, false},
	{"shared:field-captures/dahua/dahua-nvr_NVR2X-4KS3_magicBox-getSoftwareVersion.txt", ParseDahuaCGI, false},
	{"shared:field-captures/generic-oem-grainmedia/gm8135-ipcam_onvif-GetDeviceInformation_EXTRACT.xml", ParseONVIFDeviceInformation, false},
	{"shared:dahua-cgi-samples/rroller-dahua_lorex-nvr_getSystemInfo.txt", ParseDahuaCGI, false},
	{"shared:dahua-cgi-samples/rroller-dahua_getSoftwareVersion.txt", ParseDahuaCGI, false},
	{"shared:field-captures/avtech/avtech-dvr_Machine.cgi-get_capability.txt", ParseAVTECHCapability, false},
	{"shared:field-captures/hikvision/hikvision-DS-2DF7286-A_http-401-body_onvif-port.html", ParseAVTECHCapability, true},
}

// read returns a fixture's bytes; a missing file fails the test (CI has
// ../shared/data next to the checkout).
func read(t testing.TB, name string) []byte {
	t.Helper()
	path := filepath.Join("testdata", name)
	if rel, ok := strings.CutPrefix(name, "shared:"); ok {
		path = filepath.Join(sharedDir, rel)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	return b
}

// golden renders claims one per line: attr, value, confidence, source.
func golden(cl []probe.Claim) string {
	var b strings.Builder
	for _, c := range cl {
		fmt.Fprintf(&b, "%s\t%s\t%.2f\t%s\n", c.Attr, c.Value, c.Confidence, c.Source)
	}
	return b.String()
}

func goldenPath(name string) string {
	base := filepath.Base(strings.TrimPrefix(name, "shared:"))
	return filepath.Join("testdata", "golden", base+".golden")
}

// TestParsers runs every parser on its real (or documented) replies and
// compares the claims with testdata/golden; refusals give no claim.
func TestParsers(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			cl, err := fx.parse(read(t, fx.name))
			if fx.errors {
				if err == nil || len(cl) > 0 {
					t.Fatalf("refusal parsed as identity: %v %v", cl, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			got := golden(cl)
			if *update {
				if err := os.MkdirAll(filepath.Dir(goldenPath(fx.name)), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(goldenPath(fx.name), []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(goldenPath(fx.name))
			if err != nil {
				t.Fatalf("golden: %v (run with -update)", err)
			}
			if got != string(want) {
				t.Errorf("claims differ from %s:\ngot:\n%s\nwant:\n%s", goldenPath(fx.name), got, want)
			}
		})
	}
}

// TestParsersLenient: real-world damage does not lose what can be read,
// and hostile shapes never give a claim.
func TestParsersLenient(t *testing.T) {
	isapi := read(t, "shared:hikvision_next/ISAPI/System.deviceInfo/ipc1.xml")
	tests := []struct {
		name      string
		parse     func([]byte) ([]probe.Claim, error)
		in        string
		wantModel string
		wantFW    string
	}{
		{"isapi cut mid-document", ParseISAPI, string(isapi[:len(isapi)*2/3]), "DS-2CD2386G2-IU", "V5.7.18"},
		{"isapi doctype bomb", ParseISAPI, `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><DeviceInfo><model>&a;</model></DeviceInfo>`, "", ""},
		{"isapi other root", ParseISAPI, `<userCheck><statusValue>401</statusValue></userCheck>`, "", ""},
		{"isapi gb2312 declared", ParseISAPI, `<?xml version="1.0" encoding="GB2312"?><DeviceInfo><model>DS-7608NI-K2</model><firmwareVersion>V4.30.085</firmwareVersion></DeviceInfo>`, "DS-7608NI-K2", "V4.30.085"},
		{"onvif fault", ParseONVIFDeviceInformation, `<Envelope><Body><Fault><Code><Value>Sender</Value></Code></Fault></Body></Envelope>`, "", ""},
		{"dahua crlf and spaces", ParseDahuaCGI, "deviceType = IPC-HFW3441T \r\nserialNumber=4G0219PAZ00004\r\n", "IPC-HFW3441T", ""},
		{"dahua html error page", ParseDahuaCGI, "<html><body>Error 404</body></html>", "", ""},
		{"axis param error", ParseAxisParam, "# Error: Error -1 getting param in group 'root.Brand'\r\n", "", ""},
		{"vivotek double quotes", ParseVivotek, "system_info_modelname=\"FD8169A\"\nsystem_info_firmwareversion=\"FD8169A-VVTK-0102a\"\n", "FD8169A", "FD8169A-VVTK-0102a"},
		{"lapi model key", ParseUniviewLAPI, `{"Response":{"ResponseCode":0,"Data":{"Model":"NVR301-04S","FirmwareVersion":"NVR-B3101.16.0.200429"}}}`, "NVR301-04S", "NVR-B3101.16.0.200429"},
		{"reolink please login", ParseReolinkDevInfo, `[{"cmd":"GetDevInfo","code":1,"error":{"detail":"please login first","rspCode":-6}}]`, "", ""},
		{"rpc2 numbers", ParseDahuaRPC2, `{"result":true,"params":{"type":12345,"sn":"ND0219110N00005"}}`, "12345", ""},
		{"placeholder values", ParseSUNAPI, "Model=unknown\nFirmwareVersion=N/A\n", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cl, _ := tc.parse([]byte(tc.in))
			if got := value(cl, probe.AttrModel); got != tc.wantModel {
				t.Errorf("model %q, want %q (claims %v)", got, tc.wantModel, cl)
			}
			if got := value(cl, probe.AttrFirmware); got != tc.wantFW {
				t.Errorf("firmware %q, want %q (claims %v)", got, tc.wantFW, cl)
			}
		})
	}
}

func value(cl []probe.Claim, attr string) string {
	for _, c := range cl {
		if c.Attr == attr {
			return c.Value
		}
	}
	return ""
}

func TestReolinkLoginRequired(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{`[{"cmd":"GetDevInfo","code":1,"error":{"detail":"please login first","rspCode":-6}}]`, true},
		{`[{"cmd":"GetDevInfo","code":0,"value":{"DevInfo":{"model":"RLC-410"}}}]`, false},
		{`[{"cmd":"","error":{"rspCode":-6}}]`, false},
		{`<html>401</html>`, false},
	}
	for _, tt := range tests {
		if got := ReolinkLoginRequired([]byte(tt.in)); got != tt.want {
			t.Errorf("ReolinkLoginRequired(%s) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
