package scope

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"slices"
	"strings"
)

// Resolver looks hostnames up. *net.Resolver satisfies it; tests inject a
// fake so that no DNS traffic is sent.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Options tunes Parse.
type Options struct {
	// Excludes are tokens in the same syntax as targets (including @file)
	// whose addresses are never scanned. Exclusions always win.
	Excludes []string
	// AllowPublic permits addresses outside the private blocks listed in
	// the package documentation. Multicast, broadcast, reserved and
	// unspecified addresses are refused even then.
	AllowPublic bool
	// Resolver resolves hostnames; nil means net.DefaultResolver.
	Resolver Resolver
	// OpenFile opens @file lists, which are read as a stream within
	// MaxTargetFileBytes, MaxTargetFileLines and MaxTargetLineBytes;
	// nil means os.Open.
	OpenFile func(name string) (io.ReadCloser, error)
}

// Target is one address to scan, with the hostname it came from if the user
// named it by hostname.
type Target struct {
	Addr     netip.Addr
	Hostname string
}

// Scope is a parsed, validated, deduplicated set of target addresses. It
// stores address intervals, never individual addresses, so a /8 costs the
// same memory as a single host. It is safe for concurrent use after Parse.
type Scope struct {
	targets     []interval // merged targets minus exclusions, ascending
	hosts       []hostEntry
	guard       []classRange
	allowPublic bool
	summary     []string // target tokens as written, for String
	excludes    int      // number of exclude tokens, for String
}

// hostEntry remembers the hostname that produced a resolved address.
type hostEntry struct {
	fam  family
	n    u128
	name string
}

// Parse validates targets and excludes and builds a Scope. Every token is
// checked before anything is returned: on the first bad token it returns a
// *TargetError naming it, and no Scope. Hostnames are resolved through
// opts.Resolver and every resolved address goes through the guard.
func Parse(ctx context.Context, targets []string, opts Options) (*Scope, error) {
	if opts.OpenFile == nil {
		opts.OpenFile = openFile
	}
	if opts.Resolver == nil {
		opts.Resolver = net.DefaultResolver
	}
	s := &Scope{guard: newGuardTable(), allowPublic: opts.AllowPublic}
	toks, err := expand(ctx, targets, opts.OpenFile)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, &TargetError{Reason: "no targets given"}
	}
	var ivs []interval
	var hosts []hostEntry
	for _, t := range toks {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s.summary = append(s.summary, t.text)
		got, names, err := s.targetToken(ctx, opts.Resolver, t)
		if err != nil {
			return nil, err
		}
		ivs = append(ivs, got...)
		hosts = append(hosts, names...)
	}
	exToks, err := expand(ctx, opts.Excludes, opts.OpenFile)
	if err != nil {
		return nil, err
	}
	var ex []interval
	for _, t := range exToks {
		got, err := excludeToken(ctx, opts.Resolver, t)
		if err != nil {
			return nil, err
		}
		ex = append(ex, got...)
	}
	s.excludes = len(exToks)
	s.targets = subtract(merge(ivs), merge(ex))
	s.hosts = s.keepHosts(hosts)
	return s, nil
}

// targetToken parses one target token and applies the guard to it.
func (s *Scope) targetToken(ctx context.Context, r Resolver, t token) ([]interval, []hostEntry, error) {
	p, err := parseToken(t)
	if err != nil {
		return nil, nil, err
	}
	if p.hostname == "" {
		if d := p.iv.hi.sub(p.iv.lo); p.iv.fam == v6 && d.hi != 0 {
			return nil, nil, t.fail("IPv6 block larger than a /64 is refused; split it into /64s or smaller", nil)
		}
		if reason := check(s.guard, p.iv, s.allowPublic); reason != "" {
			return nil, nil, t.fail(reason, nil)
		}
		return []interval{p.iv}, nil, nil
	}
	addrs, err := resolve(ctx, r, t, p.hostname)
	if err != nil {
		return nil, nil, err
	}
	ivs := make([]interval, 0, len(addrs))
	hosts := make([]hostEntry, 0, len(addrs))
	for _, a := range addrs {
		f, n := fromAddr(a)
		iv := interval{fam: f, lo: n, hi: n}
		if reason := check(s.guard, iv, s.allowPublic); reason != "" {
			return nil, nil, t.fail(fmt.Sprintf("resolves to %s: %s", a, reason), nil)
		}
		ivs = append(ivs, iv)
		hosts = append(hosts, hostEntry{fam: f, n: n, name: p.hostname})
	}
	return ivs, hosts, nil
}

