package scope

import (
	"encoding/binary"
	"net/netip"
	"slices"
)

// u128 is an address as a 128-bit unsigned number, so that ranges can be
// walked, merged and subtracted arithmetically. IPv4 addresses use only the
// low 32 bits of lo.
type u128 struct{ hi, lo uint64 }

var maxU128 = u128{^uint64(0), ^uint64(0)}

func (a u128) cmp(b u128) int {
	switch {
	case a.hi < b.hi:
		return -1
	case a.hi > b.hi:
		return 1
	case a.lo < b.lo:
		return -1
	case a.lo > b.lo:
		return 1
	}
	return 0
}

// next returns a+1, wrapping at the top of the 128-bit space.
func (a u128) next() u128 {
	a.lo++
	if a.lo == 0 {
		a.hi++
	}
	return a
}

// prev returns a-1, wrapping at zero.
func (a u128) prev() u128 {
	if a.lo == 0 {
		a.hi--
	}
	a.lo--
	return a
}

// sub returns a-b for a >= b.
func (a u128) sub(b u128) u128 {
	lo := a.lo - b.lo
	hi := a.hi - b.hi
	if a.lo < b.lo {
		hi--
	}
	return u128{hi, lo}
}

// family is the address family of an interval.
type family uint8

const (
	v4 family = iota
	v6
)

// familyMax is the highest address of each family.
func familyMax(f family) u128 {
	if f == v4 {
		return u128{0, 0xffffffff}
	}
	return maxU128
}

// fromAddr converts an unmapped, zoneless address to its family and number.
func fromAddr(a netip.Addr) (family, u128) {
	if a.Is4() {
		b := a.As4()
		return v4, u128{0, uint64(binary.BigEndian.Uint32(b[:]))}
	}
	b := a.As16()
	return v6, u128{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
}

// toAddr converts a number of the given family back to an address.
func toAddr(f family, n u128) netip.Addr {
	if f == v4 {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], uint32(n.lo))
		return netip.AddrFrom4(b)
	}
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], n.hi)
	binary.BigEndian.PutUint64(b[8:], n.lo)
	return netip.AddrFrom16(b)
}

// interval is an inclusive range [lo, hi] of addresses of one family.
type interval struct {
	fam    family
	lo, hi u128
}

// prefixInterval returns the addresses covered by a masked prefix.
func prefixInterval(p netip.Prefix) interval {
	f, lo := fromAddr(p.Masked().Addr())
	width := 32
	if f == v6 {
		width = 128
	}
	host := width - p.Bits() // number of host bits
	hi := lo
	switch {
	case host >= 128:
		hi = maxU128
	case host >= 64:
		hi.lo = ^uint64(0)
		hi.hi |= (uint64(1) << (host - 64)) - 1
	default:
		hi.lo |= (uint64(1) << host) - 1
	}
	return interval{fam: f, lo: lo, hi: hi}
}

func (iv interval) contains(f family, n u128) bool {
	return iv.fam == f && iv.lo.cmp(n) <= 0 && n.cmp(iv.hi) <= 0
}

func (iv interval) overlaps(o interval) bool {
	return iv.fam == o.fam && iv.lo.cmp(o.hi) <= 0 && o.lo.cmp(iv.hi) <= 0
}

// size returns the number of addresses in iv, saturating at MaxUint64.
func (iv interval) size() uint64 {
	d := iv.hi.sub(iv.lo)
	if d.hi != 0 || d.lo == ^uint64(0) {
		return ^uint64(0)
	}
	return d.lo + 1
}

func cmpInterval(a, b interval) int {
	if a.fam != b.fam {
		return int(a.fam) - int(b.fam)
	}
	return a.lo.cmp(b.lo)
}

// merge sorts intervals (IPv4 before IPv6, ascending) and joins overlapping
// or adjacent ones. It works in place and costs O(n log n) in the number of
// intervals, never in the number of addresses.
func merge(ivs []interval) []interval {
	slices.SortFunc(ivs, cmpInterval)
	out := ivs[:0]
	for _, iv := range ivs {
		if n := len(out); n > 0 {
			last := &out[n-1]
			if last.fam == iv.fam && (last.hi == familyMax(iv.fam) || iv.lo.cmp(last.hi.next()) <= 0) {
				if iv.hi.cmp(last.hi) > 0 {
					last.hi = iv.hi
				}
				continue
			}
		}
		out = append(out, iv)
	}
	return out
}

// before reports whether x lies wholly below y.
func before(x, y interval) bool {
	return x.fam < y.fam || (x.fam == y.fam && x.hi.cmp(y.lo) < 0)
}

// subtract returns the addresses of a that are not in b. Both must be merged.
func subtract(a, b []interval) []interval {
	var out []interval
	j := 0
	for _, iv := range a {
		cur := iv
		alive := true
		for j < len(b) && before(b[j], cur) {
			j++
		}
		for k := j; alive && k < len(b) && b[k].overlaps(cur); k++ {
			ex := b[k]
			if ex.lo.cmp(cur.lo) > 0 {
				out = append(out, interval{fam: cur.fam, lo: cur.lo, hi: ex.lo.prev()})
			}
			if ex.hi.cmp(cur.hi) >= 0 {
				alive = false
				break
			}
			cur.lo = ex.hi.next()
		}
		if alive {
			out = append(out, cur)
		}
	}
	return out
}

// search reports whether n of family f lies in the merged intervals ivs.
func search(ivs []interval, f family, n u128) bool {
	i, found := slices.BinarySearchFunc(ivs, interval{fam: f, lo: n}, cmpInterval)
	if found {
		return true
	}
	return i > 0 && ivs[i-1].contains(f, n)
}
