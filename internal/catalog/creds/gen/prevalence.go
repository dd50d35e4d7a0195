package main

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// The prevalence ranking orders, per protocol, the pairs camwarden tries
// on a device whose vendor is unknown. It is derived from the sources
// alone (no hand-set number) by one rule.
//
// The population is every vendor of every source: a product column of
// DefaultCreds, a module directory of routersploit, a fingerprint's vendor
// in nndefaccts, a changeme file; a dictionary without vendors (Cameradar,
// rtspbrute, routersploit's defaults.txt) counts as one anonymous vendor.
// A vendor named by two sources is two members, so a pair gains weight
// both from the vendors and from the independent sources that list it. A
// member listing k pairs has each as its default with probability 1/k, and
// the pooled estimate of a pair is the mean over all members:
//
//	pooled(p) = (1/members) * sum over members m listing p of 1/k_m
//
// the probability that a device of a vendor drawn at random has default
// p. Counting vendors, not market share, is deliberate: a device reaches
// this ranking only when camwarden could not name its vendor, which the
// market leaders' fingerprints make rare, so the long tail is what is left.
// Mirai's list is the one source that carries frequencies (its authors'
// selection weights for the IoT devices they infected); for the shell
// protocols it is a second estimate next to the pooled one, and the weight
// is the mean of the two (telnet, SSH); elsewhere the weight is the pooled
// estimate. A file that copies another source (see copies) does not vote.
//
// Protocols are ranked in groups (see surfaceGroups): a camera serves one
// account on web, RTSP and ONVIF, and telnet and SSH are the same
// embedded-Linux shell, so the facts of any protocol of a group count for
// all of it; FTP on cameras and recorders takes the device account, so its
// ranking counts the web facts too.
//
// The tier (the shallowest --depth that tries the pair) is the shallowest
// of its facts: default when a source attributes it to a vendor, common
// when only Mirai lists it, extended when only dictionaries do.

// surfaceGroup is protocols ranked together and the protocols whose
// facts rank them.
type surfaceGroup struct{ protocols, evidence []string }

// surfaceGroups lists the rankings the catalogue holds.
var surfaceGroups = []surfaceGroup{
	{[]string{"http", "rtsp", "onvif"}, []string{"http", "rtsp", "onvif"}},
	{[]string{"telnet", "ssh"}, []string{"telnet", "ssh"}},
	{[]string{"ftp"}, []string{"ftp", "http", "rtsp", "onvif"}},
}

// rankedTerm is one source's part of a pair's weight: its provenance.
type rankedTerm struct {
	Source  string `json:"source"`  // source directory
	Cite    string `json:"cite"`    // first row of the pair in the source
	Vendors int    `json:"vendors"` // vendors of the source listing it (0: a list)
	// Share is the source's part: its members' 1/k over all members of the
	// pool, or, for Mirai, weight / sum of weights; rounded.
	Share float64 `json:"share"`
}

// rankedPair is one pair of a protocol's ranking.
type rankedPair struct {
	Username string       `json:"username"`
	Password string       `json:"password"`
	Name     string       `json:"name"`
	Tier     string       `json:"tier"`
	Weight   float64      `json:"weight"`
	Terms    []rankedTerm `json:"terms"`
	vendors  int          // distinct vendors over all sources, for the name
}

// ranking is one protocol's prevalence ranking.
type ranking struct {
	Protocols []string `json:"protocols"`
	Sources   []string `json:"sources"`
	// Members is the pooled population (vendors and anonymous lists).
	Members int `json:"members"`
	// Weighted names the source with weights (Mirai) when it applies.
	Weighted string `json:"weighted,omitempty"`
	// Estimates is how many estimates the weight averages: 1 (pooled),
	// or 2 with Weighted's.
	Estimates int          `json:"estimates"`
	Pairs     []rankedPair `json:"pairs"`
}

// maxRanked bounds each protocol's ranking: the deepest depth tries at
// most 300 pairs per protocol (creds.DepthExtended.Cap()).
const maxRanked = 300

var tierNames = [...]string{attributed: "default", weighted: "common", listed: "extended"}

// round9 keeps nine decimals, as the catalogue stores shares and weights
// (a dictionary pair's share in a pool of a thousand members is ~1e-6).
func round9(x float64) float64 { return math.Round(x*1e9) / 1e9 }

type pairKey struct{ user, pass string }

// population is one vendor (or anonymous list) of a source: its pairs and
// the probability mass of each.
type population struct {
	kind factKind
	mass map[pairKey]float64
}

