package auth

import (
	"maps"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/probe"
)

// deviceFromSpec builds the identified device a correct scan produces
// from the lab's manifest entry.
func deviceFromSpec(s lab.DeviceSpec) device.Device {
	d := device.Device{Address: netip.MustParseAddr(s.Address), Identity: map[string]device.Attribute{
		probe.AttrVendor: {Value: s.Vendor}, probe.AttrModel: {Value: s.Model}, probe.AttrType: {Value: s.Type}}}
	for _, sv := range s.Services {
		d.Services = append(d.Services, probe.Service{Port: sv.Port, Transport: sv.Transport, Protocol: sv.Protocol, Status: probe.StatusIdentified})
	}
	return d
}

func startLab(t *testing.T, prefix string) *lab.Lab {
	t.Helper()
	l, err := lab.Start(t.Context(), lab.Options{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l
}

func labFindings(t *testing.T, l *lab.Lab, depth creds.Depth) map[string][]finding.Finding {
	t.Helper()
	cat, err := creds.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Options{Depth: depth, Catalogue: cat})
	if err != nil {
		t.Fatal(err)
	}
	env := &check.Env{Dialer: &net.Dialer{Timeout: 3 * time.Second}, Now: time.Now, ArtifactDir: t.TempDir()}
	var devs []device.Device
	for _, s := range l.Manifest().Devices {
		devs = append(devs, deviceFromSpec(s))
	}
	out := map[string][]finding.Finding{}
	for _, f := range check.Run(t.Context(), env, []check.Checker{c}, devs, 8) {
		out[f.Address.String()] = append(out[f.Address.String()], f)
	}
	return out
}

// TestLab runs the check on every lab device at depth "common" and asserts
// that exactly the planted set is found: every no-password, default and
// weak credential (auth.<p>) and cleartext login (auth.cleartext), except
// the states the lab marks unverifiable by design (auth.<p>.unverifiable,
// with the reason: a JavaScript form, DVRIP, a per-device stream path),
// for which nothing may be reported; and that no device saw as many failed
// logins as locks it.
func TestLab(t *testing.T) {
	l := startLab(t, "127.78.40")
	got := labFindings(t, l, creds.DepthCommon)
	cat, err := creds.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range l.Manifest().Devices {
		t.Run(s.Name, func(t *testing.T) {
			want := map[string]bool{}
			for _, proto := range strings.Split(s.Planted["auth.cleartext"], ",") {
				if proto != "" {
					want["AUTH-CLEARTEXT-"+strings.ToUpper(proto)] = true
				}
			}
			for k, v := range s.Planted {
				proto, ok := strings.CutPrefix(k, "auth.")
				if !ok || strings.Contains(proto, ".") {
					continue
				}
				if why := s.Planted[k+".unverifiable"]; why != "" {
					t.Logf("%s %s: not verifiable by design: %s", k, v, why)
					continue
				}
				switch v {
				case "none":
					want["AUTH-NONE-"+strings.ToUpper(proto)] = true
				case "default":
					want["AUTH-DEFAULT-"+strings.ToUpper(proto)] = true
				case "weak":
					want["AUTH-WEAK-"+strings.ToUpper(proto)] = true
				}
			}
			have := map[string]bool{}
			for _, f := range got[s.Address] {
				have[f.ID] = true
				if f.Checkpoint != finding.CheckAuth || f.Title.EN == "" || f.Title.JA == "" || f.Remediation.JA == "" {
					t.Errorf("finding %s incomplete: %+v", f.ID, f)
				}
				if !want[f.ID] {
					t.Errorf("false positive %s (evidence %v)", f.ID, f.Evidence)
				}
				if _, leaked := f.Evidence["password"]; leaked {
					t.Errorf("%s carries a password without ShowSecrets", f.ID)
				}
			}
			for id := range want {
				if !have[id] {
					t.Errorf("planted %s not found", id)
				}
			}
			total := 0
			for _, n := range l.Failures(netip.MustParseAddr(s.Address)) {
				total += n
			}
			logins, _ := l.Logins(netip.MustParseAddr(s.Address))
			t.Logf("findings %v; %d failed and %d accepted logins", slices.Sorted(maps.Keys(have)), total, logins)
			if p := cat.Lockout(s.Vendor); p.Known && p.Threshold > 0 && total >= p.Threshold {
				t.Errorf("%d failed logins reach the lock threshold %d", total, p.Threshold)
			}
			if lim := (engineLimit(cat, s.Vendor)); total > lim {
				t.Errorf("%d failed logins exceed the device budget %d", total, lim)
			}
		})
	}
}

func engineLimit(cat *creds.Catalog, vendor string) int {
	var p engine.BudgetPolicy
	if lock := cat.Lockout(vendor); lock.Known && lock.Threshold > 0 {
		p.LockThreshold = lock.Threshold
	}
	return p.DeviceLimit()
}
