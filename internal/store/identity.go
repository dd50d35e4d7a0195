package store

import (
	"net"
	"strings"

	"github.com/camwarden/camwarden/internal/report"
)

// Identity is what tells one device from another across scans.
//
// The rule, strongest evidence first:
//  1. When both observations carry a serial number, the device is the same
//     exactly when the serials are equal (a camera that moves to another
//     address but keeps its serial is the same device; a camera replaced
//     by the same model at the same address is a new one).
//  2. Otherwise, when both carry a MAC address, the same rule applies to
//     the MAC.
//  3. Otherwise the device is the same when address, vendor and model
//     are equal (vendor and model case-insensitively). A device whose
//     model is only recognised in a later scan therefore starts a new
//     history; its address still finds both.
type Identity struct {
	Serial  string // upper-cased, trimmed; "" when not read
	MAC     string // canonical aa:bb:cc:dd:ee:ff; "" when not read
	Address string
	Vendor  string // lower-cased
	Model   string // lower-cased
}

// IdentityOf returns the identity of a device in a report.
func IdentityOf(d report.Device) Identity {
	id := Identity{
		Serial: NormalizeSerial(d.Serial),
		MAC:    NormalizeMAC(d.MAC),
		Vendor: strings.ToLower(strings.TrimSpace(d.Vendor)),
		Model:  strings.ToLower(strings.TrimSpace(d.Model)),
	}
	if d.Address.IsValid() {
		id.Address = d.Address.String()
	}
	return id
}

// NormalizeSerial returns a serial number in the form identities compare.
func NormalizeSerial(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// NormalizeMAC returns a MAC address as lower-case colon-separated hex, or
// "" when s is not a 48-bit MAC address.
func NormalizeMAC(s string) string {
	hw, err := net.ParseMAC(strings.TrimSpace(s))
	if err != nil || len(hw) != 6 {
		return ""
	}
	return hw.String()
}

// Key is the device's key: "serial:SERIAL", else "mac:MAC", else
// "addr:ADDRESS|vendor|model". Keys are what the store and the history
// command print; the strongest identifier known wins.
func (id Identity) Key() string {
	switch {
	case id.Serial != "":
		return "serial:" + id.Serial
	case id.MAC != "":
		return "mac:" + id.MAC
	}
	return "addr:" + id.Address + "|" + id.Vendor + "|" + id.Model
}

// Same applies the identity rule to two observations.
func (id Identity) Same(o Identity) bool {
	if id.Serial != "" && o.Serial != "" {
		return id.Serial == o.Serial
	}
	if id.MAC != "" && o.MAC != "" {
		return id.MAC == o.MAC
	}
	return id.Address == o.Address && id.Vendor == o.Vendor && id.Model == o.Model
}

// pair is a device of the previous scan matched with one of the current.
type pair struct{ prev, cur int }

// match pairs the devices of two scans by the identity rule: first by
// serial, then by MAC, then by address, vendor and model, each device
// paired at most once. It returns the pairs and the unpaired indexes.
func match(prev, cur []report.Device) (pairs []pair, gone, added []int) {
	pid := make([]Identity, len(prev))
	for i, d := range prev {
		pid[i] = IdentityOf(d)
	}
	cid := make([]Identity, len(cur))
	for i, d := range cur {
		cid[i] = IdentityOf(d)
	}
	usedP := make([]bool, len(prev))
	usedC := make([]bool, len(cur))
	passes := []func(Identity) string{
		func(id Identity) string { return id.Serial },
		func(id Identity) string { return id.MAC },
		func(id Identity) string { return "\x00" + id.Address + "|" + id.Vendor + "|" + id.Model },
	}
	for _, keyOf := range passes {
		index := map[string][]int{}
		for i, id := range pid {
			if k := keyOf(id); !usedP[i] && k != "" {
				index[k] = append(index[k], i)
			}
		}
		for j, id := range cid {
			k := keyOf(id)
			if usedC[j] || k == "" {
				continue
			}
			for _, i := range index[k] {
				if !usedP[i] && pid[i].Same(id) {
					usedP[i], usedC[j] = true, true
					pairs = append(pairs, pair{i, j})
					break
				}
			}
		}
	}
	for i := range prev {
		if !usedP[i] {
			gone = append(gone, i)
		}
	}
	for j := range cur {
		if !usedC[j] {
			added = append(added, j)
		}
	}
	return pairs, gone, added
}
