package creds

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// validSource matches a citation: "<dir>/<file>:<line or entry>" of the
// shared data, or "doc:" followed by a description of a documented fact.
var validSource = regexp.MustCompile(`^([a-z0-9_.-]+/[A-Za-z0-9_.\-]+:[^\s].*|doc: .+)$`)

func validateVendor(v Vendor) error {
	if strings.TrimSpace(v.Name) == "" {
		return errors.New("empty name")
	}
	if v.Platform != "" && normVendor(v.Platform) == normVendor(v.Name) {
		return errors.New("platform is the vendor itself")
	}
	l := v.Lockout
	if l.Source == "" {
		return errors.New("lockout without source")
	}
	if l.Known {
		if l.Threshold < 0 || l.MinThreshold < 0 || (l.MinThreshold > l.Threshold && l.Threshold > 0) {
			return fmt.Errorf("lockout thresholds %d/%d", l.Threshold, l.MinThreshold)
		}
		if l.Threshold > 0 {
			w, err := time.ParseDuration(l.Window)
			if err != nil || w <= 0 {
				return fmt.Errorf("lockout window %q", l.Window)
			}
		}
	}
	if err := validateScope(l.Scope); err != nil {
		return err
	}
	if v.Setup.Source == "" {
		return errors.New("setup without source")
	}
	return validateAccounts(v.Accounts)
}

// validateCredential checks one entry and compiles its model pattern.
func (c *Catalog) validateCredential(cr Credential) (*regexp.Regexp, error) {
	if !cr.Tier.Valid() {
		return nil, fmt.Errorf("tier %d", int(cr.Tier))
	}
	if cr.Name == "" {
		return nil, errors.New("empty name")
	}
	if nameReveals(cr) {
		return nil, errors.New("name contains the password")
	}
	if cr.Vendor != "" {
		if _, ok := c.vendors[normVendor(cr.Vendor)]; !ok {
			return nil, fmt.Errorf("vendor %q has no vendor facts", cr.Vendor)
		}
	}
	if cr.Priority < 0 {
		return nil, fmt.Errorf("priority %d", cr.Priority)
	}
	if len(cr.Protocols) == 0 {
		return nil, errors.New("no protocols")
	}
	for _, p := range cr.Protocols {
		if !slices.Contains(LoginProtocols(), p) {
			return nil, fmt.Errorf("protocol %q", p)
		}
	}
	if err := validateSources(cr.Sources); err != nil {
		return nil, err
	}
	if cr.Model == "" {
		return nil, nil
	}
	re, err := regexp.Compile(`(?i)^(?:` + cr.Model + `)`)
	if err != nil {
		return nil, fmt.Errorf("model pattern: %w", err)
	}
	return re, nil
}

func validateSources(src []string) error {
	if len(src) == 0 {
		return errors.New("no source")
	}
	for _, s := range src {
		if !validSource.MatchString(s) {
			return fmt.Errorf("source %q is not <dir>/<file>:<where> or \"doc: ...\"", s)
		}
	}
	return nil
}

func validateCommunities(cs []Community) error {
	seen := map[string]bool{}
	for i, cm := range cs {
		switch {
		case cm.Community == "":
			return fmt.Errorf("snmp community %d: empty", i)
		case seen[cm.Community]:
			return fmt.Errorf("snmp community %d (%s): duplicate", i, cm.Name)
		case cm.Name == "" || strings.Contains(cm.Name, cm.Community) && len(cm.Community) >= 3:
			return fmt.Errorf("snmp community %d: name empty or contains the community", i)
		case !cm.Tier.Valid():
			return fmt.Errorf("snmp community %d (%s): tier %d", i, cm.Name, int(cm.Tier))
		}
		if err := validateSources(cm.Sources); err != nil {
			return fmt.Errorf("snmp community %d (%s): %w", i, cm.Name, err)
		}
		seen[cm.Community] = true
	}
	return nil
}

// nameReveals reports whether a credential's name spells its password,
// ignoring the username and vendor (admin/admin may say "admin").
func nameReveals(cr Credential) bool {
	if len(cr.Password) < 3 {
		return false
	}
	n := strings.ToLower(cr.Name)
	for _, s := range []string{cr.Username, cr.Vendor} {
		if len(s) > 0 {
			n = strings.ReplaceAll(n, strings.ToLower(s), " ")
		}
	}
	return strings.Contains(n, strings.ToLower(cr.Password))
}
