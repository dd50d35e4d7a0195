// Package fingerprint holds camwarden's embedded identification rules: the
// canonical vendor list with aliases, regex rules over probe.Service fields,
// model naming conventions that give a device type, and OUI prefixes. Every
// entry cites where the fact comes from; catalog_test.go validates the data.
// The matching itself lives in internal/fingerprint.
package fingerprint

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

//go:embed data/*.json
var dataFS embed.FS

// Schema identifiers of the embedded files.
const (
	SchemaVendors = "camwarden.fingerprint.vendors/1"
	SchemaRules   = "camwarden.fingerprint.rules/1"
	SchemaModels  = "camwarden.fingerprint.models/1"
	SchemaOUI     = "camwarden.fingerprint.oui/1"
)

// Device types a rule may yield; they match device.Kind values.
const (
	TypeCamera = "camera"
	TypeNVR    = "nvr"
	TypeRouter = "router"
	TypeOther  = "other"
)

// KindStack marks a vendor entry that names a software stack (GoAhead,
// BusyBox, miniupnpd...) rather than a device maker: its rules only hint
// at the device type and never claim a vendor. KindChipset marks a chip
// maker (Quantenna, HiSilicon) that devices of many brands name as their
// manufacturer: never a device vendor either.
const (
	KindStack   = "stack"
	KindChipset = "chipset"
)

// Vendor is one canonical vendor name with the spellings devices use.
type Vendor struct {
	Name    string   `json:"name"`
	Kinds   []string `json:"kinds"`             // camera, nvr, router, or stack
	Aliases []string `json:"aliases,omitempty"` // other spellings, matched case/punctuation-insensitively
	// Platform names the vendor whose hardware/firmware this brand resells
	// (HiWatch -> Hikvision, Lorex -> Dahua); empty for original makers.
	Platform string `json:"platform,omitempty"`
	// Domains are the vendor's own web domains (hikvision.com): a host
	// name under one of them in a device's text points to the vendor.
	Domains []string `json:"domains,omitempty"`
	// Source says where the entry's names and domains come from.
	Source string `json:"source,omitempty"`
}

// IsStack reports whether the entry names a software stack or a chip
// maker: never the vendor of a device.
func (v Vendor) IsStack() bool {
	return slices.Contains(v.Kinds, KindStack) || slices.Contains(v.Kinds, KindChipset)
}

// Example is a real string a rule must match, with the captures expected.
type Example struct {
	Text     string `json:"text"`
	Model    string `json:"model,omitempty"`
	Firmware string `json:"firmware,omitempty"`
}

// Rule matches one probe.Service field with a regular expression and
// yields identity claims, like a recog fingerprint.
type Rule struct {
	ID      string `json:"id"`
	Field   string `json:"field"`   // a probe.Field* key
	Pattern string `json:"pattern"` // Go RE2 syntax
	Vendor  string `json:"vendor"`  // canonical name from vendors.json
	Type    string `json:"type,omitempty"`
	Model   string `json:"model,omitempty"` // fixed model when the pattern names one
	// ModelGroup and FirmwareGroup are capture-group numbers (1-based);
	// 0 means none.
	ModelGroup    int     `json:"model_group,omitempty"`
	FirmwareGroup int     `json:"firmware_group,omitempty"`
	Confidence    float64 `json:"confidence"`
	Source        string  `json:"source"`
	// Refs are the machine-readable sources of the rule: paths under
	// shared/data ("recog/http_servers.xml", "retina/dahua_options.txt")
	// or "ext:<name>" for facts from outside it (a registry, a standard,
	// a vendor's documentation). Without drops rules by them.
	Refs     []string  `json:"refs"`
	Examples []Example `json:"examples"`
}

// ModelType maps a vendor's model naming convention to a device type.
type ModelType struct {
	Vendor   string    `json:"vendor"`
	Pattern  string    `json:"pattern"`
	Type     string    `json:"type"`
	Source   string    `json:"source"`
	Refs     []string  `json:"refs"` // as Rule.Refs
	Examples []Example `json:"examples"`
}

