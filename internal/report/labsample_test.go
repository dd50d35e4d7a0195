package report

import (
	"net/netip"
	"time"

	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
)

// labScan is a scan of six lab devices (identities from the lab
// manifest, internal/lab/testdata/manifest.golden.json) with findings of
// every kind a scorecard grades: fail, could-not-check, pass, the
// authentication check's coverage records (vendor defaults refused,
// generic pairs only, untried), a snapshot,
// a trace and vendor steps. Finding texts follow the check packages'
// wording; the RTSP trace is built from RFC 2326's message format.
func labScan() *Scan {
	start := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	id := func(vendor, model, firmware, kind string) map[string]device.Attribute {
		m := map[string]device.Attribute{
			probe.AttrVendor: {Value: vendor, Source: "onvif GetDeviceInformation", Confidence: 1},
			probe.AttrModel:  {Value: model, Source: "onvif GetDeviceInformation", Confidence: 0.95},
			probe.AttrType:   {Value: kind, Source: "model naming", Confidence: 0.8},
		}
		if firmware != "" {
			m[probe.AttrFirmware] = device.Attribute{Value: firmware, Source: "onvif GetDeviceInformation", Confidence: 0.9}
		}
		return m
	}
	svc := func(port uint16, proto string) probe.Service {
		return probe.Service{Port: port, Transport: "tcp", Protocol: proto, Status: probe.StatusIdentified}
	}
	hik, hik2 := netip.MustParseAddr("127.77.0.2"), netip.MustParseAddr("127.77.0.3")
	unknown := netip.MustParseAddr("127.77.0.30")
	dahua, axis, mikrotik := netip.MustParseAddr("127.77.0.5"), netip.MustParseAddr("127.77.0.8"), netip.MustParseAddr("127.77.0.22")
	rtsp := svc(554, "rtsp")
	rtsp.Trace = []probe.TraceEntry{
		{Dir: "send", Data: "DESCRIBE rtsp://127.77.0.2:554/Streaming/Channels/101 RTSP/1.0\r\nCSeq: 2\r\nAccept: application/sdp"},
		{Dir: "recv", Data: "RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\nContent-Length: 325"},
	}
	devs := []device.Device{
		{Address: hik, Identity: id("Hikvision", "DS-2CD2532F-IWS", "V5.2.0", "camera"),
			Services: []probe.Service{svc(80, "http"), svc(80, "onvif"), rtsp, svc(8000, "hikvision-sdk")}},
		{Address: hik2, Identity: id("Hikvision", "DS-2CD2042WD-I", "", "camera"),
			Services: []probe.Service{svc(80, "http"), svc(80, "onvif"), svc(554, "rtsp"), svc(8000, "hikvision-sdk")}},
		{Address: dahua, Identity: id("Dahua", "IPC-HFW3441T", "2.800.0000016.0.R", "camera"),
			Services: []probe.Service{svc(23, "telnet"), svc(80, "http"), svc(554, "rtsp"), svc(37777, "dahua-sdk")}},
		{Address: axis, Identity: id("Axis", "M1065-LW", "9.80.1", "camera"),
			Services: []probe.Service{svc(80, "http"), svc(80, "onvif"), svc(554, "rtsp")}},
		{Address: mikrotik, Hostname: "gw.lan", Identity: id("MikroTik", "RBD52G-5HacD2HnD", "6.48.6", "router"),
			Services: []probe.Service{svc(22, "ssh"), {Port: 161, Transport: "udp", Protocol: "snmp", Status: probe.StatusIdentified}},
			Status:   "1 service timed out"},
		{Address: unknown, Identity: map[string]device.Attribute{probe.AttrType: {Value: "camera", Source: "rtsp route", Confidence: 0.6}},
			Services: []probe.Service{svc(80, "http"), svc(554, "rtsp")}},
	}
	// cov is the AUTH-COVERAGE record the authentication check leaves on
	// every device it ran on (internal/finding/coverage.go).
	cov := func(addr netip.Addr, ev map[string]string) finding.Finding {
		return finding.Finding{ID: finding.IDAuthCoverage, Checkpoint: finding.CheckAuth, Severity: finding.SevInfo, Address: addr,
			Title:    finding.Text{EN: "What the password check tried", JA: "パスワード確認で試したこと"},
			Evidence: ev}
	}
	defaultPW := finding.Text{
		EN: "Log in to the web page and change the password now.\nUse at least 10 characters, not the factory default, and a different password on every device.",
		JA: "Web画面にログインし、すぐにパスワードを変更してください。\n初期設定のままにせず、10文字以上で機器ごとに異なるパスワードにしてください。",
	}
	fs := []finding.Finding{
		{ID: "AUTH-DEFAULT-HTTP", Checkpoint: finding.CheckAuth, Severity: finding.SevCritical, Address: hik, Port: 80, Protocol: "http",
			Title:       finding.Text{EN: "The web page opens with the factory default password", JA: "Web画面に初期パスワードでログインできます"},
			Remediation: defaultPW, Evidence: map[string]string{"credential": "Hikvision factory default admin"}},
		{ID: "AUTH-NONE-RTSP", Checkpoint: finding.CheckAuth, Severity: finding.SevCritical, Address: hik, Port: 554, Protocol: "rtsp",
			Title: finding.Text{EN: "Live video can be watched without a password", JA: "パスワードなしで映像を見ることができます"},
			Remediation: finding.Text{
				EN: "Open Configuration > Network > Advanced Settings > Integration Protocol and turn on authentication for RTSP.\nSet a password of at least 10 characters that is unique to this camera.",
				JA: "設定 > ネットワーク > 詳細設定 > 統合プロトコル を開き、RTSP の認証を有効にしてください。\nこのカメラ専用の10文字以上のパスワードを設定してください。"},
			Evidence: map[string]string{"route": "/Streaming/Channels/101", "snapshot": "hikvision-ds2cd2532f-snapshot.jpg"}},
		{ID: "FW-VULNERABLE", Checkpoint: finding.CheckFirmware, Severity: finding.SevCritical, Address: hik,
			Title: finding.Text{EN: "Known vulnerability CVE-2017-7921: Improper authentication", JA: "既知の脆弱性 CVE-2017-7921（Improper authentication）"},
			Remediation: finding.Text{EN: "Update to the vendor's latest firmware (see the advisory) and keep it up to date; do not expose the device to the internet.",
				JA: "メーカーのアドバイザリを確認し、最新のファームウェアに更新してください。また、機器をインターネットに直接公開しないでください。"},
			Evidence: map[string]string{"cve": "CVE-2017-7921", "installed": "V5.2.0"}},
		{ID: "EXPOSE-SDK", Checkpoint: finding.CheckExposure, Severity: finding.SevLow, Address: hik, Port: 8000, Protocol: "hikvision-sdk",
			Title:       finding.Text{EN: "The vendor SDK port is open", JA: "メーカー独自の SDK ポートが開いています"},
			Remediation: finding.Text{EN: "If no recorder or app uses it, close port 8000.", JA: "レコーダーやアプリで使っていなければ、ポート 8000 を閉じてください。"}},
		{ID: "FW-UNKNOWN", Checkpoint: finding.CheckFirmware, Severity: finding.SevLow, Address: hik2,
			Title:       finding.Text{EN: "Firmware version could not be read", JA: "ファームウェアのバージョンを確認できません"},
			Remediation: finding.Text{EN: "Read the version on the device's web page, then compare it with the latest version on the vendor's support site.", JA: "機器の Web 画面でバージョンを確認し、メーカーのサポートサイトの最新版と比べてください。"}},
		{ID: "AUTH-DEFAULT-TELNET", Checkpoint: finding.CheckAuth, Severity: finding.SevCritical, Address: dahua, Port: 23, Protocol: "telnet",
			Title: finding.Text{EN: "Telnet opens with the factory default password", JA: "Telnet に初期パスワードでログインできます"}, Remediation: defaultPW,
			Evidence: map[string]string{"credential": "Dahua factory default admin"}},
		{ID: "EXPOSE-TELNET", Checkpoint: finding.CheckExposure, Severity: finding.SevMedium, Address: dahua, Port: 23, Protocol: "telnet",
			Title:       finding.Text{EN: "Telnet is switched on", JA: "Telnet が有効になっています"},
			Remediation: finding.Text{EN: "Switch off Telnet in Setting > Network > Port (or System > Safety).", JA: "設定 > ネットワーク > ポート（またはシステム > セキュリティ）で Telnet を無効にしてください。"}},
		{ID: "AUTH-UNVERIFIABLE", Checkpoint: finding.CheckAuth, Severity: finding.SevInfo, Address: mikrotik, Port: 22, Protocol: "ssh",
			Title:       finding.Text{EN: "Authentication could not be verified", JA: "認証の状態を確認できませんでした"},
			Remediation: finding.Text{EN: "Check by hand that a password of at least 10 characters is set.", JA: "10文字以上のパスワードが設定されているか手動で確認してください。"}},
		{ID: "EXPOSE-SNMP", Checkpoint: finding.CheckExposure, Severity: finding.SevMedium, Address: mikrotik, Port: 161, Protocol: "snmp",
			Title:       finding.Text{EN: "SNMP answers the community \"public\"", JA: "SNMP がコミュニティ名 \"public\" に応答します"},
			Remediation: finding.Text{EN: "Switch off SNMP if unused, or change the community (IP > SNMP).", JA: "使っていなければ SNMP を無効にし、使う場合はコミュニティ名を変更してください（IP > SNMP）。"}},
	}
	fs = append(fs,
		cov(hik, map[string]string{finding.CoverageVendor: "Hikvision", finding.CoverageSurfaces: "http/80,onvif/80,rtsp/554",
			finding.CoverageAccepted: "http/80", finding.CoverageOpen: "rtsp/554", finding.CoverageVendorRefused: "onvif/80", finding.CoverageComplete: "true"}),
		cov(hik2, map[string]string{finding.CoverageVendor: "Hikvision", finding.CoverageSurfaces: "http/80,onvif/80,rtsp/554",
			finding.CoverageVendorRefused: "http/80,onvif/80,rtsp/554", finding.CoverageComplete: "true"}),
		cov(dahua, map[string]string{finding.CoverageVendor: "Dahua", finding.CoverageSurfaces: "http/80,rtsp/554,telnet/23",
			finding.CoverageAccepted: "telnet/23", finding.CoverageVendorRefused: "http/80,rtsp/554", finding.CoverageComplete: "true"}),
		cov(axis, map[string]string{finding.CoverageVendor: "Axis", finding.CoverageSurfaces: "http/80,onvif/80,rtsp/554",
			finding.CoverageVendorRefused: "http/80,onvif/80,rtsp/554", finding.CoverageComplete: "true"}),
		cov(mikrotik, map[string]string{finding.CoverageVendor: "MikroTik", finding.CoverageSurfaces: "ssh/22",
			finding.CoverageUntried: "ssh/22", finding.CoverageReason: "answers could not be verified", finding.CoverageComplete: "true"}),
		cov(unknown, map[string]string{finding.CoverageSurfaces: "http/80,rtsp/554",
			finding.CoverageGenericRefused: "http/80,rtsp/554", finding.CoverageComplete: "true"}),
		finding.Finding{ID: "FW-UNCHECKED", Checkpoint: finding.CheckFirmware, Severity: finding.SevInfo, Address: mikrotik,
			Title: finding.Text{EN: "Firmware not checked: MikroTik RBD52G-5HacD2HnD is not in the firmware catalogue",
				JA: "ファームウェア未確認：MikroTik RBD52G-5HacD2HnD はファームウェアカタログにありません"},
			Remediation: finding.Text{EN: "Compare the installed version with the latest on the vendor's support site.",
				JA: "導入済みのバージョンをメーカーのサポートサイトの最新版と比べてください。"},
			Evidence: map[string]string{"vendor": "MikroTik", "model": "RBD52G-5HacD2HnD", "reason": "model not in the catalogue"}},
	)
	s := &Scan{
		Schema: SchemaV1, Tool: Tool{Name: "camwarden", Version: "test", CatalogDate: "2026-11-20"},
		Scope: "127.77.0.0/24", Started: start, Finished: start.Add(2340 * time.Millisecond),
		Stats:   Stats{Addresses: 256, Attempts: 5632, OpenPorts: 18},
		Checked: []finding.Checkpoint{finding.CheckAuth, finding.CheckFirmware, finding.CheckExposure},
	}
	for _, d := range devs {
		s.Devices = append(s.Devices, FromDevice(d))
	}
	s.Findings = fs
	s.Normalize()
	return s
}
