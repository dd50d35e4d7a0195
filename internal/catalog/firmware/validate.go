package firmware

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/version"
)

var (
	cveRE = regexp.MustCompile(`^CVE-\d{4}-\d{4,7}$`)
	jvnRE = regexp.MustCompile(`^JVN(DB-\d{4}-\d{6}|VU#?\d{5,8}|#\d{8})$`)
)

// categories a vulnerability may have.
var categories = []string{"camera", "nvr", "router", "nas", "network", "other"}

// validate checks the schema version, every date, pattern and version, and
// that every entry names its source and the date it was checked.
func (c *Catalog) validate() error {
	if c.Schema != SchemaVersion {
		return fmt.Errorf("schema %q, want %q", c.Schema, SchemaVersion)
	}
	if err := checkDate("date", c.Date, true); err != nil {
		return err
	}
	schemes := make(map[string]version.Scheme)
	for i, v := range c.Vendors {
		where := fmt.Sprintf("vendor %d (%s)", i, v.Name)
		if v.Name == "" || !slices.Contains(version.Schemes(), v.Scheme) {
			return fmt.Errorf("%s: needs a name and a known scheme, got scheme %q", where, v.Scheme)
		}
		if v.ManualCheck.EN == "" || v.ManualCheck.JA == "" {
			return fmt.Errorf("%s: manual_check needs en and ja", where)
		}
		if err := checkProvenance(where, v.Source, v.Checked); err != nil {
			return err
		}
		for _, n := range append([]string{v.Name}, v.Aliases...) {
			k := strings.ToLower(n)
			if _, dup := schemes[k]; dup {
				return fmt.Errorf("%s: name %q listed twice", where, n)
			}
			schemes[k] = v.Scheme
		}
	}
	for i := range c.Families {
		if err := c.Families[i].validate(i, schemes); err != nil {
			return err
		}
	}
	for i := range c.Vulnerabilities {
		if err := c.Vulnerabilities[i].validate(i, schemes); err != nil {
			return err
		}
	}
	for i := range c.Superseded {
		if err := c.Superseded[i].validate(i, schemes); err != nil {
			return err
		}
	}
	return c.validatePastDates()
}

// validatePastDates checks that no fact is dated after the catalogue
// itself: a check, a release or a KEV listing cannot come after the day
// the data was put together (end-of-sale and end-of-support dates may be
// announced ahead and are not limited).
func (c *Catalog) validatePastDates() error {
	after := func(where, what, d string) error {
		if d > c.Date { // YYYY-MM-DD, validated: text order is date order
			return fmt.Errorf("%s: %s %s is after the catalogue's date %s", where, what, d, c.Date)
		}
		return nil
	}
	for i, v := range c.Vendors {
		if err := after(fmt.Sprintf("vendor %d (%s)", i, v.Name), "checked", v.Checked); err != nil {
			return err
		}
	}
	for i, f := range c.Families {
		where := fmt.Sprintf("family %d (%s %s)", i, f.Vendor, f.Name)
		if err := after(where, "checked", f.Checked); err != nil {
			return err
		}
		if f.Latest != nil {
			if err := after(where, "latest release", f.Latest.Date); err != nil {
				return err
			}
		}
	}
	for i, s := range c.Superseded {
		if err := after(fmt.Sprintf("superseded %d (%s %s)", i, s.Vendor, s.Introduced), "checked", s.Checked); err != nil {
			return err
		}
	}
	for i, v := range c.Vulnerabilities {
		where := fmt.Sprintf("vulnerability %d (%s)", i, v.CVE)
		if err := after(where, "checked", v.Checked); err != nil {
			return err
		}
		if err := after(where, "kev_date_added", v.KEVAdded); err != nil {
			return err
		}
	}
	return nil
}

func (f *Family) validate(i int, schemes map[string]version.Scheme) error {
	where := fmt.Sprintf("family %d (%s %s)", i, f.Vendor, f.Name)
	scheme, ok := schemes[strings.ToLower(f.Vendor)]
	if !ok {
		return fmt.Errorf("%s: unknown vendor", where)
	}
	if f.Name == "" || (len(f.Models) == 0 && f.ModelPattern == "") {
		return fmt.Errorf("%s: needs a name and models or a model_pattern", where)
	}
	var err error
	if f.pattern, err = compile(f.ModelPattern); err != nil {
		return fmt.Errorf("%s: model_pattern: %w", where, err)
	}
	if f.Latest != nil {
		if _, err := version.Parse(scheme, f.Latest.Version); err != nil {
			return fmt.Errorf("%s: latest: %w", where, err)
		}
		if err := checkDate(where+": latest date", f.Latest.Date, true); err != nil {
			return err
		}
	}
	if f.Latest == nil && f.EndOfSale == "" && f.EndOfSupport == "" && !f.Discontinued {
		return fmt.Errorf("%s: says nothing (no latest, no lifecycle)", where)
	}
	for _, d := range [][2]string{{"end_of_sale", f.EndOfSale}, {"end_of_support", f.EndOfSupport}} {
		if err := checkDate(where+": "+d[0], d[1], false); err != nil {
			return err
		}
	}
	return checkProvenance(where, f.Source, f.Checked)
}

