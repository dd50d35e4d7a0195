package scope

import (
	"net/netip"
	"testing"
)

// fuzzWalkLimit bounds how many addresses one fuzz case walks.
const fuzzWalkLimit = 4096

// allowedOracle is the guard written independently of guard.go, with
// netip.Prefix.Contains instead of interval arithmetic.
var allowedOracle = []string{
	"127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
	"169.254.0.0/16", "100.64.0.0/10", "::1/128", "fe80::/10", "fc00::/7",
}

func oraclePrivate(a netip.Addr) bool {
	for _, p := range allowedOracle {
		if netip.MustParsePrefix(p).Contains(a) {
			return true
		}
	}
	return false
}

func oracleNeverScan(a netip.Addr) bool {
	return a.IsMulticast() || a.IsUnspecified() ||
		(a.Is4() && (a.As4()[0] == 0 || a.As4()[0] >= 240))
}

// rawIntervals parses tokens one by one, without merging or subtracting, so
// that membership can be checked naively against the interval algebra.
func rawIntervals(t *testing.T, args []string, opts Options) []interval {
	toks, err := expand(t.Context(), args, opts.OpenFile)
	if err != nil {
		t.Fatalf("expand after a successful Parse: %v", err)
	}
	var out []interval
	for _, tok := range toks {
		p, err := parseToken(tok)
		if err != nil {
			t.Fatalf("parseToken(%q) after a successful Parse: %v", tok.text, err)
		}
		if p.hostname == "" {
			out = append(out, p.iv)
			continue
		}
		addrs, err := resolve(t.Context(), opts.Resolver, tok, p.hostname)
		if err != nil {
			t.Fatalf("resolve(%q) after a successful Parse: %v", p.hostname, err)
		}
		for _, a := range addrs {
			f, n := fromAddr(a)
			out = append(out, interval{fam: f, lo: n, hi: n})
		}
	}
	return out
}

func inAny(ivs []interval, a netip.Addr) bool {
	f, n := fromAddr(a)
	for _, iv := range ivs {
		if iv.contains(f, n) {
			return true
		}
	}
	return false
}

// FuzzScope checks, for arbitrary target and exclude lists, that every
// address Walk yields is in some target, in no exclusion, permitted by the
// guard, never public without AllowPublic, never multicast/broadcast/
// unspecified, and yielded once in ascending order.
func FuzzScope(f *testing.F) {
	seeds := []struct {
		targets, excludes string
		public            bool
	}{
		{"127.77.0.0/24", "127.77.0.1", false},
		{"10.0.0.0/8", "10.0.0.0/9,10.200.0.0/16", false},
		{"192.168.1.0/24,192.168.1.128/25", "nvr.lan", false},
		{"@hosts.txt", "@exclude.txt", false},
		{"10.0.0.250-10.0.1.5 10.0.0.1-4", "10.0.0.3-10.0.0.255", false},
		{"fd00::1-fd00::ff", "fd00::80/121", false},
		{"fd00::/64", "fd00::/65", false},
		{"cam-1.lan localhost", "::1", false},
		{"192.0.2.0/24", "192.0.2.128/25", true},
		{"8.8.8.8", "", false},
		{"0.0.0.0/0", "", true},
		{"172.16.0.0/12,100.64.0.0/10", "172.16.0.0/13", false},
		{"10.0.0.300", "", false},
		{"fe80::1%eth0", "", false},
	}
	for _, s := range seeds {
		f.Add(s.targets, s.excludes, s.public)
	}
	f.Fuzz(func(t *testing.T, targets, excludes string, public bool) {
		opts := testOptions()
		opts.AllowPublic = public
		opts.Excludes = []string{excludes}
		s, err := Parse(t.Context(), []string{targets}, opts)
		if err != nil {
			if _, ok := err.(*TargetError); !ok || s != nil {
				t.Fatalf("Parse error %T %v with scope %v", err, err, s)
			}
			return
		}
		inTargets := rawIntervals(t, []string{targets}, opts)
		excluded := rawIntervals(t, opts.Excludes, opts)
		var prev netip.Addr
		var count uint64
		err = s.Walk(t.Context(), func(tg Target) bool {
			a := tg.Addr
			switch {
			case prev.IsValid() && !prev.Less(a):
				t.Fatalf("%v yielded after %v", a, prev)
			case !s.Permits(a):
				t.Fatalf("%v yielded but not permitted", a)
			case inAny(excluded, a):
				t.Fatalf("excluded %v yielded", a)
			case !inAny(inTargets, a):
				t.Fatalf("%v yielded but in no target", a)
			case !public && !oraclePrivate(a):
				t.Fatalf("public %v yielded without AllowPublic", a)
			case oracleNeverScan(a):
				t.Fatalf("unscannable %v yielded", a)
			}
			prev = a
			count++
			return count < fuzzWalkLimit
		})
		if err != nil {
			t.Fatalf("Walk: %v", err)
		}
		if size := s.Size(); count < fuzzWalkLimit && count != size {
			t.Fatalf("walked %d addresses, Size %d", count, size)
		}
	})
}
