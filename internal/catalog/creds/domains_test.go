package creds

import (
	"strings"
	"testing"
)

// TestDomain: the default account domains per protocol, and the separate
// lists the catalogue documents (with a source), inherited by a
// platform's brands.
func TestDomain(t *testing.T) {
	c := load(t)
	tests := []struct {
		vendor, protocol, want string
		sourced                bool
	}{
		{"", "http", DomainDevice, false},
		{"", "https", DomainDevice, false},
		{"", "rtsp", DomainDevice, false},
		{"", "onvif", DomainDevice, false},
		{"", "telnet", DomainSystem, false},
		{"", "ssh", DomainSystem, false},
		{"", "ftp", DomainSystem, false},
		{"", "snmp", DomainSNMP, false},
		{"Axis", "onvif", DomainDevice, false},
		{"Hikvision", "rtsp", DomainDevice, false},
		{"Hikvision", "onvif", "ONVIF users", true},
		{"HiWatch", "onvif", "ONVIF users", true}, // Hikvision platform
		{"Dahua", "onvif", "ONVIF users", true},
		{"Amcrest", "onvif", "ONVIF users", true}, // Dahua platform
		{"Amcrest", "http", DomainDevice, false},
		{"NoSuchVendor", "onvif", DomainDevice, false},
	}
	for _, tc := range tests {
		t.Run(tc.vendor+"/"+tc.protocol, func(t *testing.T) {
			d := c.Domain(tc.vendor, tc.protocol)
			if d.Name != tc.want || (d.Source != "") != tc.sourced {
				t.Errorf("Domain = %+v, want %q (sourced %v)", d, tc.want, tc.sourced)
			}
			if tc.sourced && !strings.HasPrefix(d.Source, "doc: ") {
				t.Errorf("source %q: want a documented fact", d.Source)
			}
		})
	}
}

// TestUnknownVendorCap: the cap follows the catalogue: the lowest default
// threshold of the vendors whose lock counts all accounts together (or
// whose scope is not documented), minus the margin; a per-account lock
// does not bind it; without such a lock, twice the per-account budget.
func TestUnknownVendorCap(t *testing.T) {
	c := load(t)
	if got := c.UnknownVendorCap(); got != 3 {
		t.Errorf("embedded catalogue: UnknownVendorCap = %d, want 3 (Hikvision locks the client at 5)", got)
	}
	with := func(edit func(map[string]Vendor)) *Catalog {
		cc := *c
		cc.vendors = map[string]Vendor{}
		for k, v := range c.vendors {
			cc.vendors[k] = v
		}
		edit(cc.vendors)
		return &cc
	}
	lower := with(func(vs map[string]Vendor) {
		v := vs["axis"]
		v.Lockout = lockout{Threshold: 4, Window: "30m", Known: true, Source: "doc: test"}
		vs["axis"] = v
	})
	if got := lower.UnknownVendorCap(); got != 2 {
		t.Errorf("a vendor locking at 4 with no stated scope: cap %d, want 2", got)
	}
	perAccount := with(func(vs map[string]Vendor) {
		v := vs["hikvision"]
		v.Lockout.Scope = ScopeAccount
		vs["hikvision"] = v
	})
	if got := perAccount.UnknownVendorCap(); got != 6 {
		t.Errorf("only per-account locks: cap %d, want 6", got)
	}
	if got := perAccount.BudgetFor(""); got != (Budget{3, 6}) {
		t.Errorf("BudgetFor(\"\") = %+v, want the cap", got)
	}
}
