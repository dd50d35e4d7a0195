package lan

import (
	"bufio"
	"bytes"
	"fmt"
	"net/netip"
	"strings"

	catalog "github.com/camwarden/camwarden/internal/catalog/fingerprint"
)

// ARPTable is where Linux lists IPv4 neighbours.
const ARPTable = "/proc/net/arp"

// Neighbour is one complete entry of the neighbour table: a host that
// shares the link, its MAC address and the OUI vendor when known.
type Neighbour struct {
	Address netip.Addr `json:"address"`
	MAC     string     `json:"mac"`    // AA:BB:CC:DD:EE:FF
	Vendor  string     `json:"vendor"` // from the OUI catalogue, or ""
	Device  string     `json:"device"` // interface
}

// Neighbours reads ARPTable through readFile (os.ReadFile in production)
// and names each MAC's vendor with ouis (nil = no vendor).
func Neighbours(readFile func(string) ([]byte, error), ouis *OUIs) ([]Neighbour, error) {
	b, err := readFile(ARPTable)
	if err != nil {
		return nil, fmt.Errorf("read neighbour table: %w", err)
	}
	ns := ParseARP(b)
	for i := range ns {
		ns[i].Vendor = ouis.Vendor(ns[i].MAC)
	}
	return ns, nil
}

// ParseARP parses /proc/net/arp: "IP address HW type Flags HW address Mask
// Device"; only complete entries (flag 0x2) with a real MAC are kept.
func ParseARP(b []byte) []Neighbour {
	var out []Neighbour
	sc := bufio.NewScanner(bytes.NewReader(b))
	for first := true; sc.Scan() && len(out) < 4096; first = false {
		f := strings.Fields(sc.Text())
		if first || len(f) < 6 || f[2] == "0x0" {
			continue
		}
		a, err := netip.ParseAddr(f[0])
		mac := normaliseMAC(f[3])
		if err != nil || mac == "" || mac == "00:00:00:00:00:00" {
			continue
		}
		out = append(out, Neighbour{Address: a, MAC: mac, Device: clean(f[5])})
	}
	return out
}

// OUIs maps MAC prefixes to vendors, from the fingerprint catalogue.
type OUIs struct{ byPrefix map[string]string }

// LoadOUIs loads the OUI list embedded in the fingerprint catalogue.
func LoadOUIs() (*OUIs, error) {
	c, err := catalog.Load()
	if err != nil {
		return nil, fmt.Errorf("load oui catalogue: %w", err)
	}
	o := &OUIs{byPrefix: make(map[string]string, len(c.OUIs))}
	for _, e := range c.OUIs {
		o.byPrefix[strings.ToUpper(e.Prefix)] = e.Vendor
	}
	return o, nil
}

// Vendor returns the vendor of a MAC address (any common notation), or "".
func (o *OUIs) Vendor(mac string) string {
	m := normaliseMAC(mac)
	if o == nil || m == "" {
		return ""
	}
	return o.byPrefix[strings.ReplaceAll(m[:8], ":", "")]
}
