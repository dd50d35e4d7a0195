package probe

import (
	"fmt"
	"slices"
	"sync"
)

// Spec registers a Probe with the ports where it is tried first.
type Spec struct {
	Probe     Probe
	Transport string   // "tcp" or "udp"
	Ports     []uint16 // ports where this protocol is expected
	// Over, when set, makes this a layered probe: it runs only on ports
	// already identified as that protocol (e.g. ONVIF over "http").
	Over string
	// Fallback probes are tried, in Order, on open ports that no hinted
	// probe identified.
	Fallback bool
	Order    int
}

var (
	regMu sync.RWMutex
	specs = map[string]Spec{}
)

// Register adds a probe; each protocol package calls it from init.
// It panics on a duplicate name, like caddy's module registry.
func Register(s Spec) {
	regMu.Lock()
	defer regMu.Unlock()
	name := s.Probe.Name()
	if _, dup := specs[name]; dup {
		panic(fmt.Sprintf("probe: duplicate registration of %q", name))
	}
	specs[name] = s
}

// Registered returns every registered probe sorted by Order, then name.
func Registered() []Spec {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]Spec, 0, len(specs))
	for _, s := range specs {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Spec) int {
		if a.Order != b.Order {
			return a.Order - b.Order
		}
		if a.Probe.Name() < b.Probe.Name() {
			return -1
		}
		return 1
	})
	return out
}
