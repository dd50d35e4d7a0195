package fingerprint

import (
	"math"
	"testing"

	p "github.com/camwarden/camwarden/internal/probe"
)

var fuzzFields = []string{
	p.FieldHTTPServer, p.FieldHTTPTitle, p.FieldHTTPWWWAuth, p.FieldHTTPRealm, p.FieldHTTPCookies,
	p.FieldHTTPFaviconMD5, p.FieldHTTPBodyHints, p.FieldHTTPAPI, p.FieldTLSSubject, p.FieldRTSPServer,
	p.FieldRTSPRealm, p.FieldRTSPSDP, p.FieldSNMPSysDescr, p.FieldSNMPSysObjectID, p.FieldTelnetBanner,
	p.FieldFTPBanner, p.FieldSSHBanner, p.FieldUPnPServer, p.FieldUPnPST, p.FieldUPnPManufacturer,
	p.FieldUPnPModelName, p.FieldUPnPModelDesc, p.FieldUPnPSerial, p.FieldUPnPDeviceType,
	p.FieldONVIFManufacturer, p.FieldONVIFModel, p.FieldONVIFFirmware, p.FieldONVIFSerial, p.FieldSDKVendor,
	// 29..
	p.FieldRTSPWWWAuth, p.FieldRTSPRoute, p.FieldUPnPUSN, p.FieldUPnPFirmware, p.FieldWSDName, p.FieldWSDEndpoint,
	p.FieldTLSIssuer, p.FieldUPnPFriendlyName,
	// 36..
	p.FieldRTSPContentBase, p.FieldRTSPPath, p.FieldSNMPPrivate, p.FieldONVIFRealm, p.FieldONVIFWWWAuth, p.FieldWSDScopes,
	// 42..
	p.FieldRTSPStreamSDP, p.FieldRTSPStreamBase, p.FieldRTSPStreamRoute, p.FieldRTSPStreamOpened,
}

var fuzzAttrs = []string{p.AttrVendor, p.AttrModel, p.AttrFirmware, p.AttrBuildDate, p.AttrSerial, p.AttrMAC, p.AttrHardware, p.AttrType, "bogus"}