func (v *Vulnerability) validate(i int, schemes map[string]version.Scheme) error {
	where := fmt.Sprintf("vulnerability %d (%s)", i, v.CVE)
	if !cveRE.MatchString(v.CVE) {
		return fmt.Errorf("%s: bad cve id", where)
	}
	scheme, ok := schemes[strings.ToLower(v.Vendor)]
	if !ok {
		return fmt.Errorf("%s: unknown vendor %q", where, v.Vendor)
	}
	if !slices.Contains(categories, v.Category) {
		return fmt.Errorf("%s: category %q not one of %v", where, v.Category, categories)
	}
	var err error
	if v.pattern, err = compile(v.Models); err != nil {
		return fmt.Errorf("%s: model_pattern: %w", where, err)
	}
	if v.AllVersions && v.Models == "" {
		return fmt.Errorf("%s: all_versions needs a model_pattern", where)
	}
	if v.CVSS < 0 || v.CVSS > 10 {
		return fmt.Errorf("%s: cvss %v out of range", where, v.CVSS)
	}
	if v.KEV != (v.KEVAdded != "") {
		return fmt.Errorf("%s: kev and kev_date_added go together", where)
	}
	if err := checkDate(where+": kev_date_added", v.KEVAdded, false); err != nil {
		return err
	}
	if v.JVN != "" && !jvnRE.MatchString(v.JVN) {
		return fmt.Errorf("%s: bad jvn id %q", where, v.JVN)
	}
	for j := range v.Affected {
		if err := v.Affected[j].validate(fmt.Sprintf("%s: range %d", where, j), scheme, v.Models); err != nil {
			return err
		}
	}
	return checkProvenance(where, v.Source, v.Checked)
}

func (s *Superseded) validate(i int, schemes map[string]version.Scheme) error {
	where := fmt.Sprintf("superseded %d (%s %s)", i, s.Vendor, s.Introduced)
	scheme, ok := schemes[strings.ToLower(s.Vendor)]
	if !ok {
		return fmt.Errorf("%s: unknown vendor %q", where, s.Vendor)
	}
	var err error
	if s.pattern, err = compile(s.Models); err != nil {
		return fmt.Errorf("%s: model_pattern: %w", where, err)
	}
	from, err := version.Parse(scheme, s.Introduced)
	if err != nil {
		return fmt.Errorf("%s: introduced: %w", where, err)
	}
	to, err := version.Parse(scheme, s.Successor)
	if err != nil {
		return fmt.Errorf("%s: successor: %w", where, err)
	}
	if version.Compare(from, to) >= 0 {
		return fmt.Errorf("%s: introduced %s is not before successor %s", where, s.Introduced, s.Successor)
	}
	if strings.TrimSpace(s.Line) == "" {
		return fmt.Errorf("%s: needs the successor line's name", where)
	}
	return checkProvenance(where, s.Source, s.Checked)
}

func (r *Range) validate(where string, scheme version.Scheme, vulnModels string) error {
	var err error
	if r.pattern, err = compile(r.Models); err != nil {
		return fmt.Errorf("%s: model_pattern: %w", where, err)
	}
	if r.Models == "" && vulnModels == "" {
		return fmt.Errorf("%s: a range needs a model_pattern here or on its vulnerability", where)
	}
	bounds := 0
	for _, b := range []string{r.Introduced, r.LastAffected, r.Fixed} {
		if b == "" {
			continue
		}
		bounds++
		if _, err := version.Parse(scheme, b); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
	}
	if err := checkDate(where+": build_before", r.BuildBefore, false); err != nil {
		return err
	}
	if bounds == 0 && r.BuildBefore == "" {
		return fmt.Errorf("%s: no bound", where)
	}
	return nil
}

func compile(pattern string) (*regexp.Regexp, error) {
	if pattern == "" {
		return nil, nil
	}
	return regexp.Compile(`(?i)^(?:` + pattern + `)`)
}

func checkDate(what, s string, required bool) error {
	if s == "" && !required {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return fmt.Errorf("%s: date %q is not YYYY-MM-DD", what, s)
	}
	return nil
}

func checkProvenance(where, source, checked string) error {
	if strings.TrimSpace(source) == "" {
		return fmt.Errorf("%s: no source", where)
	}
	return checkDate(where+": checked", checked, true)
}
