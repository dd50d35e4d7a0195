package report

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/probe"
)

// TestGrade is the table of every verdict the scorecard can give: ✓ only
// on positive evidence, ✗ on a weakness, ? for everything unfinished,
// interrupted, generic or unknown (issue 9 item 5, issue 10 items 1-2).
func TestGrade(t *testing.T) {
	addr := netip.MustParseAddr("127.77.0.9")
	svc := func(port uint16, proto string) probe.Service {
		return probe.Service{Port: port, Transport: "tcp", Protocol: proto, Status: probe.StatusIdentified}
	}
	cam := Device{Address: addr, Type: "camera", Vendor: "Hikvision", Model: "DS-2CD2042WD-I", Firmware: "V5.5.0",
		Services: []probe.Service{svc(80, "http"), svc(554, "rtsp")}}
	noVendor := cam
	noVendor.Vendor, noVendor.Model = "", ""
	noModel := cam
	noModel.Model = ""
	noFirmware := cam
	noFirmware.Firmware = ""
	noPorts := cam
	noPorts.Services = nil
	stalled := cam
	stalled.Services = []probe.Service{svc(80, "http"), {Port: 9000, Transport: "tcp", Protocol: "unknown", Status: probe.StatusTimeout}}
	unnamed := cam
	unnamed.Services = []probe.Service{svc(80, "http"), {Port: 7000, Transport: "tcp", Protocol: "unknown", Status: probe.StatusOpen}}

	f := func(id string, cp finding.Checkpoint, sev finding.Severity, title string) finding.Finding {
		return finding.Finding{ID: id, Checkpoint: cp, Severity: sev, Address: addr, Title: finding.Text{EN: title, JA: title + "（日本語）"}}
	}
	cov := func(kv ...string) finding.Finding {
		c := f(finding.IDAuthCoverage, finding.CheckAuth, finding.SevInfo, "coverage")
		c.Evidence = map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			c.Evidence[kv[i]] = kv[i+1]
		}
		return c
	}
	const (
		v, s, vr, gr, as, ut, rs, cm, ac = finding.CoverageVendor, finding.CoverageSurfaces, finding.CoverageVendorRefused,
			finding.CoverageGenericRefused, finding.CoverageAdminStrong, finding.CoverageUntried, finding.CoverageReason,
			finding.CoverageComplete, finding.CoverageAccepted
	)
	fs := func(xs ...finding.Finding) []finding.Finding { return xs }
	checkErr := f(IDCheckError, 0, finding.SevInfo, "The auth check failed on this device")
	checkErr.Evidence = map[string]string{"check": "authentication"}

	tests := []struct {
		name        string
		cp          finding.Checkpoint
		dev         Device
		fs          []finding.Finding
		notRun      bool
		interrupted bool
		verdict     Verdict
		reason      string // substring of the English reason
		ja          string // substring of the Japanese reason
	}{
		// Every checkpoint.
		{"not run", finding.CheckAuth, cam, nil, true, false, VerdictUnknown, "not run", "実施していません"},
		{"weakness fails", finding.CheckAuth, cam, fs(f("AUTH-DEFAULT-HTTP", 1, finding.SevCritical, "factory default")), false, false, VerdictFail, "factory default", "日本語"},
		{"weakness fails even when interrupted", finding.CheckExposure, cam, fs(f("EXPOSE-TELNET", 3, finding.SevHigh, "telnet on")), false, true, VerdictFail, "telnet on", "日本語"},
		{"fail beats could-not-check", finding.CheckAuth, cam, fs(f("AUTH-UNVERIFIABLE", 1, finding.SevHigh, "u"), f("AUTH-CLEARTEXT-HTTP", 1, finding.SevMedium, "cleartext")), false, false, VerdictFail, "cleartext", "cleartext"},
		{"interrupted is never a pass", finding.CheckAuth, cam, fs(cov(v, "Hikvision", s, "http/80", vr, "http/80", cm, "true")), false, true, VerdictUnknown, "interrupted before this device", "中断"},
		{"interrupted firmware", finding.CheckFirmware, cam, nil, false, true, VerdictUnknown, "interrupted", "中断"},
		{"interrupted exposure", finding.CheckExposure, cam, nil, false, true, VerdictUnknown, "interrupted", "中断"},
		{"checker panicked", finding.CheckFirmware, cam, fs(checkErr), false, false, VerdictUnknown, "authentication check failed", "失敗"},
		{"inconclusive finding", finding.CheckAuth, cam, fs(f("AUTH-STOPPED-LOCKOUT-RISK", 1, finding.SevMedium, "stopped before a lockout")), false, false, VerdictUnknown, "stopped before a lockout", "日本語"},

		// Checkpoint 1: passwords, from the AUTH-COVERAGE record.
		{"no coverage record", finding.CheckAuth, cam, nil, false, false, VerdictUnknown, "left no record", "記録"},
		{"vendor defaults refused everywhere", finding.CheckAuth, cam, fs(cov(v, "Hikvision", s, "http/80,rtsp/554", vr, "http/80,rtsp/554", cm, "true")), false, false, VerdictPass, "Hikvision factory default passwords were tried and refused on 80/http, 554/rtsp", "Hikvision の初期パスワード"},
		{"admin password strong", finding.CheckAuth, cam, fs(cov(s, "http/80", as, "http/80", cm, "true")), false, false, VerdictPass, "Your own password works and is strong on 80/http", "十分な強度"},
		{"vendor refused plus admin strong", finding.CheckAuth, cam, fs(cov(v, "Hikvision", s, "http/80,rtsp/554", vr, "rtsp/554", as, "http/80", cm, "true")), false, false, VerdictPass, "Your own password", "初期パスワード"},
		{"generic pairs only", finding.CheckAuth, noVendor, fs(cov(s, "http/80,rtsp/554", gr, "http/80,rtsp/554", cm, "true")), false, false, VerdictUnknown, "only common generic passwords were tried (and refused) on 80/http, 554/rtsp", "一般的なパスワードのみ"},
		{"vendor on one surface, generic on another", finding.CheckAuth, cam, fs(cov(v, "Hikvision", s, "http/80,rtsp/554", vr, "http/80", gr, "rtsp/554", cm, "true")), false, false, VerdictUnknown, "generic passwords were tried (and refused) on 554/rtsp", "一般的"},
		{"vendor claimed without a vendor is generic", finding.CheckAuth, noVendor, fs(cov(s, "http/80", vr, "http/80", cm, "true")), false, false, VerdictUnknown, "generic", "一般的"},
		{"no login surface", finding.CheckAuth, cam, fs(cov(cm, "true")), false, false, VerdictUnknown, "No service that asks for a password was found (2 services seen)", "パスワードを求めるサービスが見つからず"},
		{"untried surface", finding.CheckAuth, cam, fs(cov(v, "Hikvision", s, "http/80,rtsp/554", vr, "http/80", ut, "rtsp/554", rs, "attempt budget spent", cm, "true")), false, false, VerdictUnknown, "Not tried on 554/rtsp (attempt budget spent)", "試せませんでした"},
		{"check cut short", finding.CheckAuth, cam, fs(cov(v, "Hikvision", s, "http/80", vr, "http/80", cm, "false")), false, false, VerdictUnknown, "did not finish", "終わりませんでした"},
		{"check cut short with untried", finding.CheckAuth, cam, fs(cov(v, "Hikvision", s, "http/80,rtsp/554", vr, "http/80", ut, "rtsp/554", rs, "interrupted", cm, "false")), false, false, VerdictUnknown, "did not finish on this device. Not tried on 554/rtsp (interrupted)", "終わりませんでした"},
		{"complete missing means unfinished", finding.CheckAuth, cam, fs(cov(v, "Hikvision", s, "http/80", vr, "http/80")), false, false, VerdictUnknown, "did not finish", "終わりませんでした"},
		{"refused via the web login", finding.CheckAuth, cam, fs(cov(v, "Axis", s, "http/80,onvif/80,rtsp/554", vr, "http/80,onvif/80,rtsp/554",
			finding.CoverageRefusedVia, "onvif/80<-http/80,rtsp/554<-http/80", cm, "true")), false, false, VerdictPass,
			"The Axis factory default passwords were tried and refused on 80/http. ONVIF (80/onvif) and RTSP (554/rtsp) check the same accounts as the web login (80/http), which refused them, so they were not sent again.",
			"ONVIF（80/onvif）とRTSP（554/rtsp） は Web ログイン（80/http） と同じアカウントを使うため"},
		{"refused via another web port", finding.CheckAuth, cam, fs(cov(v, "Hikvision", s, "http/443,http/80", vr, "http/443,http/80",
			finding.CoverageRefusedVia, "http/443<-http/80", cm, "true")), false, false, VerdictPass,
			"The web login (443/http) checks the same accounts as the web login (80/http)", "Web ログイン（443/http） は Web ログイン（80/http） と同じアカウント"},
		{"untried surfaces grouped by reason", finding.CheckAuth, cam, fs(cov(v, "Hikvision", s, "http/80,onvif/80,rtsp/554", vr, "http/80", ut, "onvif/80,rtsp/554",
			rs, "onvif/80: login budget spent: capped; rtsp/554: login budget spent: capped", cm, "true")), false, false, VerdictUnknown,
			"Not tried on 80/onvif, 554/rtsp (login budget spent: capped).", "80/onvif, 554/rtsp では試せませんでした（login budget spent: capped）。"},
		{"an unchecked web login is said before no surface", finding.CheckAuth, cam, fs(cov(ut, "http/80",
			rs, "http/80: no web route asked for a password: a form or script login cannot be checked", cm, "true")), false, false, VerdictUnknown,
			"Not tried on 80/http (no web route asked for a password: a form or script login cannot be checked).", "試せませんでした"},
		{"accepted without its finding is not a pass", finding.CheckAuth, cam, fs(cov(v, "Hikvision", s, "http/80", ac, "http/80", cm, "true")), false, false, VerdictUnknown, "No conclusive result on 80/http", "結論"},
		{"coverage is not a weakness", finding.CheckAuth, cam, fs(func() finding.Finding {
			c := cov(v, "Hikvision", s, "http/80", vr, "http/80", cm, "true")
			c.Severity = finding.SevHigh
			return c
		}()), false, false, VerdictPass, "refused", "拒否"},

		// Checkpoint 2: firmware.
		{"firmware current", finding.CheckFirmware, cam, nil, false, false, VerdictPass, "V5.5.0 is the latest the catalogue knows", "最新版"},
		{"firmware outdated", finding.CheckFirmware, cam, fs(f("FW-OUTDATED", 2, finding.SevMedium, "not the latest")), false, false, VerdictFail, "not the latest", "日本語"},
		{"not in the catalogue", finding.CheckFirmware, cam, fs(f("FW-UNCHECKED", 2, finding.SevInfo, "not in the firmware catalogue")), false, false, VerdictUnknown, "not in the firmware catalogue", "日本語"},
		{"firmware unreadable finding", finding.CheckFirmware, cam, fs(f("FW-UNKNOWN", 2, finding.SevLow, "could not be read")), false, false, VerdictUnknown, "could not be read", "日本語"},
		{"no vendor", finding.CheckFirmware, noVendor, nil, false, false, VerdictUnknown, "vendor was not identified", "メーカーを特定"},
		{"no firmware version", finding.CheckFirmware, noFirmware, nil, false, false, VerdictUnknown, "could not be read", "読み取れません"},
		{"no model", finding.CheckFirmware, noModel, nil, false, false, VerdictUnknown, "model was not identified", "型番"},

		// Checkpoint 3: unused functions.
		{"every port identified", finding.CheckExposure, cam, nil, false, false, VerdictPass, "2 services checked", "2 個"},
		{"info note does not fail", finding.CheckExposure, cam, fs(f("EXPOSE-HTTP-NO-TLS", 3, finding.SevInfo, "Web admin over plain HTTP")), false, false, VerdictPass, "Note: Web admin over plain HTTP", "補足"},
		{"port timed out", finding.CheckExposure, stalled, nil, false, false, VerdictUnknown, "9000/unknown timeout", "特定できなかった"},
		{"port not identified", finding.CheckExposure, unnamed, nil, false, false, VerdictUnknown, "7000/unknown open", "特定できなかった"},
		{"no port checked", finding.CheckExposure, noPorts, nil, false, false, VerdictUnknown, "No port", "ポート"},
		{"exposure weakness", finding.CheckExposure, cam, fs(f("EXPOSE-VENDOR-SDK", 3, finding.SevLow, "SDK port open")), false, false, VerdictFail, "SDK port open", "日本語"},
	}
	verdicts := map[Verdict]int{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := GradeInput{Device: tc.dev, Findings: tc.fs, Ran: !tc.notRun, Interrupted: tc.interrupted}
			got := Grade(tc.cp, in)
			verdicts[got.Verdict]++
			if got.Checkpoint != tc.cp || got.Verdict != tc.verdict || !strings.Contains(got.Reason.EN, tc.reason) || !strings.Contains(got.Reason.JA, tc.ja) {
				t.Errorf("got %s\n  en %q\n  ja %q\nwant %s with %q / %q", got.Verdict, got.Reason.EN, got.Reason.JA, tc.verdict, tc.reason, tc.ja)
			}
			if got.Interrupted != (tc.interrupted && got.Verdict == VerdictUnknown) {
				t.Errorf("interrupted flag %v on a %s verdict of an interrupted=%v scan", got.Interrupted, got.Verdict, tc.interrupted)
			}
			if strings.Contains(got.Reason.EN, "%!") || strings.Contains(got.Reason.JA, "%!") {
				t.Errorf("bad format verb in %+v", got.Reason)
			}
		})
	}
	if verdicts[VerdictPass] == 0 || verdicts[VerdictFail] == 0 || verdicts[VerdictUnknown] == 0 {
		t.Errorf("table does not cover every verdict: %v", verdicts)
	}
}