// OUI maps a MAC address prefix (6 upper-case hex digits) to a vendor.
type OUI struct {
	Prefix string `json:"prefix"`
	Vendor string `json:"vendor"`
}

// Catalog is the whole embedded rule set.
type Catalog struct {
	Vendors []Vendor
	Rules   []Rule
	Models  []ModelType
	OUIs    []OUI
	// Generic are manufacturer names that name no vendor ("Technology",
	// "IPCAM", "General"): devices of unnamed OEMs answer with them.
	Generic []string
	// RuleFiles counts rules per embedded file, for the README and tests.
	RuleFiles map[string]int
	aliases   map[string]string // normalised spelling -> canonical name
	byName    map[string]Vendor
}

type vendorFile struct {
	Schema  string   `json:"schema"`
	Source  string   `json:"source"`
	Vendors []Vendor `json:"vendors"`
	Generic []string `json:"generic"`
	// GenericSource says where the generic names come from.
	GenericSource string `json:"generic_source"`
}

type ruleFile struct {
	Schema string `json:"schema"`
	Rules  []Rule `json:"rules"`
}

type modelFile struct {
	Schema string      `json:"schema"`
	Models []ModelType `json:"models"`
}

type ouiFile struct {
	Schema string `json:"schema"`
	Source string `json:"source"`
	OUIs   []OUI  `json:"ouis"`
}

// Load parses the embedded data. It checks schemas and that every vendor a
// rule names exists; Validate does the deeper checks the test runs.
func Load() (*Catalog, error) {
	c := &Catalog{RuleFiles: map[string]int{}}
	entries, err := fs.ReadDir(dataFS, "data")
	if err != nil {
		return nil, fmt.Errorf("read embedded catalog: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		b, err := dataFS.ReadFile(path.Join("data", name))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		if err := c.add(name, b); err != nil {
			return nil, err
		}
	}
	if err := c.index(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Catalog) add(name string, b []byte) error {
	var head struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return fmt.Errorf("parse %s: %w", name, err)
	}
	switch head.Schema {
	case SchemaVendors:
		var f vendorFile
		if err := json.Unmarshal(b, &f); err != nil {
			return fmt.Errorf("parse %s: %w", name, err)
		}
		c.Vendors = append(c.Vendors, f.Vendors...)
		c.Generic = append(c.Generic, f.Generic...)
	case SchemaRules:
		var f ruleFile
		if err := json.Unmarshal(b, &f); err != nil {
			return fmt.Errorf("parse %s: %w", name, err)
		}
		c.Rules = append(c.Rules, f.Rules...)
		c.RuleFiles[name] = len(f.Rules)
	case SchemaModels:
		var f modelFile
		if err := json.Unmarshal(b, &f); err != nil {
			return fmt.Errorf("parse %s: %w", name, err)
		}
		c.Models = append(c.Models, f.Models...)
	case SchemaOUI:
		var f ouiFile
		if err := json.Unmarshal(b, &f); err != nil {
			return fmt.Errorf("parse %s: %w", name, err)
		}
		c.OUIs = append(c.OUIs, f.OUIs...)
	default:
		return fmt.Errorf("parse %s: unknown schema %q", name, head.Schema)
	}
	return nil
}

func (c *Catalog) index() error {
	c.aliases = map[string]string{}
	c.byName = map[string]Vendor{}
	for _, v := range c.Vendors {
		if _, dup := c.byName[v.Name]; dup {
			return fmt.Errorf("vendor %q listed twice", v.Name)
		}
		c.byName[v.Name] = v
	}
	for _, v := range c.Vendors {
		for _, s := range append([]string{v.Name}, v.Aliases...) {
			k := NormaliseName(s)
			if other, dup := c.aliases[k]; dup && other != v.Name {
				return fmt.Errorf("alias %q of %q already names %q", s, v.Name, other)
			}
			c.aliases[k] = v.Name
		}
		if v.Platform != "" {
			if _, ok := c.byName[v.Platform]; !ok {
				return fmt.Errorf("vendor %q: unknown platform %q", v.Name, v.Platform)
			}
		}
	}
	for _, r := range c.Rules {
		if _, ok := c.byName[r.Vendor]; !ok {
			return fmt.Errorf("rule %s: unknown vendor %q", r.ID, r.Vendor)
		}
	}
	return nil
}

