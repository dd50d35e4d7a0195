package captures

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzCaptureText runs the readers of capture text (RTSP/HTTP message
// splitting, XML repair, parsed key/values, SSDP, nmap, telnet) on
// hostile input, seeded with real captures: none may panic.
func FuzzCaptureText(f *testing.F) {
	for _, name := range []string{
		"field-captures/tp-link-tapo/tapo-c200_rtsp-401-realm-and-describe-200_TRUNCATED.txt",
		"field-captures/panasonic-ipro/panasonic_rtsp-MediaInput-h264_fragments_TRUNCATED.txt",
		"field-captures/generic-oem-ali/ali-feng-rtsp-server_nmap-fingerprint.txt",
		"field-captures/routers-upnp/tplink-TL-WR740N-v4_igd-rootdesc_HEAD.xml",
		"field-captures/dahua/dahua-device_ssdp-msearch-response_ha-json.txt",
		"field-captures/netgear/netgear-r7960p_fw1.4.1.44_telnet-login-banner.txt",
		"field-captures/hikvision/hikvision-DS-2DF7286-A_onvif-GetDeviceInformation_python-onvif-dict.txt",
	} {
		b, err := os.ReadFile(filepath.Join(dataDir, name))
		if err != nil {
			f.Fatalf("seed: %v", err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, m := range splitMessages(b) {
			_ = m.encode("1", "Connection: close")
		}
		_ = closeXML(b)
		_ = parsedValues(b)
		_, _ = ssdpAnswers(b, "http://127.0.0.1:1/d.xml")
		_, _ = nmapMessages(b)
		_, _ = realmMessages(b)
		_ = telnetText(b)
		_ = scopesOf(string(b))
		if msgs := splitMessages(b); len(msgs) > 0 {
			_, _ = newRTSPFake(msgs, len(b)%2 == 0)
		}
	})
}
