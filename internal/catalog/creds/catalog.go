package creds

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Catalog is the loaded, validated credential catalogue. It is read-only
// and safe for concurrent use.
type Catalog struct {
	// Generated is the date the data was generated (YYYY-MM-DD).
	Generated   string
	vendors     map[string]Vendor // normalised name -> facts
	creds       []Credential
	models      []*regexp.Regexp    // parallel to creds; nil when no model pattern
	ranked      map[string]*Ranking // login protocol -> its prevalence ranking
	communities []Community
	passwords   map[string]PasswordMatch // lower-case password -> shallowest entry
}

// Default loads the catalogue embedded in the binary.
func Default() (*Catalog, error) {
	c, err := Load(bytes.NewReader(embedded))
	if err != nil {
		return nil, fmt.Errorf("embedded credential catalogue: %w", err)
	}
	return c, nil
}

// Load reads and validates a catalogue in the data/creds.json format.
func Load(r io.Reader) (*Catalog, error) {
	dec := json.NewDecoder(io.LimitReader(r, 16<<20))
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("decode credential catalogue: %w", err)
	}
	c, err := build(&f)
	if err != nil {
		return nil, fmt.Errorf("credential catalogue: %w", err)
	}
	return c, nil
}

func build(f *file) (*Catalog, error) {
	if f.Schema != Schema {
		return nil, fmt.Errorf("schema %q, want %q", f.Schema, Schema)
	}
	c := &Catalog{Generated: f.Generated, vendors: map[string]Vendor{},
		creds: f.Credentials, communities: f.Communities, passwords: map[string]PasswordMatch{}}
	for i, v := range f.Vendors {
		if err := validateVendor(v); err != nil {
			return nil, fmt.Errorf("vendor %d (%s): %w", i, v.Name, err)
		}
		key := normVendor(v.Name)
		if _, dup := c.vendors[key]; dup {
			return nil, fmt.Errorf("vendor %d: duplicate %q", i, v.Name)
		}
		c.vendors[key] = v
	}
	seen := map[string]int{}
	c.models = make([]*regexp.Regexp, len(c.creds))
	for i, cr := range c.creds {
		re, err := c.validateCredential(cr)
		if err != nil {
			return nil, fmt.Errorf("credential %d (%s): %w", i, cr.Name, err)
		}
		c.models[i] = re
		key := strings.Join([]string{normVendor(cr.Vendor), cr.Model, cr.Username, cr.Password}, "\x00")
		if j, dup := seen[key]; dup {
			return nil, fmt.Errorf("credential %d (%s): duplicate of %d (%s)", i, cr.Name, j, c.creds[j].Name)
		}
		seen[key] = i
		lp := strings.ToLower(cr.Password)
		if m, ok := c.passwords[lp]; !ok || cr.Tier < m.Tier {
			c.passwords[lp] = PasswordMatch{Tier: cr.Tier, Name: cr.Name, Vendor: cr.Vendor,
				Default: cr.Tier == DepthDefault, Source: cr.Sources[0]}
		}
	}
	if err := validateCommunities(f.Communities); err != nil {
		return nil, err
	}
	ranked, err := validateRankings(f.Prevalence)
	if err != nil {
		return nil, err
	}
	c.ranked = ranked
	for i, w := range f.WeakPasswords {
		if err := validateSources([]string{w.Source}); err != nil {
			return nil, fmt.Errorf("weak password %d: %w", i, err)
		}
		lp := strings.ToLower(w.Password)
		if _, ok := c.passwords[lp]; !ok {
			c.passwords[lp] = PasswordMatch{Tier: DepthExtended, Name: "routersploit password list", Source: w.Source}
		}
	}
	return c, nil
}

// For returns the credentials to try on one service of a device, best
// first, de-duplicated by username and password and capped at
// depth.Cap():
//
//  1. the vendor's own entries (in tier, then priority order), then its
//     platform's (Amcrest -> Dahua); entries with a model pattern are kept
//     only when model matches or is unknown ("");
//  2. the generic pairs of the prevalence ranking (see Ranking) up to
//     depth, chosen for the budget the vendor's entries leave in the
//     protocol's account domain (BudgetFor, Domain): first the set of most prevalent pairs that budget
//     still reaches (see Budget.selectWithin), then the other ranked
//     pairs by weight;
//  3. the catalogue's generic entries the ranking lacks.
//
// When step 1 gave entries, steps 2 and 3 keep only pairs of the accounts
// those entries use: the device has the vendor's accounts, and a generic
// password of another account would spend the budget on an account the
// device most likely lacks. An unknown vendor (""), or one without entries
// for protocol, gets 2 and 3 whole, with the whole budget. The depth keeps
// its meaning: at depth default only pairs some source attributes to a
// vendor are generic candidates. The slice is the caller's.
func (c *Catalog) For(vendor, model, protocol string, depth Depth) []Credential {
	if c == nil || !depth.Valid() {
		return nil
	}
	var out []Credential
	seen := map[[2]string]bool{}
	add := func(cr Credential) (full bool) {
		k := [2]string{cr.Username, cr.Password}
		if !seen[k] {
			seen[k] = true
			out = append(out, cr)
		}
		return len(out) == depth.Cap()
	}
	if v := normVendor(vendor); v != "" {
		groups := []string{v}
		if vf, ok := c.vendors[v]; ok && vf.Platform != "" {
			groups = append(groups, normVendor(vf.Platform))
		}
		for _, g := range groups {
			for _, i := range c.sorted(g, model, protocol, depth) {
				if add(c.creds[i]) {
					return out
				}
			}
		}
	}
	accounts := map[string]bool{}
	for _, cr := range out {
		accounts[cr.Username] = true
	}
	keep := func(user string) bool { return len(accounts) == 0 || accounts[user] }
	for _, cr := range c.generic(protocol, depth, out, c.BudgetFor(vendor), func(user, pass string) bool {
		return keep(user) && !seen[[2]string{user, pass}]
	}) {
		if add(cr) {
			return out
		}
	}
	return out
}

