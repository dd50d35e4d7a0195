package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/i18n"
)

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// TestTableLayout is issue 10.15: the table was 237 columns wide, listed
// devices by address and ended with no advice; Japanese columns did not
// line up (ー counted as one cell).
func TestTableLayout(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.EN, i18n.JA} {
		for _, color := range []bool{false, true} {
			s := labScan()
			s.Devices[0].Model = "DS-2CD2532F-IWS-A-VERY-LONG-MODEL-NAME-FROM-A-DEVICE-THAT-DOES-NOT-STOP-TALKING"
			s.Devices[4].Type = "router"
			var b bytes.Buffer
			if err := WriteTable(&b, s, TableOptions{Lang: lang, Color: color}); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
			checksAt := -1
			for i, l := range lines {
				plain := ansi.ReplaceAllString(l, "")
				if w := displayWidth(plain); w > TableWidth {
					t.Errorf("%s color=%v line %d is %d cells wide (> %d): %q", lang, color, i, w, TableWidth, plain)
				}
				// Every device row has its scorecard at the same cell.
				if i <= len(s.Devices) && i > 0 {
					idx := strings.Index(plain, "1✗")
					if idx < 0 {
						idx = strings.Index(plain, "1✓")
					}
					if idx < 0 {
						idx = strings.Index(plain, "1?")
					}
					at := displayWidth(plain[:idx])
					if checksAt >= 0 && at != checksAt {
						t.Errorf("%s: row %d scorecard at cell %d, row 1 at %d:\n%s", lang, i, at, checksAt, out)
					}
					checksAt = at
				}
			}
			p := i18n.New(lang)
			for _, want := range []string{p.T(i18n.TableFixFirst), "→ ", p.F(i18n.TableBySeverity, "")} {
				if !strings.Contains(ansi.ReplaceAllString(out, ""), want) {
					t.Errorf("%s table lacks %q", lang, want)
				}
			}
			// Worst first: the two devices with critical findings lead,
			// the one that passes everything comes last.
			if !strings.HasPrefix(lines[1], "127.77.0.2 ") || !strings.HasPrefix(lines[2], "127.77.0.5 ") ||
				!strings.HasPrefix(lines[len(s.Devices)], "127.77.0.8 ") {
				t.Errorf("%s rows not worst first:\n%s", lang, strings.Join(lines[:len(s.Devices)+1], "\n"))
			}
		}
	}
}

// TestTableWide shows every column, and whole titles.
func TestTableWide(t *testing.T) {
	s := labScan()
	var b bytes.Buffer
	if err := WriteTable(&b, s, TableOptions{Wide: true}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"SERVICES", "80/http 80/onvif 554/rtsp 8000/hikvision-sdk", "FIRMWARE",
		"is not in the firmware catalogue"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("wide table lacks %q:\n%s", want, b.String())
		}
	}
}
