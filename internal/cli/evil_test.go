package cli

import (
	"bytes"
	"encoding/csv"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/report"
)

// evil is injected into every string field of a saved scan, between two
// markers so that the test can find each copy in the output.
const evil = "PWN`</code><img src=x onerror=alert(1)>|[link](http://evil)*_#&lt;\n=cmd|' /C calc'!A0\x1b[2JPWN"

// evilScan is a camwarden.scan/v1 document whose every string comes
// from an attacker: a hand-made file given to `camwarden report`, or a
// device that chose its model name, banner and evidence.
func evilScan() *report.Scan {
	addr := netip.MustParseAddr("127.78.73.66")
	text := finding.Text{EN: evil, JA: evil}
	s := &report.Scan{
		Schema: report.SchemaV1, Tool: report.Tool{Name: evil, Version: evil, CatalogDate: evil},
		Scope: evil, Started: time.Unix(1e9, 0).UTC(), Finished: time.Unix(1e9+3, 0).UTC(),
		Checked: []finding.Checkpoint{1, 2, 3},
		Devices: []report.Device{{Address: addr, Hostname: evil, Type: evil, Vendor: evil, Model: evil, Firmware: evil,
			Serial: evil, MAC: evil, Status: evil,
			Services: []probe.Service{{Port: 80, Transport: "tcp", Protocol: evil, Status: probe.StatusIdentified,
				Trace: []probe.TraceEntry{{Dir: "recv", Data: evil}}}}}},
		Findings: []finding.Finding{{ID: evil, Checkpoint: 1, Severity: finding.SevCritical, Address: addr, Port: 80,
			Protocol: evil, Title: text, Remediation: text, Evidence: map[string]string{evil: evil, "snapshot": evil}}},
	}
	return s
}

// TestReportEscapesEveryField is issue 10.12: `report evil.json --format
// md` put a finding ID raw inside backticks. Every field is escaped in
// every format.
func TestReportEscapesEveryField(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "evil.json")
	var js bytes.Buffer
	if err := report.WriteJSON(&js, evilScan()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, js.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"md", "html", "csv", "table", "json"} {
		for _, lang := range []string{"en", "ja"} {
			t.Run(format+"/"+lang, func(t *testing.T) {
				var out, errb bytes.Buffer
				code := Run(t.Context(), []string{"report", path, "--format", format, "--lang", lang}, strings.NewReader(""), &out, &errb)
				if code != ExitOK {
					t.Fatalf("exit %d: %s", code, errb.String())
				}
				checkEscaped(t, format, out.String())
			})
		}
	}
}

var copies = regexp.MustCompile(`(?s)PWN.*?PWN`)

func checkEscaped(t *testing.T, format, out string) {
	t.Helper()
	if format != "json" && strings.Contains(out, "\x1b") {
		t.Errorf("%s output carries an escape sequence", format)
	}
	switch format {
	case "md":
		found := copies.FindAllString(out, -1)
		if len(found) < 10 {
			t.Fatalf("only %d copies of the payload in the markdown", len(found))
		}
		for _, c := range found {
			for i := 0; i < len(c); i++ {
				if strings.IndexByte("`<>[]|*_#&", c[i]) >= 0 && (i == 0 || c[i-1] != '\\') {
					t.Errorf("markdown leaves %q unescaped in %q", c[i], c)
					break
				}
			}
		}
	case "html":
		doc, err := html.Parse(strings.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode {
				if n.Data == "script" || (n.Data == "a" && attr(n, "href") != "" && !strings.HasPrefix(attr(n, "href"), "#")) {
					t.Errorf("injected <%s %v>", n.Data, n.Attr)
				}
				if n.Data == "img" && !strings.HasPrefix(attr(n, "src"), "data:image/jpeg;base64,") && attr(n, "src") != "" {
					t.Errorf("injected <img src=%q>", attr(n, "src"))
				}
				for _, a := range n.Attr {
					if strings.HasPrefix(a.Key, "on") {
						t.Errorf("injected event handler %s=%q on <%s>", a.Key, a.Val, n.Data)
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
	case "csv":
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows[1:] {
			for _, c := range r {
				if c != "" && strings.ContainsRune("=+-@\t\r\n", rune(c[0])) {
					t.Errorf("csv cell a spreadsheet would run: %q", c)
				}
			}
		}
	case "table":
		if c := controls(out); c != "" {
			t.Errorf("table carries control %q", c)
		}
	case "json":
		if _, err := report.ReadJSON(strings.NewReader(out)); err != nil {
			t.Errorf("json does not read back: %v", err)
		}
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
