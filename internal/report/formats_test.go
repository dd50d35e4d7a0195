package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
)

// formats renders a scan in every human and tool format, in one language.
func formats() []struct {
	name, ext string
	write     func(*bytes.Buffer, *Scan, i18n.Lang) error
} {
	files := os.DirFS("testdata")
	return []struct {
		name, ext string
		write     func(*bytes.Buffer, *Scan, i18n.Lang) error
	}{
		{"table", "txt", func(b *bytes.Buffer, s *Scan, l i18n.Lang) error { return WriteTable(b, s, TableOptions{Lang: l}) }},
		{"color", "ansi", func(b *bytes.Buffer, s *Scan, l i18n.Lang) error {
			return WriteTable(b, s, TableOptions{Lang: l, Color: true})
		}},
		{"csv", "csv", func(b *bytes.Buffer, s *Scan, l i18n.Lang) error { return WriteCSV(b, s, l) }},
		{"md", "md", func(b *bytes.Buffer, s *Scan, l i18n.Lang) error { return WriteMarkdown(b, s, l) }},
		{"html", "html", func(b *bytes.Buffer, s *Scan, l i18n.Lang) error {
			return WriteHTML(b, s, HTMLOptions{Lang: l, Files: files})
		}},
	}
}

func TestLabGolden(t *testing.T) {
	var js bytes.Buffer
	if err := WriteJSON(&js, labScan()); err != nil {
		t.Fatal(err)
	}
	golden(t, "lab.json.golden", js.Bytes())
	for _, f := range formats() {
		for _, lang := range i18n.Langs() {
			name := fmt.Sprintf("lab.%s.%s.golden", lang, f.ext)
			t.Run(name, func(t *testing.T) {
				var b bytes.Buffer
				if err := f.write(&b, labScan(), lang); err != nil {
					t.Fatal(err)
				}
				golden(t, name, b.Bytes())
			})
		}
	}
}

// TestRerenderIsByteIdentical renders a scan, saves it as JSON, reads it
// back and renders again: a saved scan must give the same report.
func TestRerenderIsByteIdentical(t *testing.T) {
	for _, f := range formats() {
		for _, lang := range i18n.Langs() {
			t.Run(f.name+"/"+string(lang), func(t *testing.T) {
				orig := labScan()
				var first, js, second bytes.Buffer
				if err := f.write(&first, orig, lang); err != nil {
					t.Fatal(err)
				}
				if err := WriteJSON(&js, orig); err != nil {
					t.Fatal(err)
				}
				back, err := ReadJSON(&js)
				if err != nil {
					t.Fatal(err)
				}
				if err := f.write(&second, back, lang); err != nil {
					t.Fatal(err)
				}
				if first.Len() == 0 || !bytes.Equal(first.Bytes(), second.Bytes()) {
					t.Errorf("re-rendered %s/%s differs (%d vs %d bytes)", f.name, lang, first.Len(), second.Len())
				}
			})
		}
	}
}

func TestScorecard(t *testing.T) {
	s := labScan()
	want := map[string]string{
		"127.77.0.2":  "fail:AUTH-DEFAULT-HTTP fail:FW-VULNERABLE fail:EXPOSE-SDK",
		"127.77.0.3":  "pass: could-not-check:FW-UNKNOWN pass:",
		"127.77.0.5":  "fail:AUTH-DEFAULT-TELNET pass: fail:EXPOSE-TELNET",
		"127.77.0.8":  "pass: pass: pass:",
		"127.77.0.22": "could-not-check:AUTH-UNVERIFIABLE could-not-check:FW-UNCHECKED fail:EXPOSE-SNMP",
		"127.77.0.30": "could-not-check: could-not-check: pass:",
	}
	for _, d := range s.Devices {
		t.Run(d.Address.String(), func(t *testing.T) {
			var got []string
			for _, c := range d.Scorecard {
				got = append(got, string(c.Verdict)+":"+c.Finding)
				if c.Reason.EN == "" || c.Reason.JA == "" {
					t.Errorf("checkpoint %d has no reason in both languages: %+v", c.Checkpoint, c.Reason)
				}
			}
			if g := strings.Join(got, " "); g != want[d.Address.String()] {
				t.Errorf("scorecard = %q, want %q", g, want[d.Address.String()])
			}
		})
	}
	hik := s.Devices[0].Scorecard[0]
	if !strings.HasSuffix(hik.Reason.EN, "(+1 more)") || hik.Severity != "critical" || hik.Findings != 2 {
		t.Errorf("worst-first auth line = %+v", hik)
	}
}

// TestScorecardIgnoresOtherDevices: a finding about another address
// never grades this device.
func TestScorecardIgnoresOtherDevices(t *testing.T) {
	s := labScan()
	axis := s.Devices[3]
	fs := append(s.FindingsFor(axis.Address), finding.Finding{ID: "AUTH-NONE-RTSP", Checkpoint: 1, Severity: finding.SevCritical, Address: s.Devices[0].Address})
	if got := Scorecard(axis, fs)[0]; got.Verdict != VerdictPass {
		t.Errorf("axis auth = %+v, want pass", got)
	}
}