// excludeToken parses one exclude token. Excludes are not guarded: any
// syntactically valid block may be excluded.
func excludeToken(ctx context.Context, r Resolver, t token) ([]interval, error) {
	p, err := parseToken(t)
	if err != nil {
		return nil, err
	}
	if p.hostname == "" {
		return []interval{p.iv}, nil
	}
	addrs, err := resolve(ctx, r, t, p.hostname)
	if err != nil {
		return nil, err
	}
	ivs := make([]interval, len(addrs))
	for i, a := range addrs {
		f, n := fromAddr(a)
		ivs[i] = interval{fam: f, lo: n, hi: n}
	}
	return ivs, nil
}

// keepHosts sorts hostname entries, keeps the first name given for each
// address, and drops addresses that were excluded.
func (s *Scope) keepHosts(hosts []hostEntry) []hostEntry {
	slices.SortStableFunc(hosts, func(a, b hostEntry) int {
		return cmpInterval(interval{fam: a.fam, lo: a.n}, interval{fam: b.fam, lo: b.n})
	})
	out := hosts[:0]
	for _, h := range hosts {
		if n := len(out); n > 0 && out[n-1].fam == h.fam && out[n-1].n == h.n {
			continue
		}
		if search(s.targets, h.fam, h.n) {
			out = append(out, h)
		}
	}
	return out
}

// walkCheckEvery is how many addresses Walk yields between context checks.
const walkCheckEvery = 1024

// Walk calls fn for every target address in ascending order, IPv4 before
// IPv6, each address once; a nil Scope has none. It computes addresses from intervals as it goes,
// so memory use does not depend on the size of the scope. It stops when fn
// returns false (returning nil) or when ctx is done (returning ctx.Err()).
func (s *Scope) Walk(ctx context.Context, fn func(Target) bool) error {
	if s == nil {
		return nil
	}
	h := 0
	count := 0
	for _, iv := range s.targets {
		for n := iv.lo; ; n = n.next() {
			if count++; count%walkCheckEvery == 0 {
				if err := ctx.Err(); err != nil {
					return fmt.Errorf("scope walk: %w", err)
				}
			}
			t := Target{Addr: toAddr(iv.fam, n)}
			for h < len(s.hosts) && cmpInterval(interval{fam: s.hosts[h].fam, lo: s.hosts[h].n}, interval{fam: iv.fam, lo: n}) < 0 {
				h++
			}
			if h < len(s.hosts) && s.hosts[h].fam == iv.fam && s.hosts[h].n == n {
				t.Hostname = s.hosts[h].name
			}
			if !fn(t) {
				return nil
			}
			if n == iv.hi {
				break
			}
		}
	}
	return nil
}

// Size returns the number of target addresses, saturating at MaxUint64;
// a nil Scope has none.
func (s *Scope) Size() uint64 {
	if s == nil {
		return 0
	}
	var total uint64
	for _, iv := range s.targets {
		n := iv.size()
		if total+n < total {
			return ^uint64(0)
		}
		total += n
	}
	return total
}

// Overlaps reports whether any target of the scope lies in the network p
// (for instance, whether an interface's network holds part of the scope).
func (s *Scope) Overlaps(p netip.Prefix) bool {
	if s == nil || !p.IsValid() {
		return false
	}
	if a := p.Addr(); a.Is4In6() {
		if p.Bits() < 96 {
			return false
		}
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	iv := prefixInterval(p.Masked())
	for _, t := range s.targets {
		if t.overlaps(iv) {
			return true
		}
	}
	return false
}

// Permits is the guard the engine consults before every connection: it
// reports whether addr is in scope, not excluded, not multicast, broadcast,
// reserved or unspecified, and not public unless AllowPublic was set.
func (s *Scope) Permits(addr netip.Addr) bool {
	if s == nil || !addr.IsValid() {
		return false
	}
	f, n := fromAddr(addr.Unmap().WithZone(""))
	switch classify(s.guard, f, n) {
	case classPrivate:
	case classPublic:
		if !s.allowPublic {
			return false
		}
	default:
		return false
	}
	return search(s.targets, f, n)
}

// summaryTokens is how many target tokens String names before "and N more".
const summaryTokens = 3

// String summarises the scope for reports, e.g.
// "127.77.0.0/24 minus 1 exclusion".
func (s *Scope) String() string {
	if s == nil {
		return "empty scope"
	}
	var b strings.Builder
	shown := s.summary
	if len(shown) > summaryTokens {
		shown = shown[:summaryTokens]
	}
	b.WriteString(strings.Join(shown, ", "))
	if more := len(s.summary) - len(shown); more > 0 {
		fmt.Fprintf(&b, " and %d more", more)
	}
	switch s.excludes {
	case 0:
	case 1:
		b.WriteString(" minus 1 exclusion")
	default:
		fmt.Fprintf(&b, " minus %d exclusions", s.excludes)
	}
	return b.String()
}
