package fingerprint

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	catalog "github.com/camwarden/camwarden/internal/catalog/fingerprint"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/probe"
)

// maxSources caps how many sources an Attribute lists by name.
const maxSources = 6

// group is the evidence for one value of one attribute.
type group struct {
	key   string
	ev    []evidence
	score float64
	best  float64
}

// rescore combines independent origins with a noisy-OR: each origin
// counts once (its strongest claim), and agreeing origins raise the
// score towards, never above, 1.
func (g *group) rescore() {
	byOrigin := map[string]float64{}
	g.best = 0
	for _, e := range g.ev {
		byOrigin[e.origin] = max(byOrigin[e.origin], e.Confidence)
		g.best = max(g.best, e.Confidence)
	}
	miss := 1.0
	for _, c := range byOrigin {
		miss *= 1 - c
	}
	g.score = clamp(1 - miss)
}

func groupBy(ev []evidence, key func(string) string) []*group {
	idx := map[string]*group{}
	var out []*group
	for _, e := range ev {
		k := key(e.Value)
		g, ok := idx[k]
		if !ok {
			g = &group{key: k}
			idx[k] = g
			out = append(out, g)
		}
		g.ev = append(g.ev, e)
	}
	for _, g := range out {
		g.rescore()
	}
	return out
}

// pick orders groups best first: score, then strongest single claim,
// then key, so the result does not depend on service order.
func pick(groups []*group) {
	slices.SortStableFunc(groups, func(a, b *group) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if c := cmp.Compare(b.best, a.best); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
}

// attribute builds the Attribute of the winning group; the evidence of
// every other group is kept as Conflicts.
func attribute(groups []*group) device.Attribute {
	w := groups[0]
	byConf := slices.Clone(w.ev)
	sortEvidence(byConf)
	var sources []string
	for _, e := range byConf {
		if !slices.Contains(sources, e.Source) {
			sources = append(sources, e.Source)
		}
	}
	if len(sources) > maxSources {
		sources = append(sources[:maxSources], fmt.Sprintf("(+%d more)", len(sources)-maxSources))
	}
	a := device.Attribute{Value: byConf[0].Value, Source: strings.Join(sources, "; "), Confidence: w.score}
	var losers []evidence
	for _, g := range groups[1:] {
		losers = append(losers, g.ev...)
	}
	sortEvidence(losers)
	for _, e := range losers {
		a.Conflicts = append(a.Conflicts, e.Claim)
	}
	return a
}

func sortEvidence(ev []evidence) {
	slices.SortStableFunc(ev, func(a, b evidence) int {
		if c := cmp.Compare(b.Confidence, a.Confidence); c != 0 {
			return c
		}
		if c := strings.Compare(a.Value, b.Value); c != 0 {
			return c
		}
		return strings.Compare(a.Source, b.Source)
	})
}

// resolve merges all evidence into the identity map.
func (m *Matcher) resolve(ev []evidence, services []probe.Service) map[string]device.Attribute {
	by := map[string][]evidence{}
	for _, e := range ev {
		by[e.Attr] = append(by[e.Attr], e)
	}
	id := map[string]device.Attribute{}
	vendor := ""
	if gs := m.vendorGroups(by[probe.AttrVendor]); len(gs) > 0 {
		a := attribute(gs)
		id[probe.AttrVendor] = a
		vendor = a.Value
	}
	var modelEv []evidence
	if gs := groupBy(by[probe.AttrModel], func(s string) string { return modelKey(s, vendor) }); len(gs) > 0 {
		pick(gs)
		a := attribute(gs)
		// "AXIS M1014" and "M1014" are one model: report it without the
		// vendor's name, as the vendor's own catalogue writes it.
		if short := stripVendorPrefix(a.Value, vendor); short != "" {
			a.Value = short
		}
		id[probe.AttrModel] = a
		modelEv = gs[0].ev
	}
	dates := by[probe.AttrBuildDate]
	for _, e := range by[probe.AttrFirmware] {
		if d, ok := parseBuildDate(e.Value); ok {
			dates = append(dates, evidence{Claim: probe.Claim{
				Attr: probe.AttrBuildDate, Value: d, Confidence: e.Confidence * 0.9,
				Source: e.Source + fmt.Sprintf(" (date in firmware %q)", e.Value),
			}, origin: e.origin})
		}
	}
	by[probe.AttrBuildDate] = dates
	types := append(by[probe.AttrType], m.modelTypeClaims(vendor, modelEv)...)
	if len(types) == 0 {
		types = []evidence{m.heuristicType(vendor, services)}
	}
	by[probe.AttrType] = types
	for _, attr := range []string{probe.AttrFirmware, probe.AttrBuildDate, probe.AttrSerial, probe.AttrMAC, probe.AttrHardware, probe.AttrType} {
		if gs := groupBy(by[attr], strings.TrimSpace); len(gs) > 0 {
			pick(gs)
			id[attr] = attribute(gs)
		}
	}
	return id
}

// vendorGroups groups vendor claims by canonical name and folds a
// platform maker's evidence into a brand that resells it (Dahua evidence
// supports Lorex), since both are true of the same device.
func (m *Matcher) vendorGroups(ev []evidence) []*group {
	gs := groupBy(ev, catalog.NormaliseName)
	pick(gs)
	for _, brand := range gs {
		if len(brand.ev) == 0 {
			continue
		}
		platform := m.cat.Platform(brand.ev[0].Value)
		if platform == brand.ev[0].Value {
			continue
		}
		for _, g := range gs {
			if g != brand && len(g.ev) > 0 && g.key == catalog.NormaliseName(platform) {
				for _, e := range g.ev {
					e.Source += " (" + platform + " platform)"
					brand.ev = append(brand.ev, e)
				}
				g.ev = nil
			}
		}
		brand.rescore()
	}
	gs = slices.DeleteFunc(gs, func(g *group) bool { return len(g.ev) == 0 })
	pick(gs)
	return gs
}

// modelKey compares models case- and spacing-insensitively, without a
// leading vendor name ("AXIS M1014" equals "M1014").
func modelKey(s, vendor string) string {
	s = stripVendorPrefix(strings.TrimSpace(s), vendor)
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}
