package creds

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Account domains: the login surfaces of one device that check the same
// accounts. On a camera or recorder the web login (every HTTP/HTTPS port
// and the vendor's login API), RTSP and ONVIF ask the device's own
// account database, so a factory default the web login refuses is refused
// by RTSP too; telnet, SSH and FTP log in to the operating system's
// accounts; SNMP communities are a list of their own. A vendor documented
// to keep a separate list for some protocols (Vendor.Accounts) gives them
// a domain of their own.
const (
	// DomainDevice is the device's own accounts: web, vendor login APIs,
	// RTSP, ONVIF.
	DomainDevice = "device"
	// DomainSystem is the operating system's accounts: telnet, SSH, FTP.
	DomainSystem = "system"
	// DomainSNMP is the SNMP communities.
	DomainSNMP = "snmp"
)

// AccountList is one of a vendor's separate account lists: the protocols
// whose logins check accounts of their own (Hikvision's ONVIF users are
// added apart from the device's users).
type AccountList struct {
	// Protocols are login protocols (LoginProtocols) that use the list.
	Protocols []string `json:"protocols"`
	// Name names the list, e.g. "ONVIF users"; it is the domain's name.
	Name string `json:"name"`
	// Source cites the documented fact.
	Source string `json:"source"`
}

// Domain is the account domain of one login protocol on a device.
type Domain struct {
	// Name is DomainDevice, DomainSystem, DomainSNMP or the name of a
	// vendor's separate list.
	Name string
	// Source cites the vendor fact that gives the protocol a list of its
	// own; "" for the default domains.
	Source string
}

// DefaultDomain returns the account domain of protocol when the vendor
// keeps no separate list: DomainDevice for http/https, rtsp and onvif
// (and any protocol the catalogue does not know), DomainSystem for
// telnet, ssh and ftp, DomainSNMP for snmp.
func DefaultDomain(protocol string) string {
	switch normProtocol(protocol) {
	case ProtoTelnet, ProtoSSH, ProtoFTP:
		return DomainSystem
	case ProtoSNMP:
		return DomainSNMP
	}
	return DomainDevice
}

// Domain returns the account domain of protocol on a device of vendor:
// the vendor's separate list for protocol when the catalogue documents
// one (a brand without lists of its own inherits its platform's), else
// DefaultDomain. An unknown vendor ("") gets the default domains.
func (c *Catalog) Domain(vendor, protocol string) Domain {
	p := normProtocol(protocol)
	if c != nil {
		for _, l := range c.accountLists(vendor) {
			if slices.Contains(l.Protocols, p) {
				return Domain{Name: l.Name, Source: l.Source}
			}
		}
	}
	return Domain{Name: DefaultDomain(p)}
}

// accountLists returns vendor's separate account lists, or its
// platform's when it documents none.
func (c *Catalog) accountLists(vendor string) []AccountList {
	v, ok := c.vendors[normVendor(vendor)]
	if !ok {
		return nil
	}
	if len(v.Accounts) == 0 && v.Platform != "" && normVendor(v.Platform) != normVendor(vendor) {
		return c.vendors[normVendor(v.Platform)].Accounts
	}
	return v.Accounts
}

// validateAccounts checks a vendor's separate account lists: known
// protocols (SNMP has no accounts), each in one list, a name that is not a
// default domain's, and a cited source.
func validateAccounts(ls []AccountList) error {
	seen := map[string]bool{}
	for i, l := range ls {
		name := strings.TrimSpace(l.Name)
		switch {
		case name == "" || name != l.Name:
			return fmt.Errorf("account list %d: name %q", i, l.Name)
		case slices.Contains([]string{DomainDevice, DomainSystem, DomainSNMP}, name):
			return fmt.Errorf("account list %d: name %q is a default domain", i, name)
		case len(l.Protocols) == 0:
			return fmt.Errorf("account list %d (%s): no protocols", i, name)
		}
		for _, p := range l.Protocols {
			if !slices.Contains(LoginProtocols(), p) {
				return fmt.Errorf("account list %d (%s): protocol %q", i, name, p)
			}
			if seen[p] {
				return fmt.Errorf("account list %d (%s): protocol %q in two lists", i, name, p)
			}
			seen[p] = true
		}
		if err := validateSources([]string{l.Source}); err != nil {
			return fmt.Errorf("account list %d (%s): %w", i, name, err)
		}
	}
	return nil
}

// validateScope checks a lockout scope.
func validateScope(s string) error {
	switch s {
	case "", ScopeClient, ScopeAccount:
		return nil
	}
	return errors.New("lockout scope " + s + ": want client, account or nothing")
}
