package cli

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/fleet"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/scope"
)

// hostile is text a device, a queue or a store could hand back: a CRLF
// that forges a line, a screen clear, a window-title change, a C1 CSI
// and a bidi override.
const hostile = "ok\r\nrouter 127.0.0.1: 0 port mappings\x1b[2J\x1b]0;pwned\x07\u009b31m\u202eevil"

// controls reports the first terminal control left in s (newlines
// between lines are camwarden's own), or "".
func controls(s string) string {
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) {
			return string(r)
		}
	}
	return ""
}

// TestTerminalOutputIsSanitised is issue 10.9: device or queue text
// reached the terminal raw in some paths (a SOAP fault in router errors,
// fleet site names, history). One sanitiser, internal/termsafe, is used
// by every terminal writer.
func TestTerminalOutputIsSanitised(t *testing.T) {
	t.Run("router error", func(t *testing.T) {
		sc, err := scope.Parse(t.Context(), []string{"127.78.73.0/24"}, scope.Options{})
		if err != nil {
			t.Fatal(err)
		}
		o := linkOptions{gateway: "127.78.73.1"}
		o.igd.Dialer = errDialer{errors.New("soap fault: " + hostile)}
		o.igd.ListenPacket = func(context.Context, string, string) (net.PacketConn, error) {
			return nil, errors.New("ssdp: " + hostile)
		}
		var w bytes.Buffer
		auditRouter(t.Context(), o, sc, nil, nil, &w)
		if c := controls(w.String()); c != "" || strings.Count(w.String(), "\n") > 2 {
			t.Errorf("router note carries control %q or forged lines:\n%q", c, w.String())
		}
	})
	t.Run("fleet site and worker", func(t *testing.T) {
		var w bytes.Buffer
		writeFleetStatus(&w, &fleet.Status{Jobs: map[string]int{}, Sites: []fleet.SiteStatus{
			{Site: "tokyo-" + hostile, Worker: "w-" + hostile, Finished: time.Unix(0, 0)}}})
		if c := controls(w.String()); c != "" || strings.Count(w.String(), "\n") != 4 {
			t.Errorf("fleet status carries control %q or forged lines:\n%q", c, w.String())
		}
	})
	t.Run("history of a device with a hostile model", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "h.db")
		s := &report.Scan{Schema: report.SchemaV1, Scope: "127.78.73.0/24", Started: time.Unix(1e9, 0).UTC(), Finished: time.Unix(1e9+5, 0).UTC(),
			Devices: []report.Device{{Address: netip.MustParseAddr("127.78.73.5"), Vendor: "Acme" + hostile, Model: hostile, Firmware: hostile, Serial: "SN" + hostile}}}
		s.Normalize()
		if _, err := saveScan(t.Context(), db, s); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"history", "--db", db}, {"history", "--db", db, "127.78.73.5"}} {
			var out, errb bytes.Buffer
			Run(t.Context(), args, strings.NewReader(""), &out, &errb)
			if c := controls(out.String() + errb.String()); c != "" {
				t.Errorf("%v carries control %q:\n%q", args, c, out.String())
			}
		}
	})
	t.Run("error message", func(t *testing.T) {
		var out, errb bytes.Buffer
		Run(t.Context(), []string{"report", filepath.Join(t.TempDir(), hostile+".json")}, strings.NewReader(""), &out, &errb)
		if c := controls(errb.String()); c != "" || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("error carries control %q or forged lines:\n%q", c, errb.String())
		}
	})
}

type errDialer struct{ err error }

func (d errDialer) DialContext(context.Context, string, string) (net.Conn, error) { return nil, d.err }
