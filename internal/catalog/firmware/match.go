package firmware

import (
	"slices"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/version"
)

// Scheme returns the version scheme of a vendor: the catalogue's when it
// knows the vendor, otherwise the version package's default for the name.
func (c *Catalog) Scheme(vendor string) version.Scheme {
	if v := c.Vendor(vendor); v != nil {
		return v.Scheme
	}
	return version.SchemeFor(vendor)
}

// sameVendor reports whether name (or an alias) is the vendor of entry.
func (c *Catalog) sameVendor(entryVendor, name string) bool {
	v := c.Vendor(name)
	return v != nil && v == c.Vendor(entryVendor)
}

// FamiliesOf returns every family listing model (exactly, after
// NormalizeModel) or matching it by pattern, in catalogue order.
func (c *Catalog) FamiliesOf(vendor, model string) []*Family {
	if strings.TrimSpace(model) == "" || c.Vendor(vendor) == nil {
		return nil
	}
	canon := c.Vendor(vendor).Name
	out := slices.Clone(c.byModel[modelKey(canon, model)])
	norm := NormalizeModel(model)
	for i := range c.Families {
		f := &c.Families[i]
		if f.pattern != nil && c.sameVendor(f.Vendor, vendor) && f.pattern.MatchString(norm) && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// Match is what the catalogue knows about one device's model.
type Match struct {
	// Latest is the family whose latest firmware applies, or nil.
	Latest *Family
	// Lifecycle is the family with end-of-sale/support facts, or nil.
	Lifecycle *Family
}

// Lookup picks, among the model's families, the one whose latest release
// applies: same hardware line when known, then same major version as the
// installed firmware (nil when unknown), then the lowest latest release,
// so that an ambiguous model is never called outdated by another line's
// newer firmware.
func (c *Catalog) Lookup(vendor, model, hardware string, installed *version.Version) Match {
	fams := c.FamiliesOf(vendor, model)
	var m Match
	var withLatest []*Family
	for _, f := range fams {
		if f.Latest != nil {
			withLatest = append(withLatest, f)
		}
		if m.Lifecycle == nil && (f.EndOfSale != "" || f.EndOfSupport != "" || f.Discontinued) {
			m.Lifecycle = f
		}
	}
	scheme := c.Scheme(vendor)
	withLatest = narrow(withLatest, func(f *Family) bool {
		return hardware != "" && strings.EqualFold(f.Hardware, hardware)
	})
	if installed != nil && len(installed.Nums) > 0 {
		withLatest = narrow(withLatest, func(f *Family) bool {
			v, err := version.Parse(scheme, f.Latest.Version)
			return err == nil && len(v.Nums) > 0 && v.Nums[0] == installed.Nums[0]
		})
	}
	for _, f := range withLatest {
		if m.Latest == nil || version.Compare(mustLatest(scheme, f), mustLatest(scheme, m.Latest)) < 0 {
			m.Latest = f
		}
	}
	return m
}

// narrow keeps the families for which keep is true, unless none is.
func narrow(fams []*Family, keep func(*Family) bool) []*Family {
	var out []*Family
	for _, f := range fams {
		if keep(f) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return fams
	}
	return out
}

// mustLatest parses a latest release validate has already parsed.
func mustLatest(scheme version.Scheme, f *Family) version.Version {
	v, _ := version.Parse(scheme, f.Latest.Version)
	return v
}

// LatestVersion returns the family's latest release parsed in scheme.
func (f *Family) LatestVersion(scheme version.Scheme) (version.Version, error) {
	return version.Parse(scheme, f.Latest.Version)
}

// VulnerabilitiesOf returns the vulnerabilities of the vendor whose model
// pattern matches model; a model-specific one is left out when the model
// is unknown.
func (c *Catalog) VulnerabilitiesOf(vendor, model string) []*Vulnerability {
	norm := NormalizeModel(model)
	var out []*Vulnerability
	for i := range c.Vulnerabilities {
		v := &c.Vulnerabilities[i]
		if !c.sameVendor(v.Vendor, vendor) {
			continue
		}
		if v.pattern != nil && (norm == "" || !v.pattern.MatchString(norm)) {
			continue
		}
		out = append(out, v)
	}
	return out
}

// Verdict says whether a vulnerability applies to an installed version.
type Verdict int

// Verdicts.
const (
	VerdictUnknown     Verdict = iota // the source gives no range, or the version lacks what the range needs
	VerdictNotAffected                // outside every range for this model
	VerdictAffected                   // inside a range, or all versions are affected
)

// String names the verdict.
func (v Verdict) String() string {
	return [...]string{"unknown", "not-affected", "affected"}[v]
}

// Assess decides whether the vulnerability affects model at installed
// (nil when the version could not be read).
func (v *Vulnerability) Assess(scheme version.Scheme, model string, installed *version.Version) Verdict {
	if v.AllVersions {
		return VerdictAffected
	}
	if len(v.Affected) == 0 || installed == nil {
		return VerdictUnknown
	}
	norm := NormalizeModel(model)
	verdict := VerdictNotAffected
	for i := range v.Affected {
		r := &v.Affected[i]
		if r.pattern != nil && !r.pattern.MatchString(norm) {
			continue
		}
		switch r.contains(scheme, *installed) {
		case VerdictAffected:
			return VerdictAffected
		case VerdictUnknown:
			verdict = VerdictUnknown
		}
	}
	return verdict
}

func (r *Range) contains(scheme version.Scheme, v version.Version) Verdict {
	bound := func(s string) version.Version { b, _ := version.Parse(scheme, s); return b }
	if r.Introduced != "" && version.Compare(v, bound(r.Introduced)) < 0 {
		return VerdictNotAffected
	}
	if r.LastAffected != "" && version.Compare(v, bound(r.LastAffected)) > 0 {
		return VerdictNotAffected
	}
	if r.Fixed != "" && version.Compare(v, bound(r.Fixed)) >= 0 {
		return VerdictNotAffected
	}
	if r.BuildBefore != "" {
		if !v.HasBuild() {
			return VerdictUnknown
		}
		before, _ := time.Parse(time.DateOnly, r.BuildBefore)
		if !v.Build.Before(before) {
			return VerdictNotAffected
		}
	}
	return VerdictAffected
}

// SupersededOf returns the superseded range of the vendor that holds the
// installed version for model (a range limited to some models is left
// out when the model is unknown), or nil.
func (c *Catalog) SupersededOf(vendor, model string, installed version.Version) *Superseded {
	scheme := c.Scheme(vendor)
	for _, s := range c.SupersededRanges(vendor) {
		r := Range{Introduced: s.Introduced, Fixed: s.Successor}
		if s.AppliesTo(model) && r.contains(scheme, installed) == VerdictAffected {
			return s
		}
	}
	return nil
}

// SupersededRanges returns every superseded range of the vendor (a name
// or alias), in catalogue order.
func (c *Catalog) SupersededRanges(vendor string) []*Superseded {
	var out []*Superseded
	for i := range c.Superseded {
		if c.sameVendor(c.Superseded[i].Vendor, vendor) {
			out = append(out, &c.Superseded[i])
		}
	}
	return out
}

// AppliesTo reports whether the range covers model: every model when it
// has no model pattern; an unknown model ("") only then.
func (s *Superseded) AppliesTo(model string) bool {
	norm := NormalizeModel(model)
	return s.pattern == nil || norm != "" && s.pattern.MatchString(norm)
}
