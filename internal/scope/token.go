package scope

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
)

// token is one target or exclude as written, with where it came from.
type token struct {
	text   string
	origin string // "" for the command line, else "hosts.txt line 3"
}

// fail builds the TargetError for a token, noting the file line if any.
func (t token) fail(reason string, err error) *TargetError {
	if t.origin != "" {
		reason += " (" + t.origin + ")"
	}
	return &TargetError{Token: t.text, Reason: reason, Err: err}
}

// splitTokens splits an argument on commas and white space.
func splitTokens(arg string) []string {
	return strings.FieldsFunc(arg, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\r' || r == '\n'
	})
}

// expand turns arguments into tokens, streaming @file lists through open
// (see readTargetFile for the caps). Files hold one or more tokens per
// line; '#' starts a comment. Files may not name other files.
func expand(ctx context.Context, args []string, open func(string) (io.ReadCloser, error)) ([]token, error) {
	var out []token
	for _, arg := range args {
		for _, t := range splitTokens(arg) {
			if !strings.HasPrefix(t, "@") {
				out = append(out, token{text: t})
				continue
			}
			name := t[1:]
			if name == "" {
				return nil, &TargetError{Token: t, Reason: "missing file name after @"}
			}
			err := readTargetFile(ctx, name, open, func(tok token) error {
				out = append(out, tok)
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// parsed is what one token denotes: either an address block or a hostname
// still to be resolved.
type parsed struct {
	iv       interval
	hostname string
}

// parseToken parses one address, CIDR, range or hostname. It does no I/O.
func parseToken(t token) (parsed, error) {
	s := t.text
	if strings.ContainsRune(s, '%') {
		return parsed{}, t.fail("IPv6 zones are not supported; give the address without %zone", nil)
	}
	if strings.ContainsRune(s, '/') {
		return parsePrefix(t)
	}
	if i := strings.IndexByte(s, '-'); i >= 0 && (isNumericV4(s[:i]) || strings.ContainsRune(s[:i], ':')) {
		return parseRange(t, s[:i], s[i+1:])
	}
	if strings.ContainsRune(s, ':') {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return parsed{}, t.fail("invalid IPv6 address", nil)
		}
		return single(a), nil
	}
	if isNumericV4(s) || isAllDigits(s) {
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			return parsed{}, t.fail("invalid IPv4 address", nil)
		}
		return single(a), nil
	}
	if !validHostname(s) {
		return parsed{}, t.fail("not an address, CIDR, range or hostname", nil)
	}
	return parsed{hostname: strings.ToLower(strings.TrimSuffix(s, "."))}, nil
}

func single(a netip.Addr) parsed {
	f, n := fromAddr(a.Unmap())
	return parsed{iv: interval{fam: f, lo: n, hi: n}}
}

func parsePrefix(t token) (parsed, error) {
	p, err := netip.ParsePrefix(t.text)
	if err != nil {
		return parsed{}, t.fail("invalid CIDR prefix", nil)
	}
	if a := p.Addr(); a.Is4In6() {
		if p.Bits() < 96 {
			return parsed{}, t.fail("IPv4-mapped prefix shorter than /96", nil)
		}
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return parsed{iv: prefixInterval(p)}, nil
}

// parseRange parses "a.b.c.d-e", "a.b.c.d-a.b.e.f" and "x::1-x::ff".
func parseRange(t token, left, right string) (parsed, error) {
	lo, err := netip.ParseAddr(left)
	if err != nil {
		return parsed{}, t.fail("invalid range start", nil)
	}
	lo = lo.Unmap()
	var hi netip.Addr
	switch {
	case lo.Is4() && isDecimalByte(right):
		b := lo.As4()
		b[3] = byte(atoiByte(right))
		hi = netip.AddrFrom4(b)
	case lo.Is6() && isHexGroup(right):
		b := lo.As16()
		v, _ := strconv.ParseUint(right, 16, 16)
		b[14], b[15] = byte(v>>8), byte(v)
		hi = netip.AddrFrom16(b)
	default:
		hi, err = netip.ParseAddr(right)
		if err != nil {
			return parsed{}, t.fail("invalid range end", nil)
		}
		hi = hi.Unmap()
	}
	if lo.Is4() != hi.Is4() {
		return parsed{}, t.fail("range mixes IPv4 and IPv6", nil)
	}
	if hi.Less(lo) {
		return parsed{}, t.fail("range end is before its start", nil)
	}
	f, l := fromAddr(lo)
	_, h := fromAddr(hi)
	return parsed{iv: interval{fam: f, lo: l, hi: h}}, nil
}

// isNumericV4 reports whether s looks like an attempt at a dotted IPv4
// address: digits and dots only, with at least one dot.
func isNumericV4(s string) bool {
	if !strings.ContainsRune(s, '.') {
		return false
	}
	for _, r := range s {
		if r != '.' && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// isHexGroup reports whether s is one IPv6 group: 1 to 4 hex digits.
func isHexGroup(s string) bool {
	if s == "" || len(s) > 4 {
		return false
	}
	_, err := strconv.ParseUint(s, 16, 16)
	return err == nil
}

// isAllDigits reports whether s is a non-empty run of decimal digits.
func isAllDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// isDecimalByte reports whether s is a decimal number from 0 to 255.
func isDecimalByte(s string) bool {
	if s == "" || len(s) > 3 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return atoiByte(s) <= 255
}

func atoiByte(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// validHostname checks RFC 1123 syntax: dot-separated labels of letters,
// digits and inner hyphens, each at most 63 bytes, 253 in all.
func validHostname(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			ok := r == '-' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
			if !ok {
				return false
			}
		}
	}
	return true
}

// resolve looks a hostname up and returns its addresses, unmapped and
// without zones, deduplicated.
func resolve(ctx context.Context, r Resolver, t token, host string) ([]netip.Addr, error) {
	addrs, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, t.fail(fmt.Sprintf("cannot resolve hostname: %v", err), err)
	}
	seen := make(map[netip.Addr]bool, len(addrs))
	out := addrs[:0]
	for _, a := range addrs {
		a = a.Unmap().WithZone("")
		if a.IsValid() && !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, t.fail("hostname resolved to no addresses", nil)
	}
	return out, nil
}