func TestCheckpointNotRun(t *testing.T) {
	s := labScan()
	s.Checked = []finding.Checkpoint{finding.CheckAuth}
	var kept []finding.Finding
	for _, f := range s.Findings {
		if f.Checkpoint == finding.CheckAuth {
			kept = append(kept, f)
		}
	}
	s.Findings = kept
	s.Normalize()
	c := s.Devices[3].Scorecard
	if c[0].Verdict != VerdictPass || c[1].Verdict != VerdictUnknown || c[2].Verdict != VerdictUnknown ||
		!strings.Contains(c[2].Reason.EN, "not run") {
		t.Errorf("scorecard with only checkpoint 1 run = %+v", c)
	}
}

func TestFailOn(t *testing.T) {
	tests := []struct {
		name  string
		scan  *Scan
		sev   finding.Severity
		worst finding.Severity
		fail  bool
	}{
		{"critical present, fail on high", labScan(), finding.SevHigh, finding.SevCritical, true},
		{"critical present, fail on critical", labScan(), finding.SevCritical, finding.SevCritical, true},
		{"medium worst, fail on high", sampleScanWorst(finding.SevMedium), finding.SevHigh, finding.SevMedium, false},
		{"no findings, fail on info", &Scan{}, finding.SevInfo, -1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := MaxSeverity(tc.scan); got != tc.worst {
				t.Errorf("MaxSeverity = %v, want %v", got, tc.worst)
			}
			if got := ShouldFail(tc.scan, tc.sev); got != tc.fail {
				t.Errorf("ShouldFail(%v) = %v, want %v", tc.sev, got, tc.fail)
			}
		})
	}
}

func sampleScanWorst(sev finding.Severity) *Scan {
	s := labScan()
	for i := range s.Findings {
		s.Findings[i].Severity = min(s.Findings[i].Severity, sev)
	}
	return s
}

func TestEveryFindingHasBothLanguages(t *testing.T) {
	for _, f := range labScan().Problems() {
		t.Run(f.ID+"@"+f.Address.String(), func(t *testing.T) {
			if f.Title.EN == "" || f.Title.JA == "" || f.Remediation.EN == "" || f.Remediation.JA == "" {
				t.Errorf("finding lacks a translation: title %+v remediation %+v", f.Title, f.Remediation)
			}
		})
	}
}

func TestCSVDefusesFormulasAndParses(t *testing.T) {
	s := labScan()
	s.Devices[0].Model = "=HYPERLINK(\"x\")"
	var b bytes.Buffer
	if err := WriteCSV(&b, s, i18n.EN); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(s.Problems())+1 || strings.Join(rows[0], ",") != strings.Join(CSVHeader(), ",") {
		t.Fatalf("got %d rows, header %v", len(rows), rows[0])
	}
	if rows[1][4] != "'=HYPERLINK(\"x\")" {
		t.Errorf("formula cell not defused: %q", rows[1][4])
	}
}

// TestCSVForJapaneseExcel is issue 10.18: Excel on a Japanese Windows
// reads a CSV without a BOM as Shift_JIS; headers, severities and
// evidence labels were English.
func TestCSVForJapaneseExcel(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, labScan(), i18n.JA); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("\xef\xbb\xbf")) {
		t.Fatalf("no UTF-8 BOM: % x", b.Bytes()[:3])
	}
	rows, err := csv.NewReader(bytes.NewReader(b.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0][:3], ","); got != "アドレス,ホスト名,種類" {
		t.Errorf("header %v, want Japanese", rows[0])
	}
	first := rows[1]
	if first[2] != "カメラ" || first[7] != "緊急" || !strings.Contains(first[11], "初期パスワード") ||
		!strings.Contains(first[13], "認証情報=") {
		t.Errorf("first row not in Japanese: %q", first)
	}
}

func TestMarkdownEscapesDeviceText(t *testing.T) {
	s := labScan()
	s.Devices[0].Model = "<img src=x onerror=alert(1)> | [x](http://evil)"
	s.Normalize()
	var b bytes.Buffer
	if err := WriteMarkdown(&b, s, i18n.EN); err != nil {
		t.Fatal(err)
	}
	raw := regexp.MustCompile(`(^|[^\\])(<img|\]\(http)`)
	if raw.MatchString(b.String()) || !strings.Contains(b.String(), `\<img`) {
		t.Errorf("device text injected markup:\n%s", b.String())
	}
}

// TestEvidenceLabelsTranslated is issue 10.18: the Japanese HTML showed
// raw evidence keys ("credential", "route").
func TestEvidenceLabelsTranslated(t *testing.T) {
	var b bytes.Buffer
	if err := WriteHTML(&b, labScan(), HTMLOptions{Lang: i18n.JA}); err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{"<dt>credential</dt>", "<dt>route</dt>", "<dt>snapshot</dt>"} {
		if strings.Contains(b.String(), raw) {
			t.Errorf("Japanese HTML shows the raw key %s", raw)
		}
	}
	for _, label := range []string{"<dt>認証情報</dt>", "<dt>パス</dt>", "<dt>静止画</dt>"} {
		if !strings.Contains(b.String(), label) {
			t.Errorf("Japanese HTML lacks %s", label)
		}
	}
}
