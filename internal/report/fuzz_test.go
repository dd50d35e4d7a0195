package report

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/i18n"
)

// FuzzDeviceText renders device-reported strings (model, firmware,
// hostname) in every format: device text is hostile, so no format may
// carry it through as markup, and the CSV must stay parseable.
func FuzzDeviceText(f *testing.F) {
	for _, seed := range []string{
		"DS-2CD2532F-IWS", "V4.02.R11.00035520.10010.131900.00000", "FLEXIDOME IP 4000i IR",
		"<script>alert(1)</script>", "| a | b |", "=cmd|' /C calc'!A0", "line\nbreak", "\x1b[31mred",
	} {
		f.Add(seed)
	}
	rawLT := regexp.MustCompile(`(^|[^\\])<`)
	f.Fuzz(func(t *testing.T, s string) {
		// The markers make the raw-markup check below specific to the
		// device text (a lone "<" is in every HTML page).
		marked := "cwfuzz" + s + "cwfuzz"
		scan := labScan()
		scan.Devices[0].Model, scan.Devices[0].Firmware, scan.Devices[0].Hostname = marked, marked, marked
		scan.Normalize()
		var md, html, c bytes.Buffer
		if err := WriteMarkdown(&md, scan, i18n.JA); err != nil {
			t.Fatal(err)
		}
		if esc := mdEscape(s); rawLT.MatchString(esc) || strings.ContainsAny(esc, "\n\r") {
			t.Errorf("mdEscape(%q) = %q keeps markup", s, esc)
		}
		if err := WriteHTML(&html, scan, HTMLOptions{Lang: i18n.EN}); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(s, "<") && bytes.Contains(html.Bytes(), []byte(marked)) {
			t.Errorf("html carries %q unescaped", s)
		}
		if err := WriteCSV(&c, scan, i18n.EN); err != nil {
			t.Fatal(err)
		}
		if _, err := csv.NewReader(&c).ReadAll(); err != nil {
			t.Errorf("csv unparseable with %q: %v", s, err)
		}
		var tb bytes.Buffer
		if err := WriteTable(&tb, scan, TableOptions{Lang: i18n.JA}); err != nil {
			t.Fatal(err)
		}
		if bytes.ContainsAny(tb.Bytes(), "\x1b\r") {
			t.Errorf("plain table carries a control character from %q", s)
		}
	})
}
