package lan

import (
	"fmt"
	"net/netip"

	"github.com/camwarden/camwarden/internal/probe/upnp"
)

func ssdpRequest() []byte { return []byte(upnp.MSearch) }

// ParseSSDP parses one M-SEARCH answer (SERVER, ST, USN, LOCATION). The
// description is not fetched here: the scan's upnp probe does that.
func ParseSSDP(from netip.Addr, b []byte) ([]Found, error) {
	r, err := upnp.ParseSearchResponse(b)
	if err != nil {
		return nil, fmt.Errorf("ssdp: %w", err)
	}
	return []Found{{Address: from, Protocol: SSDP, Name: clean(r.Server), DeviceType: clean(r.ST),
		Location: clean(r.Location)}}, nil
}
