package creds

import (
	"bytes"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestRankingValid: every login protocol has a ranking; every weight's
// provenance cites a known file of ../shared/data with its licence marked;
// weights decrease; the catalogue quotes no address.
func TestRankingValid(t *testing.T) {
	c := load(t)
	for _, p := range LoginProtocols() {
		r, ok := c.Ranking(p)
		if !ok {
			t.Errorf("no ranking for %s", p)
			continue
		}
		if len(r.Pairs) == 0 || r.Pairs[0].Tier != DepthDefault {
			t.Errorf("%s: ranking of %d pairs does not start with a vendor default", p, len(r.Pairs))
		}
		for _, rp := range r.Pairs {
			for _, term := range rp.Terms {
				checkSource(t, p+" "+rp.Name, term.Cite)
			}
		}
	}
	if _, ok := c.Ranking("snmp"); ok {
		t.Error("SNMP has a ranking; communities are separate")
	}
	if m := regexp.MustCompile(`\b127\.\d+\.\d+\.\d+\b`).Find(embedded); m != nil {
		t.Errorf("data/creds.json quotes an address: %s", m)
	}
}

// TestRankingRejectsHandWeights: a weight or tier that does not follow
// from its terms, or an unsorted ranking, does not load.
func TestRankingRejectsHandWeights(t *testing.T) {
	base := Ranking{Protocols: []string{"http"}, Sources: []string{"defaultcreds-cheat-sheet"}, Members: 2, Estimates: 1}
	pair := func(user string, w float64, tier Depth, share float64, vendors int) RankedPair {
		return RankedPair{Username: user, Password: "x", Name: "ranked " + user, Tier: tier, Weight: w,
			Terms: []Term{{Source: "defaultcreds-cheat-sheet", Cite: "defaultcreds-cheat-sheet/DefaultCreds-Cheat-Sheet.csv:2", Vendors: vendors, Share: share}}}
	}
	tests := []struct {
		name  string
		pairs []RankedPair
		want  string
	}{
		{"valid", []RankedPair{pair("a", 0.5, DepthDefault, 0.5, 1), pair("b", 0.25, DepthExtended, 0.25, 0)}, ""},
		{"weight set by hand", []RankedPair{pair("a", 0.9, DepthDefault, 0.5, 1)}, "the terms give"},
		{"tier set by hand", []RankedPair{pair("a", 0.5, DepthDefault, 0.5, 0)}, "tier default, the terms give extended"},
		{"unsorted", []RankedPair{pair("a", 0.25, DepthDefault, 0.25, 1), pair("b", 0.5, DepthDefault, 0.5, 1)}, "above the previous"},
		{"duplicate", []RankedPair{pair("a", 0.5, DepthDefault, 0.5, 1), pair("a", 0.5, DepthDefault, 0.5, 1)}, "duplicate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := base
			r.Pairs = tc.pairs
			_, err := validateRankings([]Ranking{r})
			if (tc.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.want) {
				t.Errorf("validateRankings error = %v, want %q", err, tc.want)
			}
		})
	}
}

// reached replays a candidate list against budget b, every attempt
// failing, and returns the pairs that get an attempt.
func reached(list []Credential, b Budget) []Credential {
	used, left := map[string]int{}, b.PerDevice
	var out []Credential
	for _, cr := range list {
		if left > 0 && used[cr.Username] < b.PerAccount {
			used[cr.Username]++
			left--
			out = append(out, cr)
		}
	}
	return out
}

// bestWeight is the largest total weight of a set of pairs from pool that
// budget b allows, by exhaustive search.
func bestWeight(pool []RankedPair, b Budget) float64 {
	var best float64
	var walk func(i, left int, used map[string]int, sum float64)
	walk = func(i, left int, used map[string]int, sum float64) {
		best = max(best, sum)
		if i == len(pool) || left == 0 {
			return
		}
		p := pool[i]
		if used[p.Username] < b.PerAccount {
			used[p.Username]++
			walk(i+1, left-1, used, sum+p.Weight)
			used[p.Username]--
		}
		walk(i+1, left, used, sum)
	}
	walk(0, b.PerDevice, map[string]int{}, 0)
	return best
}

// TestUnknownVendorSelectionIsBest: for a device of unknown vendor, the
// pairs For's list reaches within the budget carry the largest total
// prevalence any order could reach (exhaustive search over the ranking's
// top pairs), per protocol and depth.
func TestUnknownVendorSelectionIsBest(t *testing.T) {
	c := load(t)
	b := c.BudgetFor("")
	for _, p := range LoginProtocols() {
		for _, d := range []Depth{DepthDefault, DepthCommon} {
			r, _ := c.Ranking(p)
			var pool []RankedPair
			for _, rp := range r.Pairs {
				if rp.Tier <= d && len(pool) < 18 {
					pool = append(pool, rp)
				}
			}
			weight := map[string]float64{}
			for _, rp := range r.Pairs {
				weight[rp.Username+"/"+rp.Password] = rp.Weight
			}
			got := 0.0
			for _, cr := range reached(c.For("", "", p, d), b) {
				got += weight[cr.Username+"/"+cr.Password]
			}
			if want := bestWeight(pool, b); math.Abs(got-want) > 1e-9 {
				t.Errorf("%s/%s: reached weight %.6f, best possible %.6f", p, d, got, want)
			}
		}
	}
}

