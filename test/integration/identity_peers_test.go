//go:build integration

package integration

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	catalogfw "github.com/camwarden/camwarden/internal/catalog/firmware"
	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/check/auth"
	"github.com/camwarden/camwarden/internal/check/firmware"
	"github.com/camwarden/camwarden/internal/fingerprint"
	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/login/digest"
	"github.com/camwarden/camwarden/internal/login/httpauth"
	"github.com/camwarden/camwarden/internal/login/identity"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/scope"
)

// TestIdentityAfterLoginPeer runs scan -> auth check -> identity refresh
// -> firmware check on the real lighttpd peer (Digest on /ISAPI/, the
// Hikvision factory default admin:12345): the model and firmware its
// deviceInfo holds only behind the login are read with the factory
// default, sourced so, and the firmware check then reads a version.
func TestIdentityAfterLoginPeer(t *testing.T) {
	requirePeers(t, hostPeers[:1])
	const addr = "127.79.0.1"
	devices := scan(t, scanConfig{targets: []string{addr}, tcpPorts: []uint16{80}})
	d, ok := devices[netip.MustParseAddr(addr)]
	if !ok {
		t.Fatalf("no device at %s", addr)
	}
	if d.Firmware() != "" {
		t.Fatalf("firmware %q visible before any login; the peer must hide it", d.Firmware())
	}
	sp, err := scope.Parse(t.Context(), []string{addr}, scope.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := creds.Default()
	if err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(auth.Options{Depth: creds.DepthDefault, Catalogue: cat})
	if err != nil {
		t.Fatal(err)
	}
	m, err := fingerprint.New()
	if err != nil {
		t.Fatal(err)
	}
	fwCat, err := catalogfw.Default()
	if err != nil {
		t.Fatal(err)
	}
	env := &check.Env{Dialer: scope.GuardDialer{Scope: sp, Base: &net.Dialer{Timeout: 5 * time.Second}}, Now: time.Now}
	a.Check(t.Context(), env, &d)
	if !m.Refresh(&d) {
		t.Fatalf("nothing read after login; services: %s", describe(d))
	}
	for attr, want := range map[string]string{probe.AttrModel: "DS-2CD2042WD-I", probe.AttrFirmware: "V5.4.5"} {
		got := d.Identity[attr]
		if got.Value != want || !strings.Contains(got.Source, "read after login with the factory default") {
			t.Errorf("%s = %q from %q, want %q read after login with the factory default", attr, got.Value, got.Source, want)
		}
	}
	for _, f := range firmware.NewChecker(fwCat).Check(t.Context(), env, &d) {
		if f.ID == firmware.IDUnknown {
			t.Errorf("firmware check still could not read a version: %v", f.Evidence)
		}
	}
}

// TestDigestSessionPeer: after a Digest login on the real lighttpd the
// identity call reuses the server's nonce with the next nonce count (the
// session a browser keeps) and lighttpd accepts it.
func TestDigestSessionPeer(t *testing.T) {
	requirePeers(t, hostPeers[:1])
	tg := probe.Target{Addr: netip.MustParseAddr("127.79.0.1"), Port: 80, Transport: "tcp"}
	d := &net.Dialer{Timeout: 5 * time.Second}
	m := &httpauth.Method{Route: httpauth.Route{Path: "/ISAPI/System/deviceInfo"}}
	cred := login.Credential{Username: "admin", Password: "12345", Name: "Hikvision factory default admin"}
	if o, err := m.Try(t.Context(), d, tg, cred); err != nil || o.Result != login.Success || o.Scheme != "digest" {
		t.Fatalf("digest login = %+v, %v", o, err)
	}
	// Another URI than the login's, so that the call is really made in
	// the session instead of reusing the login's answer.
	api := identity.API{Name: "ISAPI deviceInfo", Family: "isapi", Path: "/ISAPI/System/deviceInfo?session=2", Parse: identity.ParseISAPI}
	res, err := m.ReadIdentity(t.Context(), d, tg, cred, []identity.API{api})
	if err != nil || !res.Sent || res.Refused || !res.Complete() {
		t.Fatalf("identity in the digest session = %+v, %v", res, err)
	}
	// And lighttpd itself takes nc=2 on the nonce of nc=1 (no stale
	// renewal hid a refusal above): the two requests by hand.
	base := "http://" + tg.Address()
	first, err := http.Get(base + "/ISAPI/System/deviceInfo")
	if err != nil {
		t.Fatal(err)
	}
	first.Body.Close()
	_, chal := digest.Pick(first.Header.Values("WWW-Authenticate"))
	if chal == nil {
		t.Fatalf("no digest challenge: %v", first.Header)
	}
	for n, uri := range []string{"/ISAPI/System/deviceInfo", "/ISAPI/System/deviceInfo?session=2"} {
		authz, err := chal.Authorization(digest.Request{Method: "GET", URI: uri, Username: "admin", Password: "12345",
			CNonce: "0a4f113b2c3d4e5f", Count: n + 1})
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequestWithContext(t.Context(), "GET", base+uri, nil)
		req.Header.Set("Authorization", authz)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("nc=%d on the same nonce: status %d, want 200", n+1, resp.StatusCode)
		}
	}
}