// generic returns the generic candidates after the vendor's entries
// (before): the ranked pairs up to depth that the budget left by before
// reaches, the other ranked pairs by weight, then the catalogue's generic
// entries (tier, then priority order); only pairs ok accepts.
func (c *Catalog) generic(protocol string, depth Depth, before []Credential, b Budget, ok func(user, pass string) bool) []Credential {
	p := normProtocol(protocol)
	var pool []RankedPair
	if r, found := c.ranked[p]; found {
		for _, rp := range r.Pairs {
			if rp.Tier <= depth && ok(rp.Username, rp.Password) {
				pool = append(pool, rp)
			}
		}
	}
	reach, rest := b.selectWithin(pool, before)
	var out []Credential
	for i, rp := range slices.Concat(reach, rest) {
		out = append(out, rp.credential(p, i+1))
	}
	for _, i := range c.sorted("", "", protocol, depth) {
		if cr := c.creds[i]; ok(cr.Username, cr.Password) {
			out = append(out, cr)
		}
	}
	return out
}

// sorted returns the indexes of the entries of one vendor group that
// apply, in tier then priority then file order.
func (c *Catalog) sorted(group, model, protocol string, depth Depth) []int {
	var idx []int
	for i, cr := range c.creds {
		if normVendor(cr.Vendor) != group || cr.Tier > depth || !cr.AppliesTo(protocol) {
			continue
		}
		if re := c.models[i]; re != nil && model != "" && !re.MatchString(model) {
			continue
		}
		idx = append(idx, i)
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		x, y := c.creds[a], c.creds[b]
		if x.Tier != y.Tier {
			return int(x.Tier - y.Tier)
		}
		return x.Priority - y.Priority
	})
	return idx
}

// Lockout returns what is known of vendor's login lockout. A brand
// without its own facts inherits its platform's (Amcrest -> Dahua); a
// vendor without documented facts gets DefaultPolicy (Known false), with
// Unlisted set when the catalogue has no facts on it at all.
func (c *Catalog) Lockout(vendor string) Policy {
	if c != nil {
		v, ok := c.vendors[normVendor(vendor)]
		if ok && v.Lockout.Source != "" && v.Lockout.Known {
			w, _ := time.ParseDuration(v.Lockout.Window) // validated on load
			return Policy{Threshold: v.Lockout.Threshold, MinThreshold: v.Lockout.MinThreshold,
				Window: w, Known: true, Source: v.Lockout.Source, Scope: v.Lockout.Scope}
		}
		if ok && v.Platform != "" && normVendor(v.Platform) != normVendor(vendor) {
			if p := c.Lockout(v.Platform); p.Known {
				p.Source = "platform " + v.Platform + ": " + p.Source
				return p
			}
		}
		if ok && v.Lockout.Source != "" {
			p := DefaultPolicy()
			p.Source = v.Lockout.Source
			return p
		}
	}
	p := DefaultPolicy()
	p.Unlisted = true
	return p
}

// Setup returns whether vendor's current firmware forces a password at
// first setup; ok is false when the catalogue has no facts for vendor.
func (c *Catalog) Setup(vendor string) (s Setup, ok bool) {
	if c == nil {
		return Setup{}, false
	}
	v, ok := c.vendors[normVendor(vendor)]
	return v.Setup, ok
}

// Platform returns the vendor whose defaults vendor shares, or "".
func (c *Catalog) Platform(vendor string) string {
	if c == nil {
		return ""
	}
	return c.vendors[normVendor(vendor)].Platform
}

// SNMPCommunities returns the communities to try at depth, most likely
// first, capped at depth.Cap().
func (c *Catalog) SNMPCommunities(depth Depth) []Community {
	if c == nil {
		return nil
	}
	var out []Community
	for _, cm := range c.communities {
		if cm.Tier <= depth && len(out) < depth.Cap() {
			out = append(out, cm)
		}
	}
	return out
}

// FindPassword reports whether pw appears (case-insensitively) as a
// password anywhere in the catalogue, credentials and weak-password list
// alike, with the shallowest tier. The password grader uses it; the match
// says nothing about the username.
func (c *Catalog) FindPassword(pw string) (PasswordMatch, bool) {
	if c == nil {
		return PasswordMatch{}, false
	}
	m, ok := c.passwords[strings.ToLower(pw)]
	return m, ok
}

// All returns a copy of every credential entry, in file order.
func (c *Catalog) All() []Credential {
	if c == nil {
		return nil
	}
	return slices.Clone(c.creds)
}

// Vendors returns the per-vendor facts, sorted by name.
func (c *Catalog) Vendors() []Vendor {
	if c == nil {
		return nil
	}
	out := make([]Vendor, 0, len(c.vendors))
	for _, v := range c.vendors {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b Vendor) int { return strings.Compare(a.Name, b.Name) })
	return out
}