// Vendor returns the entry for a canonical name.
func (c *Catalog) Vendor(name string) (Vendor, bool) {
	v, ok := c.byName[name]
	return v, ok
}

// CanonicalVendor maps a spelling a device used ("HIKVISION", "Hangzhou
// Hikvision Digital Technology Co., Ltd.", "ZHEJIANG DAHUA") to the
// canonical vendor name. Company suffixes after a known alias are ignored.
func (c *Catalog) CanonicalVendor(s string) (string, bool) {
	k := NormaliseName(s)
	if k == "" {
		return "", false
	}
	if name, ok := c.aliases[k]; ok {
		return name, true
	}
	if name, ok := c.aliases[strings.ReplaceAll(k, " ", "")]; ok {
		return name, true // "tp link" for "TP-LINK"
	}
	// Longest alias that is a whole-word prefix of the string.
	best, bestLen := "", 0
	for alias, name := range c.aliases {
		if len(alias) < 4 || len(alias) <= bestLen {
			continue
		}
		if strings.HasPrefix(k, alias+" ") {
			best, bestLen = name, len(alias)
		}
	}
	return best, best != ""
}

// AliasVendor returns the canonical vendor of an exact spelling (after
// NormaliseName), without the prefix matching of CanonicalVendor.
func (c *Catalog) AliasVendor(s string) (string, bool) {
	k := NormaliseName(s)
	if name, ok := c.aliases[k]; ok {
		return name, true
	}
	name, ok := c.aliases[strings.ReplaceAll(k, " ", "")]
	return name, ok
}

// IsGeneric reports whether s is a manufacturer name that names no
// vendor (see Catalog.Generic).
func (c *Catalog) IsGeneric(s string) bool {
	k := NormaliseName(s)
	for _, g := range c.Generic {
		if NormaliseName(g) == k {
			return true
		}
	}
	return false
}

// Platform returns the vendor whose platform a brand resells (Lorex ->
// Dahua), or the name itself for an original maker.
func (c *Catalog) Platform(name string) string {
	if v, ok := c.byName[name]; ok && v.Platform != "" {
		return v.Platform
	}
	return name
}

// NormaliseName lower-cases s and turns runs of punctuation and spaces
// into single spaces, so "TP-LINK" and "tp link" compare equal.
func NormaliseName(s string) string {
	var sb strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 0x7f {
			if space && sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			space = false
			sb.WriteRune(r)
			continue
		}
		if r == '!' || r == '-' {
			// "FRITZ!Box" and "TP-Link" keep their words together.
			continue
		}
		space = true
	}
	return sb.String()
}

// Without returns a copy of the catalogue without the rules and model
// conventions that cite source: a shared/data folder ("retina"), a
// field-captures brand folder ("field-captures/hikvision") or one file.
// The generalisation test identifies a source's devices with it, so that
// no rule written from a capture can vouch for that capture.
func (c *Catalog) Without(source string) *Catalog {
	out := *c
	out.Rules = nil
	for _, r := range c.Rules {
		if !CitesSource(r.Refs, source) {
			out.Rules = append(out.Rules, r)
		}
	}
	out.Models = nil
	for _, m := range c.Models {
		if !CitesSource(m.Refs, source) {
			out.Models = append(out.Models, m)
		}
	}
	return &out
}

// CitesSource reports whether any of refs is source or lies under it.
func CitesSource(refs []string, source string) bool {
	source = strings.Trim(source, "/")
	for _, r := range refs {
		if r == source || strings.HasPrefix(r, source+"/") {
			return true
		}
	}
	return false
}