// rank builds the ranking of a surface group from the voting facts.
func rank(facts []fact, g surfaceGroup) (ranking, error) {
	pops := map[string]map[string]*population{} // source -> member -> population
	cites := map[string]map[pairKey]string{}    // source -> pair -> first row
	for _, f := range facts {
		if _, copied := copies[f.file]; copied || !overlaps(f.protocols, g.evidence) {
			continue
		}
		member := "vendor " + f.vendor
		if f.kind != attributed {
			member = "list " + f.file
		}
		if pops[f.source] == nil {
			pops[f.source] = map[string]*population{}
			cites[f.source] = map[pairKey]string{}
		}
		p := pops[f.source][member]
		if p == nil {
			p = &population{kind: f.kind, mass: map[pairKey]float64{}}
			pops[f.source][member] = p
		}
		k := pairKey{f.username, f.password}
		if f.kind == weighted {
			p.mass[k] += f.weight
		} else {
			p.mass[k] = 1
		}
		if _, ok := cites[f.source][k]; !ok {
			cites[f.source][k] = f.cite
		}
	}
	r := ranking{Protocols: g.protocols, Estimates: 1}
	for s, members := range pops {
		r.Sources = append(r.Sources, s)
		for _, m := range members {
			if m.kind == weighted {
				r.Estimates, r.Weighted = 2, s
			} else {
				r.Members++
			}
		}
	}
	slices.Sort(r.Sources)
	byPair := map[pairKey]*rankedPair{}
	best := map[pairKey]factKind{}
	vendorSets := map[pairKey]map[string]bool{}
	for _, s := range r.Sources {
		terms := map[pairKey]*rankedTerm{}
		for _, name := range sortedKeys(pops[s]) {
			m := pops[s][name]
			total := 0.0
			for _, x := range m.mass {
				total += x
			}
			pool := float64(r.Members) // the pooled estimate's denominator
			if m.kind == weighted {
				pool = 1 // a separate estimate of its own
			}
			for _, k := range sortedPairs(m.mass) {
				t := terms[k]
				if t == nil {
					t = &rankedTerm{Source: s, Cite: cites[s][k]}
					terms[k] = t
				}
				t.Share += m.mass[k] / total / pool
				if m.kind == attributed {
					t.Vendors++
					if vendorSets[k] == nil {
						vendorSets[k] = map[string]bool{}
					}
					vendorSets[k][strings.TrimPrefix(name, "vendor ")] = true
				}
				if b, ok := best[k]; !ok || m.kind < b {
					best[k] = m.kind
				}
			}
		}
		for _, k := range sortedPairs(terms) {
			rp := byPair[k]
			if rp == nil {
				rp = &rankedPair{Username: k.user, Password: k.pass}
				byPair[k] = rp
			}
			t := terms[k]
			t.Share = round9(t.Share)
			rp.Terms = append(rp.Terms, *t)
		}
	}
	for k, rp := range byPair {
		sum := 0.0
		for _, t := range rp.Terms {
			sum += t.Share
		}
		rp.Weight = round9(sum / float64(r.Estimates))
		rp.Tier = tierNames[best[k]]
		rp.vendors = len(vendorSets[k])
		name, err := rankedName(rp)
		if err != nil {
			return r, err
		}
		rp.Name = name
		r.Pairs = append(r.Pairs, *rp)
	}
	slices.SortFunc(r.Pairs, func(a, b rankedPair) int {
		return cmp.Or(cmp.Compare(b.Weight, a.Weight), cmp.Compare(a.Username, b.Username), cmp.Compare(a.Password, b.Password))
	})
	if len(r.Pairs) > maxRanked {
		r.Pairs = r.Pairs[:maxRanked]
	}
	return r, nil
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// rankedName names a ranked pair without its password: the first of a
// few wordings that does not spell it (the catalogue's validation ignores
// the username).
func rankedName(rp *rankedPair) (string, error) {
	u, n := userDesc(rp.Username), len(rp.Terms)
	var cands []string
	switch rp.Tier {
	case "default":
		cands = append(cands, fmt.Sprintf("factory default of %d vendors in %d sources: %s", rp.vendors, n, u))
	case "common":
		cands = append(cands, fmt.Sprintf("Mirai list login in %d sources: %s", n, u))
	default:
		cands = append(cands, fmt.Sprintf("public dictionary login in %d sources: %s", n, u))
	}
	cands = append(cands, fmt.Sprintf("ranked login of %d sources: %s", n, u), "ranked pair: "+u)
	for _, c := range cands {
		l := strings.ReplaceAll(strings.ToLower(c), strings.ToLower(rp.Username), " ")
		if len(rp.Password) < 3 || !strings.Contains(l, strings.ToLower(rp.Password)) {
			return c, nil
		}
	}
	return "", fmt.Errorf("no name for the ranked pair of %s that does not spell its password", u)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func sortedPairs[V any](m map[pairKey]V) []pairKey {
	out := make([]pairKey, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b pairKey) int { return cmp.Or(cmp.Compare(a.user, b.user), cmp.Compare(a.pass, b.pass)) })
	return out
}
