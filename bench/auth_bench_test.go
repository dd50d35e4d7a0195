package bench

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/check/auth"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/probe"
)

// authLabPrefix keeps the auth benchmark's lab apart from the others.
const authLabPrefix = "127.87.30"

// nmapAuthScripts is what the comparison runs: nmap's credential guesser
// for web logins and its RTSP route guesser.
const nmapAuthScripts = "http-default-accounts,rtsp-url-brute"

// attempts is one device's login attempts as the lab counted them, with
// the refused ones per protocol.
type attempts struct {
	accepted, refused int
	perProto          map[string]int
}

// worstDomain returns the most refused logins in one account domain of
// a device of vendor, and that domain.
func (a attempts) worstDomain(cat *creds.Catalog, vendor string) (int, string) {
	per := map[string]int{}
	for proto, n := range a.perProto {
		per[cat.Domain(vendor, proto).Name] += n
	}
	worst, dom := 0, ""
	for d, n := range per {
		if n > worst || (n == worst && d < dom) {
			worst, dom = n, d
		}
	}
	return worst, dom
}

func (a attempts) total() int { return a.accepted + a.refused }

// BenchmarkAuthAttempts is the attempts benchmark of the authentication
// check: camwarden's auth check (depth default) on every lab device, then
// `nmap --script http-default-accounts,rtsp-url-brute` on the same devices
// and ports in the same run (lab counters reset in between), next to a
// blind list as long as nmap's credential list. It reports the median
// attempts of devices with a factory default and the worst device's failed
// attempts against its budget, and prints the per-device table.
func BenchmarkAuthAttempts(b *testing.B) {
	nmap := requireNmap(b)
	ctx := b.Context()
	l, err := lab.Start(ctx, lab.Options{Prefix: authLabPrefix})
	if err != nil {
		b.Fatalf("start lab: %v", err)
	}
	defer l.Close()
	cat, err := creds.Default()
	if err != nil {
		b.Fatal(err)
	}
	devs := l.Manifest().Devices
	cw := map[string]attempts{}
	for b.Loop() {
		l.ResetCounters()
		if err := runAuthCheck(ctx, cat, devs); err != nil {
			b.Fatal(err)
		}
		cw = labAttempts(l, devs)
	}
	b.StopTimer()
	l.ResetCounters()
	nmapTook, err := runNmapAuth(ctx, nmap, devs)
	if err != nil {
		b.Fatal(err)
	}
	nm := labAttempts(l, devs)
	listSize, err := nmapCredentialCount()
	if err != nil {
		b.Fatal(err)
	}
	median, worst, worstBudget := summarise(b, cat, devs, cw, nm, listSize)
	b.ReportMetric(median, "median-attempts/default-device")
	b.ReportMetric(float64(worst), "max-failures/domain")
	b.ReportMetric(float64(worstBudget), "budget-at-max")
	b.ReportMetric(nmapTook.Seconds(), "nmap-s")
	if median > 2 {
		b.Errorf("median attempts on devices with a factory default = %.1f, want <= 2", median)
	}
}

// runAuthCheck runs the auth check at depth default on the devices a
// correct scan identifies before any login (the manifest's identity as
// shown without credentials, and its services).
func runAuthCheck(ctx context.Context, cat *creds.Catalog, devs []lab.DeviceSpec) error {
	c, err := auth.New(auth.Options{Depth: creds.DepthDefault, Catalogue: cat})
	if err != nil {
		return err
	}
	env := &check.Env{Dialer: &net.Dialer{Timeout: 3 * time.Second}, Now: time.Now}
	var ds []device.Device
	for _, s := range devs {
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
		ds = append(ds, d)
	}
	check.Run(ctx, env, []check.Checker{c}, ds, 8)
	return nil
}

func labAttempts(l *lab.Lab, devs []lab.DeviceSpec) map[string]attempts {
	out := map[string]attempts{}
	for _, s := range devs {
		ok, bad := l.Logins(netip.MustParseAddr(s.Address))
		out[s.Name] = attempts{ok, bad, l.Failures(netip.MustParseAddr(s.Address))}
	}
	return out
}

// authPorts are the lab's HTTP(S) and RTSP ports, what nmap's scripts
// apply to.
func authPorts(devs []lab.DeviceSpec) (ports []string, surfaces map[string]int) {
	seen := map[uint16]bool{}
	surfaces = map[string]int{}
	for _, s := range devs {
		for _, sv := range s.Services {
			if sv.Protocol != "http" && sv.Protocol != "https" && sv.Protocol != "rtsp" {
				continue
			}
			surfaces[s.Name]++
			if !seen[sv.Port] {
				seen[sv.Port] = true
				ports = append(ports, fmt.Sprint(sv.Port))
			}
		}
	}
	slices.Sort(ports)
	return ports, surfaces
}

