package scope

import (
	"fmt"
	"net/netip"
)

// publicReason is the advice given when a target is public.
const publicReason = "scanning hosts you do not own may be illegal; pass --allow-public if you are authorised"

// addrClass is what the guard thinks of an address.
type addrClass uint8

const (
	classPublic      addrClass = iota // routable on the Internet: needs AllowPublic
	classPrivate                      // loopback, RFC 1918, link-local, CGNAT, ULA: allowed
	classUnspecified                  // 0.0.0.0/8, ::: never scanned
	classMulticast                    // 224.0.0.0/4, ff00::/8: never scanned
	classReserved                     // 240.0.0.0/4 incl. 255.255.255.255: never scanned
)

func (c addrClass) String() string {
	switch c {
	case classPrivate:
		return "private"
	case classUnspecified:
		return "unspecified"
	case classMulticast:
		return "multicast"
	case classReserved:
		return "reserved or broadcast"
	}
	return "public"
}

// classRange is a block of addresses with its class. The table is sorted,
// blocks are disjoint, and anything not listed is public.
type classRange struct {
	iv    interval
	class addrClass
}

// newGuardTable lists the non-public blocks in ascending order. It is built
// for each Scope rather than held in a package variable.
func newGuardTable() []classRange {
	blocks := []struct {
		prefix string
		class  addrClass
	}{
		{"0.0.0.0/8", classUnspecified},
		{"10.0.0.0/8", classPrivate},
		{"100.64.0.0/10", classPrivate},
		{"127.0.0.0/8", classPrivate},
		{"169.254.0.0/16", classPrivate},
		{"172.16.0.0/12", classPrivate},
		{"192.168.0.0/16", classPrivate},
		{"224.0.0.0/4", classMulticast},
		{"240.0.0.0/4", classReserved},
		{"::/128", classUnspecified},
		{"::1/128", classPrivate},
		{"fc00::/7", classPrivate},
		{"fe80::/10", classPrivate},
		{"ff00::/8", classMulticast},
	}
	table := make([]classRange, len(blocks))
	for i, b := range blocks {
		table[i] = classRange{iv: prefixInterval(netip.MustParsePrefix(b.prefix)), class: b.class}
	}
	return table
}

// classify returns the class of one address.
func classify(table []classRange, f family, n u128) addrClass {
	for _, r := range table {
		if r.iv.contains(f, n) {
			return r.class
		}
	}
	return classPublic
}

// check returns why an interval of targets must be refused, or "" if it may
// be scanned. Never-scannable blocks are refused even with allowPublic; a
// range that contains any public address is refused as a whole unless
// allowPublic is set. The reason names the first offending address.
func check(table []classRange, iv interval, allowPublic bool) string {
	single := iv.lo == iv.hi
	for _, r := range table {
		if r.class == classPrivate || !r.iv.overlaps(iv) {
			continue
		}
		if single {
			return fmt.Sprintf("%s address cannot be scanned", r.class)
		}
		first := r.iv.lo
		if iv.lo.cmp(first) > 0 {
			first = iv.lo
		}
		return fmt.Sprintf("contains %s address %s, which cannot be scanned", r.class, toAddr(iv.fam, first))
	}
	if allowPublic {
		return ""
	}
	pub, ok := firstPublic(table, iv)
	if !ok {
		return ""
	}
	if single {
		return "public address: " + publicReason
	}
	return fmt.Sprintf("contains public address %s: %s", toAddr(iv.fam, pub), publicReason)
}

// firstPublic returns the lowest address of iv not covered by the guard
// table. Because the table is sorted and disjoint, one pass suffices.
func firstPublic(table []classRange, iv interval) (u128, bool) {
	cur := iv.lo
	for _, r := range table {
		if !r.iv.contains(iv.fam, cur) {
			continue
		}
		if r.iv.hi.cmp(iv.hi) >= 0 {
			return u128{}, false
		}
		cur = r.iv.hi.next()
	}
	return cur, true
}