// FuzzIdentify feeds random field values and claims through Identify:
// it must not panic and every confidence must stay within [0,1]. Seeds
// are real strings from the captures in shared/data.
func FuzzIdentify(f *testing.F) {
	seeds := []struct {
		fa, fb uint8
		a, b   string
		attr   uint8
		claim  string
		conf   float64
	}{
		{0, 9, "App-webs/", "HIK Media Server V3.1.3", 1, "DS-2CD2386G2-IU", 0.9},
		{9, 17, "Rtsp Server/3.0", "Linux/2.6.35, UPnP/1.0, Portable SDK for UPnP devices/1.6.18", 2, "2.800.0000016.0.R,build:2020-06-05", 0.8},
		{9, 0, "H264DVR 1.0", "uc-httpd 1.0.0", 7, "DVR", 1.5},
		{10, 22, "AXIS_ACCC8E012345", "ACCC8E270AD8", 5, "a6:63:9e:f8:01:09", -1},
		{11, 2, "v=0\r\ns=HIK Media Server V3.1.3\r\n", `Basic realm="hikvision"`, 3, "build 240826", math.NaN()},
		{14, 15, `\xff\xfb\x01\r\nBusyBox v1.19.4 built-in shell`, "220 AXIS P1346 Network Camera 5.50beta3 (2014) ready", 0, "ZHEJIANG DAHUA", 0.5},
		{13, 16, ".1.3.6.1.4.1.39165.1.1", "SSH-2.0-dropbear_2019.78", 8, "x", 0.3},
		// shape claims: realms, SDP names, endpoints, USNs of the captures
		{10, 3, "b4a38201a73f", "Login to 0ccf58c7410332c7caa363406561b351", 0, "Technology", 0.9},
		{11, 29, "v=0\ns=F4E2C67AE581_1\nu=www.ui.com\ne=info@ui.com\n", `Basic realm="TP-Link IP-Camera"` + "\n" + `Digest realm="x"`, 0, "IPCAM", 0.9},
		{11, 33, "v=0\ns=Session streamed by \"TP-LINK RTSP Server\"\na=tool:TP-LINK Streaming Media v2015.05.12\n", "FLIR CM-6204-11-I K816600858", 1, "IPC", 0.8},
		{31, 34, "uuid:www.dahuatech.com.device_3_0-1L047ACPAW00037", "uuid:B926EB6A-CB4B-54DB-3130-0023CDE05FA7", 5, "EC1A5958F00C", 0.6},
		{36, 11, "rtsp://URL:PORT/cam/realmonitor?channel=1&subtype=0&unicast=true&proto=Onvif/",
			"v=0\r\na=control:rtsp://192.168.5.106:554/Streaming/Channels/101/?transportmode=unicast&profile=Profile_1\r\n", 0, "", 0.5},
		{38, 39, "1.3.6.1.4.1.39165.1.1.0=DS-2CD2185FWD-I\n1.3.6.1.4.1.39165.1.3.0=V5.5.3 build 171025",
			"Login to 0ccf58c7410332c7caa363406561b351", 0, "", 0.5},
		{41, 37, "jovision\nNVT-HI3516CS\nHD IPC", "/", 0, "", 0.5},
		{3, 35, "Panasonic network device", "CN=www.hikvision.com,OU=DVRNVR,O=HIKVISION,L=HangZhou,ST=ZheJiang,C=CN", 2, "WeMo_NetCam_WW_2.00.10684.PVT", 0.6},
	}
	for _, s := range seeds {
		f.Add(s.fa, s.fb, s.a, s.b, s.attr, s.claim, s.conf)
	}
	m := newMatcher(f)
	f.Fuzz(func(t *testing.T, fa, fb uint8, a, b string, attr uint8, claim string, conf float64) {
		s1 := svc(80, "tcp", "http", fuzzFields[int(fa)%len(fuzzFields)], a, fuzzFields[int(fb)%len(fuzzFields)], b)
		s1.Claims = []p.Claim{{Attr: fuzzAttrs[int(attr)%len(fuzzAttrs)], Value: claim, Source: "fuzz", Confidence: conf}}
		s2 := svc(554, "tcp", "rtsp", p.FieldRTSPServer, b)
		d := m.Identify(testAddr, a, []p.Service{s1, s2})
		for attr, v := range d.Identity {
			if v.Value == "" || !(v.Confidence > 0 && v.Confidence <= 1) {
				t.Fatalf("%s: %+v", attr, v)
			}
			for _, c := range v.Conflicts {
				if !(c.Confidence > 0 && c.Confidence <= 1) {
					t.Fatalf("%s conflict %+v", attr, c)
				}
			}
		}
		if d.Kind() == "" {
			t.Fatalf("no type")
		}
	})
}

func BenchmarkIdentify(b *testing.B) {
	m := newMatcher(b)
	services := []p.Service{
		claims(svc(80, "tcp", "http", p.FieldHTTPServer, "App-webs/", p.FieldHTTPAPI, "isapi",
			p.FieldHTTPWWWAuth, `Digest realm="IP Camera(C6179)"`, p.FieldHTTPTitle, "index",
			p.FieldHTTPFaviconMD5, "89b932fcc47cf4ca3faadb0cfdef89cf"), "http ISAPI /System/deviceInfo", 0.9,
			p.AttrVendor, "hikvision", p.AttrModel, "DS-2CD2386G2-IU", p.AttrFirmware, "V5.7.18", p.AttrBuildDate, "build 240826"),
		svc(80, "tcp", "onvif", p.FieldONVIFManufacturer, "HIKVISION", p.FieldONVIFModel, "DS-2CD2386G2-IU", p.FieldONVIFFirmware, "V5.7.18 build 240826"),
		svc(554, "tcp", "rtsp", p.FieldRTSPServer, "HIK Media Server V3.1.3", p.FieldRTSPRealm, "IP Camera(C6179)"),
		svc(8000, "tcp", "hikvision-sdk", p.FieldSDKVendor, "hikvision"),
		svc(22, "tcp", "ssh", p.FieldSSHBanner, "SSH-2.0-dropbear_2019.78"),
		svc(161, "udp", "snmp", p.FieldSNMPSysDescr, "Hikvision IP camera", p.FieldSNMPSysObjectID, ".1.3.6.1.4.1.39165.1.1"),
	}
	b.ReportAllocs()
	for b.Loop() {
		d := m.Identify(testAddr, "", services)
		if d.Vendor() != "Hikvision" {
			b.Fatalf("vendor %q", d.Vendor())
		}
	}
}