// runNmapAuth runs nmap's scripts on the lab's devices (an address range
// inside 127.87.30.0/24) and HTTP/RTSP ports.
func runNmapAuth(ctx context.Context, nmap string, devs []lab.DeviceSpec) (time.Duration, error) {
	ports, _ := authPorts(devs)
	var addrs []string
	for _, s := range devs {
		addrs = append(addrs, s.Address)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	args := []string{"-Pn", "-n", "-sT", "-T4", "-p", strings.Join(ports, ","), "--script", nmapAuthScripts, "-oX", "-"}
	start := time.Now()
	if out, err := exec.CommandContext(ctx, nmap, append(args, addrs...)...).CombinedOutput(); err != nil {
		return time.Since(start), fmt.Errorf("nmap %s: %w (%s)", strings.Join(args, " "), err, trim(string(out), 200))
	}
	return time.Since(start), nil
}

// nmapCredentialCount counts the username/password pairs of nmap's
// http-default-accounts fingerprints: the size of its credential list.
func nmapCredentialCount() (int, error) {
	for _, dir := range []string{"/usr/share/nmap", "/usr/local/share/nmap"} {
		b, err := os.ReadFile(dir + "/nselib/data/http-default-accounts-fingerprints.lua")
		if err == nil {
			return len(regexp.MustCompile(`\{\s*username\s*=`).FindAll(b, -1)), nil
		}
	}
	return 0, fmt.Errorf("nmap's http-default-accounts-fingerprints.lua not found")
}

// policyFor is the budget policy the auth check gives a device of
// vendor (auth.Checker builds it the same way from the catalogue).
func policyFor(cat *creds.Catalog, vendor string) engine.BudgetPolicy {
	var p engine.BudgetPolicy
	switch l := cat.Lockout(vendor); {
	case l.Known && l.Threshold > 0:
		p.LockThreshold, p.LockPerAccount = l.Threshold, l.Scope == creds.ScopeAccount
	case l.Unlisted:
		p.UnknownVendorCap = cat.UnknownVendorCap()
	}
	return p
}

// summarise prints the table and returns the median attempts of devices
// with a planted factory default, and the most failures one account
// domain of one device saw with that domain's cap.
func summarise(b *testing.B, cat *creds.Catalog, devs []lab.DeviceSpec, cw, nm map[string]attempts, listSize int) (float64, int, int) {
	_, surfaces := authPorts(devs)
	var sb strings.Builder
	fmt.Fprintf(&sb, "\n%-26s %-8s %12s %12s %8s %7s %12s\n", "device", "default", "camwarden", "nmap", "budget", "lock", "blind(list)")
	var defaults []int
	worst, worstBudget, cwSum, nmSum, blindSum := 0, 0, 0, 0, 0
	for _, s := range devs {
		hasDefault := false
		for k, v := range s.Planted {
			hasDefault = hasDefault || (strings.HasPrefix(k, "auth.") && v == "default")
		}
		p := policyFor(cat, s.Vendor)
		lock := "-"
		if pol := cat.Lockout(s.Vendor); pol.Known && pol.Threshold > 0 {
			lock = fmt.Sprint(pol.Threshold)
			if pol.Scope == creds.ScopeAccount {
				lock += "/acct"
			}
		}
		c, n := cw[s.Name], nm[s.Name]
		if hasDefault {
			defaults = append(defaults, c.total())
		}
		dw, dom := c.worstDomain(cat, s.Vendor)
		if dw > worst || (dw == worst && p.DeviceLimit() < worstBudget) {
			worst, worstBudget = dw, p.DeviceLimit()
		}
		if dw > p.DeviceLimit() {
			b.Errorf("%s: %d failed logins in account domain %q exceed its cap %d", s.Name, dw, dom, p.DeviceLimit())
		}
		blind := listSize * surfaces[s.Name]
		cwSum, nmSum, blindSum = cwSum+c.total(), nmSum+n.total(), blindSum+blind
		fmt.Fprintf(&sb, "%-26s %-8v %5d (%2d ✗) %5d (%2d ✗) %8d %7s %12d\n", s.Name, hasDefault,
			c.total(), c.refused, n.total(), n.refused, p.DeviceLimit(), lock, blind)
	}
	fmt.Fprintf(&sb, "%-26s %-8s %12d %12d %8s %7s %12d\n", "total", "", cwSum, nmSum, "", "", blindSum)
	fmt.Fprintf(&sb, "attempts = logins the lab checked (accepted + refused ✗); budget = failed logins camwarden allows per account domain\n"+
		"(web/RTSP/ONVIF, telnet/SSH/FTP, SNMP, a vendor's separate list) of the device, 3 per account over all; lock /acct = per account;\n"+
		"blind = nmap's credential list (%d pairs) on each HTTP/RTSP port, count only, never sent\n", listSize)
	b.Log(sb.String())
	slices.Sort(defaults)
	median := 0.0
	if n := len(defaults); n > 0 {
		median = float64(defaults[n/2])
		if n%2 == 0 {
			median = float64(defaults[n/2-1]+defaults[n/2]) / 2
		}
	}
	return median, worst, worstBudget
}
