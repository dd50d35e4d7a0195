package creds

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Ranking is the catalogue's prevalence ranking of the pairs of a group of
// protocols, for devices whose vendor is unknown: how often each pair is a
// factory default in the wild, estimated from the public sources by
// gen/prevalence.go (the rule is explained there and in data/SOURCES.md).
type Ranking struct {
	// Protocols are ranked together (http, rtsp and onvif share the
	// device's account; telnet and ssh its shell).
	Protocols []string `json:"protocols"`
	// Sources are the source directories whose facts voted.
	Sources []string `json:"sources"`
	// Members is the pooled population: the sources' vendors plus one
	// anonymous member per dictionary.
	Members int `json:"members"`
	// Weighted names the source whose own weights are a second estimate
	// (Mirai, for the shell protocols), or "".
	Weighted string `json:"weighted,omitempty"`
	// Estimates is how many estimates a weight averages (1, or 2 with
	// Weighted).
	Estimates int `json:"estimates"`
	// Pairs are sorted by Weight, highest first.
	Pairs []RankedPair `json:"pairs"`
}

// RankedPair is one pair of a Ranking with its weight and provenance.
type RankedPair struct {
	Username string `json:"username"`
	Password string `json:"password"`
	// Name says what the pair is without its password.
	Name string `json:"name"`
	// Tier: default when a source attributes the pair to a vendor, common
	// when only the weighted source lists it, extended for dictionaries.
	Tier Depth `json:"tier"`
	// Weight is the sum of the terms' shares over Estimates: the estimated
	// probability that a device of unknown vendor has this default.
	Weight float64 `json:"weight"`
	// Terms are each source's part of the weight.
	Terms []Term `json:"terms"`
}

// Term is one source's part of a RankedPair's weight: its provenance.
type Term struct {
	// Source is the source directory of ../shared/data.
	Source string `json:"source"`
	// Cite is the pair's first row in the source.
	Cite string `json:"cite"`
	// Vendors is how many of the source's vendors list the pair (0 when
	// only a dictionary or the weighted list does).
	Vendors int `json:"vendors"`
	// Share is the source's members' 1/k for the pair over Members (for
	// the weighted source: the pair's weight over the sum of weights).
	Share float64 `json:"share"`
}

// Ranking returns the prevalence ranking protocol belongs to; ok is false
// when the catalogue has none (SNMP).
func (c *Catalog) Ranking(protocol string) (r Ranking, ok bool) {
	if c == nil {
		return Ranking{}, false
	}
	rk, ok := c.ranked[normProtocol(protocol)]
	if !ok {
		return Ranking{}, false
	}
	return *rk, true
}

// credential turns a ranked pair into a generic catalogue entry for
// protocol; priority is its rank.
func (p RankedPair) credential(protocol string, rank int) Credential {
	src := make([]string, len(p.Terms))
	for i, t := range p.Terms {
		src[i] = t.Cite
	}
	return Credential{Protocols: []string{protocol}, Username: p.Username, Password: p.Password,
		Name: p.Name, Tier: p.Tier, Priority: rank, Sources: src}
}

// validateRankings checks the prevalence section and indexes it by
// protocol.
func validateRankings(rs []Ranking) (map[string]*Ranking, error) {
	out := map[string]*Ranking{}
	for i := range rs {
		r := &rs[i]
		if len(r.Protocols) == 0 {
			return nil, fmt.Errorf("ranking %d: no protocols", i)
		}
		for _, p := range r.Protocols {
			if !slices.Contains(LoginProtocols(), p) {
				return nil, fmt.Errorf("ranking %d: protocol %q", i, p)
			}
			if _, dup := out[p]; dup {
				return nil, fmt.Errorf("ranking %d: protocol %q ranked twice", i, p)
			}
			out[p] = r
		}
		if err := r.validate(); err != nil {
			return nil, fmt.Errorf("ranking %s: %w", strings.Join(r.Protocols, "+"), err)
		}
	}
	return out, nil
}

func (r *Ranking) validate() error {
	want := 1
	if r.Weighted != "" {
		want = 2
	}
	switch {
	case r.Estimates != want:
		return fmt.Errorf("%d estimates with weighted source %q", r.Estimates, r.Weighted)
	case r.Members <= 0:
		return errors.New("no members")
	case r.Weighted != "" && !slices.Contains(r.Sources, r.Weighted):
		return fmt.Errorf("weighted source %q is not a source", r.Weighted)
	}
	seen := map[[2]string]bool{}
	for i, p := range r.Pairs {
		if err := r.validatePair(p); err != nil {
			return fmt.Errorf("pair %d (%s): %w", i, p.Name, err)
		}
		k := [2]string{p.Username, p.Password}
		if seen[k] {
			return fmt.Errorf("pair %d (%s): duplicate", i, p.Name)
		}
		seen[k] = true
		if i > 0 && p.Weight > r.Pairs[i-1].Weight {
			return fmt.Errorf("pair %d (%s): weight %g above the previous %g", i, p.Name, p.Weight, r.Pairs[i-1].Weight)
		}
	}
	return nil
}

// validatePair checks that a pair's weight and tier follow from its
// terms, so that no weight can be set by hand.
func (r *Ranking) validatePair(p RankedPair) error {
	switch {
	case p.Username == "":
		return errors.New("empty username")
	case p.Name == "":
		return errors.New("empty name")
	case nameReveals(Credential{Name: p.Name, Username: p.Username, Password: p.Password}):
		return errors.New("name contains the password")
	case len(p.Terms) == 0:
		return errors.New("no terms")
	}
	sum, tier := 0.0, DepthExtended
	for _, t := range p.Terms {
		if !slices.Contains(r.Sources, t.Source) || !strings.HasPrefix(t.Cite, t.Source+"/") {
			return fmt.Errorf("term %s cites %q", t.Source, t.Cite)
		}
		if err := validateSources([]string{t.Cite}); err != nil {
			return err
		}
		if t.Share < 0 || t.Vendors < 0 {
			return fmt.Errorf("term %s: share %g, vendors %d", t.Source, t.Share, t.Vendors)
		}
		sum += t.Share
		switch {
		case t.Vendors > 0:
			tier = DepthDefault
		case t.Source == r.Weighted:
			tier = min(tier, DepthCommon)
		}
	}
	if w := math.Round(sum/float64(r.Estimates)*1e9) / 1e9; math.Abs(w-p.Weight) > 1.5e-9 {
		return fmt.Errorf("weight %g, the terms give %g", p.Weight, w)
	}
	if p.Tier != tier {
		return fmt.Errorf("tier %s, the terms give %s", p.Tier, tier)
	}
	return nil
}