// TestScorecardOfInterruptedScan: Ctrl-C used to turn unchecked devices
// into passes ("1✓ 2? 3✓" for a device with telnet and a factory
// password). After an interrupt no device passes anything.
func TestScorecardOfInterruptedScan(t *testing.T) {
	s := labScan()
	s.Interrupted = true
	s.Normalize()
	for _, d := range s.Devices {
		for _, c := range d.Scorecard {
			if c.Verdict == VerdictPass {
				t.Errorf("%s checkpoint %d passes in an interrupted scan: %+v", d.Address, c.Checkpoint, c)
			}
			if c.Verdict == VerdictUnknown && c.Finding == "" && !c.Interrupted {
				t.Errorf("%s checkpoint %d: could-not-check without saying interrupted: %+v", d.Address, c.Checkpoint, c)
			}
		}
	}
}

// TestVerdictMarks: the symbol and word of each verdict, the same in
// tables, pages and the history; anything but pass or fail reads "?".
func TestVerdictMarks(t *testing.T) {
	en, ja := i18n.New(i18n.EN), i18n.New(i18n.JA)
	tests := []struct {
		v              Verdict
		symbol, en, ja string
	}{
		{VerdictPass, "✓", en.T(i18n.VerdictPass), ja.T(i18n.VerdictPass)},
		{VerdictFail, "✗", en.T(i18n.VerdictFail), ja.T(i18n.VerdictFail)},
		{VerdictUnknown, "?", en.T(i18n.VerdictUnknown), ja.T(i18n.VerdictUnknown)},
		{Verdict("from a newer camwarden"), "?", en.T(i18n.VerdictUnknown), ja.T(i18n.VerdictUnknown)},
	}
	for _, tc := range tests {
		t.Run(string(tc.v), func(t *testing.T) {
			if got := tc.v.Symbol(); got != tc.symbol {
				t.Errorf("Symbol = %q, want %q", got, tc.symbol)
			}
			if got := tc.v.Name(en); got != tc.en || tc.en == "" {
				t.Errorf("Name(en) = %q, want %q", got, tc.en)
			}
			if got := tc.v.Name(ja); got != tc.ja || tc.ja == tc.en {
				t.Errorf("Name(ja) = %q, want %q (not the English word)", got, tc.ja)
			}
		})
	}
}
