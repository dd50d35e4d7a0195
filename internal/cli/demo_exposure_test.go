package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/check/portmap"
	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/report"
)

// TestDemoShowsExposedToInternet: the demo audits the lab router, whose
// UPnP table publishes a camera, and reports EXPOSED-TO-INTERNET on every
// published port of that camera end to end (issue 10 item 19).
func TestDemoShowsExposedToInternet(t *testing.T) {
	const prefix = "127.78.116"
	var out, errb bytes.Buffer
	code := Run(t.Context(), []string{"demo", "--prefix", prefix, "--out", t.TempDir(), "--format", "json"},
		strings.NewReader(""), &out, &errb)
	if code != ExitOK {
		t.Fatalf("demo exit %d; stderr:\n%s", code, errb.String())
	}
	rep, err := report.ReadJSON(&out)
	if err != nil {
		t.Fatal(err)
	}
	l, err := lab.Start(t.Context(), lab.Options{Prefix: "127.78.117"})
	if err != nil {
		t.Fatal(err)
	}
	man := l.Manifest()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	for i := range man.Devices {
		man.Devices[i].Address = strings.Replace(man.Devices[i].Address, "127.78.117.", prefix+".", 1)
	}
	exposed := 0
	for _, f := range rep.Findings {
		if f.ID == portmap.IDExposed {
			exposed++
		}
	}
	if diffs := compareInternet(man, rep); len(diffs) > 0 || exposed == 0 {
		t.Errorf("%d %s findings; differences from the planted mappings:\n  %s", exposed, portmap.IDExposed, strings.Join(diffs, "\n  "))
	}
	if !strings.Contains(errb.String(), "port mappings read, external address 203.0.113.10, never contacted") {
		t.Errorf("the demo did not say what it read from the router:\n%s", errb.String())
	}
}
