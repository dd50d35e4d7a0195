// Package fingerprint turns what probes saw on one host into a
// device.Device: type, vendor, model, firmware, build date, serial and MAC,
// each with its sources and a confidence, conflicting evidence kept. It
// reads the embedded rules of internal/catalog/fingerprint.
package fingerprint

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	catalog "github.com/camwarden/camwarden/internal/catalog/fingerprint"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/probe"
)

// maxFieldLen caps how much of a field value rules look at; probes
// already truncate, this keeps a hostile or buggy probe from costing more.
const maxFieldLen = 8 << 10

// Matcher holds the compiled catalogue. It is safe for concurrent use.
type Matcher struct {
	cat     *catalog.Catalog
	byField map[string][]compiledRule
	models  []compiledModel
	oui     map[string]string
	domains []vendorDomain // sorted by domain
}

// vendorDomain is one web domain of a vendor.
type vendorDomain struct{ domain, vendor string }

type compiledRule struct {
	catalog.Rule
	re    *regexp.Regexp
	stack bool
}

type compiledModel struct {
	catalog.ModelType
	re *regexp.Regexp
}

// New loads and compiles the embedded rules once.
func New() (*Matcher, error) {
	cat, err := catalog.Load()
	if err != nil {
		return nil, fmt.Errorf("load fingerprint catalog: %w", err)
	}
	return NewFromCatalog(cat)
}

// NewFromCatalog compiles the rules of cat, for a catalogue narrowed with
// Catalog.Without (the generalisation test).
func NewFromCatalog(cat *catalog.Catalog) (*Matcher, error) {
	m := &Matcher{cat: cat, byField: map[string][]compiledRule{}, oui: map[string]string{}}
	for _, r := range cat.Rules {
		re, err := regexp.Compile(r.Pattern)
		if err != nil {
			return nil, fmt.Errorf("compile rule %s: %w", r.ID, err)
		}
		v, _ := cat.Vendor(r.Vendor)
		m.byField[r.Field] = append(m.byField[r.Field], compiledRule{Rule: r, re: re, stack: v.IsStack()})
	}
	for _, mt := range cat.Models {
		re, err := regexp.Compile(mt.Pattern)
		if err != nil {
			return nil, fmt.Errorf("compile model pattern %q: %w", mt.Pattern, err)
		}
		m.models = append(m.models, compiledModel{ModelType: mt, re: re})
	}
	for _, o := range cat.OUIs {
		m.oui[o.Prefix] = o.Vendor
	}
	for _, v := range cat.Vendors {
		for _, d := range v.Domains {
			m.domains = append(m.domains, vendorDomain{strings.ToLower(d), v.Name})
		}
	}
	slices.SortFunc(m.domains, func(a, b vendorDomain) int { return strings.Compare(a.domain, b.domain) })
	return m, nil
}

// Identify merges the evidence of all services of one host into a Device.
// Services are kept as given; Identity holds one Attribute per attribute
// for which there was any evidence.
func (m *Matcher) Identify(addr netip.Addr, hostname string, services []probe.Service) device.Device {
	d := device.Device{Address: addr, Hostname: hostname, Services: services, Status: summarise(services)}
	ev := m.collect(services)
	d.Identity = m.resolve(ev, services)
	return d
}

// summarise says which services did not finish cleanly, or "".
func summarise(services []probe.Service) string {
	counts := map[probe.Status]int{}
	for _, s := range services {
		switch s.Status {
		case probe.StatusIdentified, probe.StatusOpen, "":
		default:
			counts[s.Status]++
		}
	}
	if len(counts) == 0 {
		return ""
	}
	var parts []string
	for st, n := range counts {
		parts = append(parts, fmt.Sprintf("%d %s", n, st))
	}
	slices.Sort(parts)
	return "services not finished: " + strings.Join(parts, ", ")
}
