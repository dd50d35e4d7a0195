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
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/probe"
)

// deviceFromSpec builds the identified device a correct scan produces
// from the lab's manifest entry before any login: the model and firmware
// it shows without credentials.
func deviceFromSpec(s lab.DeviceSpec) device.Device {
	d := device.Device{Address: netip.MustParseAddr(s.Address), Identity: map[string]device.Attribute{
		probe.AttrVendor: {Value: s.Vendor}, probe.AttrType: {Value: s.Type}}}
	if s.Shown("model", false) {
		d.Identity[probe.AttrModel] = device.Attribute{Value: s.Model}
	}
	if s.Shown("firmware", false) {
		d.Identity[probe.AttrFirmware] = device.Attribute{Value: s.Firmware}
	}
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
	out, _ := labRun(t, l, depth)
	return out
}

// labRun runs the check on every lab device as a correct scan identifies
// it and returns the findings by address and the devices as the check
// left them (with the claims it read after login).
func labRun(t *testing.T, l *lab.Lab, depth creds.Depth) (map[string][]finding.Finding, map[string]device.Device) {
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
	byAddr := map[string]device.Device{}
	for _, d := range devs {
		byAddr[d.Address.String()] = d
	}
	return out, byAddr
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
			want[finding.IDAuthCoverage] = true
			have := map[string]bool{}
			for _, f := range got[s.Address] {
				if f.ID == finding.IDAuthCoverage && have[f.ID] {
					t.Errorf("more than one %s", f.ID)
				}
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
			checkCoverage(t, s, got[s.Address])
			checkLabBudget(t, l, cat, s, slices.Sorted(maps.Keys(have)))
		})
	}
}

// checkLabBudget: the failed logins the lab device counted stay within
// the budget the check gives its vendor: per account (user name, over
// every protocol) the account limit, per account domain the device cap,
// and below the vendor's known lock: per account when it locks accounts,
// per domain when it locks the client.
func checkLabBudget(t *testing.T, l *lab.Lab, cat *creds.Catalog, s lab.DeviceSpec, ids []string) {
	t.Helper()
	addr := netip.MustParseAddr(s.Address)
	c, err := New(Options{Catalogue: cat})
	if err != nil {
		t.Fatal(err)
	}
	policy, lock := c.policy(s.Vendor), cat.Lockout(s.Vendor)
	perDomain, total := map[string]int{}, 0
	for proto, n := range l.Failures(addr) {
		perDomain[cat.Domain(s.Vendor, proto).Name] += n
		total += n
	}
	logins, _ := l.Logins(addr)
	t.Logf("findings %v; %d failed and %d accepted logins, per account domain %v", ids, total, logins, perDomain)
	for dom, n := range perDomain {
		if n > policy.DeviceLimit() {
			t.Errorf("%d failed logins in account domain %q exceed the device cap %d", n, dom, policy.DeviceLimit())
		}
		if lock.Known && lock.Threshold > 0 && lock.Scope != creds.ScopeAccount && n >= lock.Threshold {
			t.Errorf("%d failed logins in account domain %q reach the lock threshold %d", n, dom, lock.Threshold)
		}
	}
	accounts, lockouts := l.AccountFailures(addr)
	for user, n := range accounts {
		if n > policy.Limit() {
			t.Errorf("account %q: %d failed logins, limit %d", user, n, policy.Limit())
		}
	}
	if lockouts > 0 {
		t.Errorf("the device locked %d times", lockouts)
	}
}

// TestLabIdentityAfterLogin: on every lab device whose factory default
// opens its identity (identity.after_login), the check reads the model
// and firmware the manifest holds with the vendor's API in the login's
// session and adds them to the device as read after login with the
// factory default; a device that already shows them is not asked again.
func TestLabIdentityAfterLogin(t *testing.T) {
	l := startLab(t, "127.78.43")
	_, devs := labRun(t, l, creds.DepthDefault)
	for _, s := range l.Manifest().Devices {
		t.Run(s.Name, func(t *testing.T) {
			read := map[string]string{}
			for _, sv := range devs[s.Address].Services {
				for _, c := range sv.Claims {
					if strings.Contains(c.Source, "read after login") {
						if !strings.HasSuffix(c.Source, "read after login with the factory default") ||
							(c.Attr != probe.AttrVendor && c.Confidence < 0.9) {
							t.Errorf("claim %+v: want a factory-default source and a high confidence", c)
						}
						read[c.Attr] = c.Value
					}
				}
			}
			after := s.Planted["identity.after_login"]
			if after == "" {
				if len(read) > 0 && s.Shown("model", false) && s.Shown("firmware", false) {
					t.Errorf("identity read again on a device that shows it: %v", read)
				}
				return
			}
			for _, attr := range strings.Split(after, ",") {
				want := map[string]string{"model": s.Model, "firmware": s.Firmware}[attr]
				if read[attr] != want {
					t.Errorf("%s read after login = %q, want %q (all: %v)", attr, read[attr], want, read)
				}
			}
		})
	}
}

// checkCoverage: the AUTH-COVERAGE lists agree with what is planted: a
// verifiable default or weak password's protocol is in accepted, an open
// one in open, and a strong one in neither.
func checkCoverage(t *testing.T, s lab.DeviceSpec, fs []finding.Finding) {
	t.Helper()
	var ev map[string]string
	for _, f := range fs {
		if f.ID == finding.IDAuthCoverage {
			ev = f.Evidence
		}
	}
	in := func(list, proto string) bool {
		for _, item := range strings.Split(ev[list], ",") {
			if strings.HasPrefix(item, proto+"/") {
				return true
			}
		}
		return false
	}
	for k, v := range s.Planted {
		proto, ok := strings.CutPrefix(k, "auth.")
		if !ok || strings.Contains(proto, ".") || s.Planted[k+".unverifiable"] != "" || proto == "cleartext" {
			continue
		}
		switch v {
		case "default", "weak":
			if !in(finding.CoverageAccepted, proto) {
				t.Errorf("coverage accepted %q lacks %s (planted %s)", ev[finding.CoverageAccepted], proto, v)
			}
		case "none":
			if !in(finding.CoverageOpen, proto) {
				t.Errorf("coverage open %q lacks %s", ev[finding.CoverageOpen], proto)
			}
		default:
			if in(finding.CoverageAccepted, proto) || in(finding.CoverageOpen, proto) {
				t.Errorf("coverage lists %s (planted %s) as accepted or open: %v", proto, v, ev)
			}
		}
	}
}
