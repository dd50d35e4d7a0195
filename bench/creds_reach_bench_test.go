package bench

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/engine"
)

// reach is what an ordering reaches of the catalogue's vendor defaults
// for one protocol: distinct pairs, vendor entries (vendor x pair) and
// vendors with at least one default reached.
type reach struct{ pairs, entries, vendors int }

// BenchmarkCredentialReach measures, per protocol, how many of the
// catalogue's real default pairs (the vendor-attributed entries) a device
// of unknown vendor is asked about within the login budget (engine.Budget
// with the policy the auth check uses when the vendor is unknown: 3
// failures per account, creds.Catalog.UnknownVendorCap per account domain;
// every attempt failing): the old
// ordering (the hand-picked generic list in tier and priority order) and
// the prevalence ordering of creds.For, at depths default and common, in
// the same run. It prints the table and reports the default-depth counts.
func BenchmarkCredentialReach(b *testing.B) {
	cat, err := creds.Default()
	if err != nil {
		b.Fatal(err)
	}
	type row struct {
		proto           string
		depth           creds.Depth
		old, new, total reach
	}
	var rows []row
	for b.Loop() {
		rows = rows[:0]
		for _, d := range []creds.Depth{creds.DepthDefault, creds.DepthCommon} {
			for _, p := range creds.LoginProtocols() {
				targets := vendorDefaults(cat, p)
				rows = append(rows, row{p, d, measureReach(cat, p, oldOrder(cat, p, d), targets),
					measureReach(cat, p, cat.For("", "", p, d), targets), totals(targets)})
			}
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "\n%-8s %-8s %-22s %-22s %-22s\n", "protocol", "depth", "pairs old -> new", "entries old -> new", "vendors old -> new")
	for _, r := range rows {
		fmt.Fprintf(&sb, "%-8s %-8s %-22s %-22s %-22s\n", r.proto, r.depth,
			fmt.Sprintf("%d -> %d of %d", r.old.pairs, r.new.pairs, r.total.pairs),
			fmt.Sprintf("%d -> %d of %d", r.old.entries, r.new.entries, r.total.entries),
			fmt.Sprintf("%d -> %d of %d", r.old.vendors, r.new.vendors, r.total.vendors))
		if r.depth == creds.DepthDefault {
			b.ReportMetric(float64(r.new.entries), r.proto+"-entries-new")
			b.ReportMetric(float64(r.old.entries), r.proto+"-entries-old")
		}
	}
	pol := unknownVendorPolicy(cat)
	fmt.Fprintf(&sb, "reached = asked within the budget of a device of unknown vendor (%d failures per account, %d per account domain, all failing);\n"+
		"pairs = distinct username/password of the catalogue's vendor entries, entries = vendor x pair, vendors = with one default reached\n",
		pol.Limit(), pol.DeviceLimit())
	b.Log(sb.String())
}

// vendorDefaults returns the catalogue's vendor-attributed entries for
// protocol as "vendor\x00user\x00pass".
func vendorDefaults(cat *creds.Catalog, protocol string) map[string]bool {
	out := map[string]bool{}
	for _, cr := range cat.All() {
		if cr.Vendor != "" && cr.AppliesTo(protocol) {
			out[strings.Join([]string{strings.ToLower(cr.Vendor), cr.Username, cr.Password}, "\x00")] = true
		}
	}
	return out
}

func totals(targets map[string]bool) reach {
	pairs, vendors := map[string]bool{}, map[string]bool{}
	for k := range targets {
		v, pair, _ := strings.Cut(k, "\x00")
		pairs[pair], vendors[v] = true, true
	}
	return reach{len(pairs), len(targets), len(vendors)}
}

// unknownVendorPolicy is the budget policy the auth check gives a device
// whose vendor the catalogue has no facts on.
func unknownVendorPolicy(cat *creds.Catalog) engine.BudgetPolicy {
	return engine.BudgetPolicy{UnknownVendorCap: cat.UnknownVendorCap()}
}

// measureReach replays list through the engine's budget for an unknown
// vendor on one surface of protocol's account domain, every attempt
// failing, and counts the vendor defaults reached.
func measureReach(cat *creds.Catalog, protocol string, list []creds.Credential, targets map[string]bool) reach {
	budget := engine.NewBudget(unknownVendorPolicy(cat), nil)
	tried := map[string]bool{}
	for _, cr := range list {
		a := engine.Account{Domain: creds.DefaultDomain(protocol), User: cr.Username}
		if budget.Reserve(a) != nil {
			continue
		}
		budget.Record(a, engine.AttemptFailed)
		tried[cr.Username+"\x00"+cr.Password] = true
	}
	hit := map[string]bool{}
	pairs, vendors := map[string]bool{}, map[string]bool{}
	for k := range targets {
		v, pair, _ := strings.Cut(k, "\x00")
		if tried[pair] {
			hit[k], pairs[pair], vendors[v] = true, true, true
		}
	}
	return reach{len(pairs), len(hit), len(vendors)}
}

// oldOrder is creds.For for an unknown vendor before the prevalence
// ranking: the generic entries up to depth in tier, then priority (then
// file) order, de-duplicated, capped at depth.Cap().
func oldOrder(cat *creds.Catalog, protocol string, depth creds.Depth) []creds.Credential {
	var generic []creds.Credential
	for _, cr := range cat.All() {
		if cr.Vendor == "" && cr.Tier <= depth && cr.AppliesTo(protocol) {
			generic = append(generic, cr)
		}
	}
	slices.SortStableFunc(generic, func(a, b creds.Credential) int {
		return cmp.Or(cmp.Compare(a.Tier, b.Tier), cmp.Compare(a.Priority, b.Priority))
	})
	var out []creds.Credential
	seen := map[string]bool{}
	for _, cr := range generic {
		k := cr.Username + "\x00" + cr.Password
		if !seen[k] && len(out) < depth.Cap() {
			seen[k] = true
			out = append(out, cr)
		}
	}
	return out
}