// TestSelectWithin: the selection is over accounts, not a sort: a pair of
// a second account goes ahead of an account's fourth password.
func TestSelectWithin(t *testing.T) {
	rp := func(u, pw string, w float64) RankedPair { return RankedPair{Username: u, Password: pw, Weight: w} }
	ranked := []RankedPair{rp("admin", "a", 0.4), rp("admin", "b", 0.3), rp("admin", "c", 0.2), rp("admin", "d", 0.1),
		rp("root", "e", 0.05), rp("user", "f", 0.04), rp("guest", "g", 0.03), rp("root", "h", 0.02)}
	tests := []struct {
		name  string
		b     Budget
		tried []Credential
		want  string
	}{
		{"unknown vendor", Budget{3, 6}, nil, "a b c e f g"},
		{"vendor entries spent two admin attempts", Budget{3, 6}, []Credential{{Username: "admin"}, {Username: "admin"}}, "a e f g"},
		{"known lockout: 3 in all", Budget{3, 3}, []Credential{{Username: "root"}}, "a b"},
		{"device spent", Budget{1, 1}, []Credential{{Username: "x"}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reach, rest := tc.b.selectWithin(ranked, tc.tried)
			var got []string
			for _, p := range reach {
				got = append(got, p.Password)
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("reach = %q, want %q", got, tc.want)
			}
			if len(reach)+len(rest) != len(ranked) {
				t.Errorf("%d + %d pairs, want %d", len(reach), len(rest), len(ranked))
			}
			for i := 1; i < len(rest); i++ {
				if rest[i].Weight > rest[i-1].Weight {
					t.Errorf("rest not in weight order: %v", rest)
				}
			}
		})
	}
}

// TestVendorDefaultsFirst: an identified vendor's own defaults lead, in
// the catalogue's order, and the generic pairs that follow are chosen
// for the budget the vendor's entries leave.
func TestVendorDefaultsFirst(t *testing.T) {
	c := load(t)
	for _, v := range c.Vendors() {
		b := c.BudgetFor(v.Name)
		for _, p := range LoginProtocols() {
			got := c.For(v.Name, "", p, DepthDefault)
			var own []Credential
			for _, cr := range c.All() {
				dup := slices.ContainsFunc(own, func(o Credential) bool { return o.Username == cr.Username && o.Password == cr.Password })
				if !dup && cr.Tier == DepthDefault && cr.AppliesTo(p) && cr.Model == "" &&
					(strings.EqualFold(cr.Vendor, v.Name) || v.Platform != "" && strings.EqualFold(cr.Vendor, v.Platform)) {
					own = append(own, cr)
				}
			}
			for i, cr := range own {
				if i < len(got) && !slices.ContainsFunc(got[:min(len(own), len(got))], func(g Credential) bool {
					return g.Username == cr.Username && g.Password == cr.Password
				}) {
					t.Errorf("%s/%s: own default %s not among the first %d: %q", v.Name, p, cr.Name, len(own), pairs(got))
				}
			}
			for _, cr := range got[:min(len(own), len(got))] {
				if cr.Vendor == "" {
					t.Errorf("%s/%s: generic %s ahead of the vendor's own defaults: %q", v.Name, p, cr.Name, pairs(got))
				}
			}
			accounts := map[string]bool{}
			for _, cr := range got {
				if cr.Vendor != "" {
					accounts[cr.Username] = true
				}
			}
			for _, cr := range got {
				if cr.Vendor == "" && len(accounts) > 0 && !accounts[cr.Username] {
					t.Errorf("%s/%s: generic %s is for an account none of the vendor's entries use", v.Name, p, cr.Name)
				}
			}
			if n := len(reached(got, b)); n > b.PerDevice {
				t.Errorf("%s/%s: %d reached, budget %d", v.Name, p, n, b.PerDevice)
			}
		}
	}
}

// TestBudgetFor mirrors the engine's policy shape (the equality with
// engine.BudgetPolicy for every vendor is tested in check/auth).
func TestBudgetFor(t *testing.T) {
	c := load(t)
	for _, tc := range []struct {
		vendor string
		want   Budget
	}{
		{"", Budget{3, 3}},             // unknown: UnknownVendorCap
		{"NoSuchVendor", Budget{3, 3}}, // no facts: as unknown
		{"Axis", Budget{3, 6}},         // no lock documented
		{"Hikvision", Budget{3, 3}},    // locks the client at 5
		{"HiWatch", Budget{3, 3}},      // Hikvision platform
		{"Dahua", Budget{3, 6}},        // locks each account at 5
		{"Amcrest", Budget{3, 6}},      // Dahua platform
	} {
		if got := c.BudgetFor(tc.vendor); got != tc.want {
			t.Errorf("BudgetFor(%q) = %+v, want %+v", tc.vendor, got, tc.want)
		}
	}
	if !bytes.Contains(embedded, []byte(`"prevalence"`)) {
		t.Error("the embedded catalogue has no prevalence section")
	}
}
