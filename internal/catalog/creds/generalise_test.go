package creds

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sourceFact is one row of gen -facts: a pair one source lists.
type sourceFact struct {
	Source    string   `json:"source"`
	File      string   `json:"file"`
	Kind      string   `json:"kind"` // attributed, weighted, listed
	Vendor    string   `json:"vendor"`
	Username  string   `json:"username"`
	Password  string   `json:"password"`
	Protocols []string `json:"protocols"`
	Weight    float64  `json:"weight"` // Mirai's
}

// heldOut is what an unknown-vendor ordering reaches of one source's
// pairs: its vendor defaults (entries: vendor, pair, protocol), the
// vendors with at least one entry reached, Mirai's weight, or a
// dictionary's pairs.
type heldOut struct {
	entries, entriesAll int
	vendors, vendorsAll int
	listed, listedAll   int
}

func (h heldOut) entryRate() float64  { return ratio(h.entries, h.entriesAll) }
func (h heldOut) vendorRate() float64 { return ratio(h.vendors, h.vendorsAll) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// reachSets returns, per login protocol, the pairs an ordering reaches
// within the budget on a device of unknown vendor at depth default.
func reachSets(order func(protocol string) []Credential, b Budget) map[string]map[[2]string]bool {
	out := map[string]map[[2]string]bool{}
	for _, p := range LoginProtocols() {
		out[p] = map[[2]string]bool{}
		for _, cr := range reached(order(p), b) {
			out[p][[2]string{cr.Username, cr.Password}] = true
		}
	}
	return out
}

// measure counts what reach covers of source's facts.
func measure(facts []sourceFact, source string, reach map[string]map[[2]string]bool) heldOut {
	var h heldOut
	vendors, covered := map[string]bool{}, map[string]bool{}
	seen := map[string]bool{}
	for _, f := range facts {
		if f.Source != source {
			continue
		}
		k := [2]string{f.Username, f.Password}
		for _, p := range f.Protocols {
			id := strings.Join([]string{f.Kind, f.Vendor, p, f.Username, f.Password}, "\x00")
			if seen[id] {
				continue
			}
			seen[id] = true
			hit := reach[p][k]
			switch f.Kind {
			case "attributed":
				h.entriesAll++
				vendors[f.Vendor] = true
				if hit {
					h.entries++
					covered[f.Vendor] = true
				}
			default:
				h.listedAll++
				if hit {
					h.listed++
				}
			}
		}
	}
	h.vendors, h.vendorsAll = len(covered), len(vendors)
	return h
}

// legacyOrder is the generic ordering before the prevalence ranking: the
// catalogue's generic entries in tier, then priority order (For with an
// unknown vendor, as it was).
func legacyOrder(c *Catalog, depth Depth) func(string) []Credential {
	return func(protocol string) []Credential {
		var out []Credential
		for _, i := range c.sorted("", "", protocol, depth) {
			if len(out) < depth.Cap() {
				out = append(out, c.creds[i])
			}
		}
		return out
	}
}

// genCatalogue runs the generator binary and loads what it wrote.
func genCatalogue(t *testing.T, gen, data string, args ...string) *Catalog {
	t.Helper()
	out := filepath.Join(t.TempDir(), "creds.json")
	cmd := exec.CommandContext(t.Context(), gen, append([]string{"-data", data, "-curated", "gen/curated.json", "-out", out}, args...)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen %v: %v\n%s", args, err, b)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := Load(f)
	if err != nil {
		t.Fatalf("gen %v wrote an invalid catalogue: %v", args, err)
	}
	return c
}

// Floors of the generalisation test, from its measurement (the table
// TestGeneralisation logs). Measured with the shared data of 2026-12-04
// and the budget of a device of unknown vendor since account domains
// (3 failures per account, 3 per account domain: UnknownVendorCap, kept
// below Hikvision's client lock at 5): a ranking built without the source
// reaches 26% (seclists, 5 of 19) to 60% (routersploit) of a source's
// vendors, and 6% of Mirai's weight; the old hand-picked list reaches 32%
// to 68%, and 7%. (With the earlier cap of 6 per device the ranking
// reached 32% to 72% and 12%, the old list 31% to 68% and 10%: halving
// the cap is what keeps an unidentified Hikvision from locking.) The
// floors sit a third under the lowest measurement, so that new rows in a
// source (one vendor of seclists is 5%) do not fail CI, while a ranking
// that stopped generalising does; and over all vendor-attributed sources
// the ranking must reach at least as many vendors as the old list.
const (
	floorVendors = 0.17
	floorMirai   = 0.04
)

// TestGeneralisation holds each credential source of ../shared/data out
// in turn, builds the unknown-vendor ordering without it (gen -without)
// and measures how many of that source's vendor defaults the ordering
// still reaches within the budget at depth default; it prints the
// per-source table (go test -v) next to the old hand-picked ordering and
// fails below the floors.
func TestGeneralisation(t *testing.T) {
	data := filepath.Join("..", "..", "..", "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(data, "SOURCES.md")); err != nil {
		t.Fatalf("shared data not found at %s: %v", data, err)
	}
	dir := t.TempDir()
	gen := filepath.Join(dir, "gen")
	if b, err := exec.CommandContext(t.Context(), "go", "build", "-o", gen, "./gen").CombinedOutput(); err != nil {
		t.Fatalf("build gen: %v\n%s", err, b)
	}
	factsPath := filepath.Join(dir, "facts.json")
	full := genCatalogue(t, gen, data, "-facts", factsPath)
	raw, err := os.ReadFile(factsPath)
	if err != nil {
		t.Fatal(err)
	}
	var facts []sourceFact
	if err := json.Unmarshal(raw, &facts); err != nil {
		t.Fatal(err)
	}
	b := full.BudgetFor("")
	legacy := reachSets(legacyOrder(full, DepthDefault), b)
	var sb strings.Builder
	fmt.Fprintf(&sb, "\n%-26s %-24s %-24s %-24s\n", "held-out source", "vendors reached", "vendor defaults reached", "old list: vendors")
	sources := []string{"cameradar", "changeme", "defaultcreds-cheat-sheet", "mirai", "nndefaccts", "routersploit", "rtspbrute", "seclists"}
	newVendors, oldVendors := 0, 0
	for _, src := range sources {
		c := genCatalogue(t, gen, data, "-without", src)
		reach := reachSets(func(p string) []Credential { return c.For("", "", p, DepthDefault) }, b)
		h, old := measure(facts, src, reach), measure(facts, src, legacy)
		switch {
		case src == "mirai":
			w, ow := miraiReached(facts, reach), miraiReached(facts, legacy)
			fmt.Fprintf(&sb, "%-26s %-24s %-24s %-24s\n", src, fmt.Sprintf("Mirai weight %.0f%%", 100*w), "-", fmt.Sprintf("Mirai weight %.0f%%", 100*ow))
			if w < floorMirai {
				t.Errorf("without Mirai, the ordering reaches %.0f%% of its weight, floor %.0f%%", 100*w, 100*floorMirai)
			}
		case h.vendorsAll == 0:
			fmt.Fprintf(&sb, "%-26s %-24s %-24s %-24s\n", src, "(dictionary)", fmt.Sprintf("pairs %d/%d", h.listed, h.listedAll), fmt.Sprintf("pairs %d/%d", old.listed, old.listedAll))
		default:
			fmt.Fprintf(&sb, "%-26s %-24s %-24s %-24s\n", src,
				fmt.Sprintf("%d/%d (%.0f%%)", h.vendors, h.vendorsAll, 100*h.vendorRate()),
				fmt.Sprintf("%d/%d (%.0f%%)", h.entries, h.entriesAll, 100*h.entryRate()),
				fmt.Sprintf("%d/%d (%.0f%%)", old.vendors, old.vendorsAll, 100*old.vendorRate()))
			newVendors, oldVendors = newVendors+h.vendors, oldVendors+old.vendors
			if h.vendorRate() < floorVendors {
				t.Errorf("without %s, the ordering reaches %.0f%% of its vendors, floor %.0f%%", src, 100*h.vendorRate(), 100*floorVendors)
			}
		}
	}
	fmt.Fprintf(&sb, "reached = tried within the budget (%d failures per account, %d per account domain) on a device of unknown vendor at depth default,\n"+
		"every protocol (http, rtsp, onvif, telnet, ssh, ftp); a vendor counts when one of its defaults is reached; old list = the hand-picked generic list\n",
		b.PerAccount, b.PerDevice)
	t.Log(sb.String())
	if newVendors < oldVendors {
		t.Errorf("held-out sources: the ranking reaches %d vendors, the old hand-picked list %d", newVendors, oldVendors)
	}
	for _, s := range sources {
		if !slices.ContainsFunc(facts, func(f sourceFact) bool { return f.Source == s }) {
			t.Errorf("source %s has no facts: the generator no longer reads it", s)
		}
	}
}

// miraiReached is the share of Mirai's weight (how often its scanner
// picks a pair) the reach covers on telnet.
func miraiReached(facts []sourceFact, reach map[string]map[[2]string]bool) float64 {
	var all, hit float64
	for _, f := range facts {
		if f.Source == "mirai" && slices.Contains(f.Protocols, "telnet") {
			all += f.Weight
			if reach["telnet"][[2]string{f.Username, f.Password}] {
				hit += f.Weight
			}
		}
	}
	if all == 0 {
		return 0
	}
	return hit / all
}
