package onvifauth

import (
	"net"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
)

// TestReadIdentityLab: on the lab's old Hikvision, whose ONVIF wants the
// factory login, the identity is read after it with a fresh token dated on
// the device clock; a wrong password reads nothing and is a refusal.
func TestReadIdentityLab(t *testing.T) {
	l, err := lab.Start(t.Context(), lab.Options{Prefix: "127.78.64"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	var tgt probe.Target
	for _, d := range l.Manifest().Devices {
		if d.Name == "hikvision-ipc-legacy" {
			tgt = probe.Target{Addr: netip.MustParseAddr(d.Address), Port: 80, Transport: "tcp"}
		}
	}
	d := &net.Dialer{Timeout: 2 * time.Second}
	m := &Method{}
	good := login.Credential{Username: "admin", Password: "12345"}
	if o, err := m.Try(t.Context(), d, tgt, good); err != nil || o.Result != login.Success {
		t.Fatalf("Try = %+v, %v", o, err)
	}
	id, err := m.ReadIdentity(t.Context(), d, tgt, good, nil)
	if err != nil || !id.Sent || id.Refused || !id.Complete() {
		t.Fatalf("ReadIdentity = %+v, %v", id, err)
	}
	if !slices.ContainsFunc(id.Claims, func(c probe.Claim) bool { return c.Attr == probe.AttrFirmware && c.Value == "V5.2.0" }) {
		t.Errorf("firmware V5.2.0 not read: %+v", id.Claims)
	}
	id, err = m.ReadIdentity(t.Context(), d, tgt, login.Credential{Username: "admin", Password: "wrong"}, nil)
	if err != nil || !id.Refused || len(id.Claims) > 0 {
		t.Errorf("wrong password: ReadIdentity = %+v, %v; want a refusal", id, err)
	}
}
