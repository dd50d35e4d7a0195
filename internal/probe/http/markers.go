package http

import (
	"fmt"
	"regexp"

	catalog "github.com/camwarden/camwarden/internal/catalog/fingerprint"
	"github.com/camwarden/camwarden/internal/probe"
)

// FieldBody is the field name of the catalogue rules that look into a
// page body (login-page markers, skin and logo paths, script names). The
// body itself is never stored: the probe runs these rules over it and
// records what they matched in probe.FieldHTTPBodyHints, where the
// fingerprint matcher applies the same rules again.
const FieldBody = "http.body"

// markerMax bounds one recorded marker.
const markerMax = 128

// Markers finds in page bodies what the catalogue's http.body rules look
// for.
type Markers struct {
	res []*regexp.Regexp
}

// LoadMarkers compiles the http.body rules of the embedded catalogue.
func LoadMarkers() (*Markers, error) {
	cat, err := catalog.Load()
	if err != nil {
		return nil, fmt.Errorf("load body markers: %w", err)
	}
	return NewMarkers(cat)
}

// NewMarkers compiles the http.body rules of cat.
func NewMarkers(cat *catalog.Catalog) (*Markers, error) {
	m := &Markers{}
	for _, r := range cat.Rules {
		if r.Field != FieldBody {
			continue
		}
		re, err := regexp.Compile(r.Pattern)
		if err != nil {
			return nil, fmt.Errorf("body rule %s: %w", r.ID, err)
		}
		m.res = append(m.res, re)
	}
	return m, nil
}

// Find returns the distinct texts the rules matched in body, printable,
// in rule order.
func (m *Markers) Find(body []byte) []string {
	if m == nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, re := range m.res {
		if loc := re.FindIndex(body); loc != nil {
			v := probe.Printable(body[loc[0]:loc[1]], markerMax)
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	return out
}
