package igd

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strings"

	"github.com/camwarden/camwarden/internal/probe/upnp"
)

// ErrMalformed is returned for a description or SOAP answer that cannot be
// parsed.
var ErrMalformed = errors.New("igd: malformed answer")

// Service is one service of a UPnP description.
type Service struct {
	ServiceType string `xml:"serviceType"`
	ControlURL  string `xml:"controlURL"`
}

// Device is one (root or embedded) device of a UPnP description.
type Device struct {
	DeviceType   string    `xml:"deviceType"`
	FriendlyName string    `xml:"friendlyName"`
	Manufacturer string    `xml:"manufacturer"`
	ModelName    string    `xml:"modelName"`
	Services     []Service `xml:"serviceList>service"`
	Devices      []Device  `xml:"deviceList>device"`
}

// Description is a parsed IGD root description.
type Description struct {
	URLBase string `xml:"URLBase"`
	Device  Device `xml:"device"`
}

// maxDepth bounds the embedded-device walk (IGDs nest 3 deep).
const maxDepth = 8

// ParseDescription parses a root description with the UPnP probe's
// hardened parser (encoding/xml in strict mode, any DOCTYPE or other
// directive refused, so no entity is declared).
func ParseDescription(b []byte) (Description, error) {
	var d Description
	if err := upnp.DecodeDescription(b, &d); err != nil {
		return Description{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return d, nil
}

// connectionService returns the best WAN connection service: WANIPConnection
// 2, then 1, then WANPPPConnection 1.
func (d Description) connectionService() (Service, bool) {
	var all []Service
	var walk func(dev Device, depth int)
	walk = func(dev Device, depth int) {
		if depth > maxDepth {
			return
		}
		all = append(all, dev.Services...)
		for _, sub := range dev.Devices {
			walk(sub, depth+1)
		}
	}
	walk(d.Device, 0)
	for _, want := range []string{
		"urn:schemas-upnp-org:service:WANIPConnection:2",
		"urn:schemas-upnp-org:service:WANIPConnection:1",
		"urn:schemas-upnp-org:service:WANPPPConnection:1",
	} {
		for _, s := range all {
			if strings.TrimSpace(s.ServiceType) == want && strings.TrimSpace(s.ControlURL) != "" {
				return Service{ServiceType: want, ControlURL: strings.TrimSpace(s.ControlURL)}, true
			}
		}
	}
	return Service{}, false
}

// IsV2 reports whether a service type is an IGDv2 WANIPConnection.
func IsV2(serviceType string) bool {
	return serviceType == "urn:schemas-upnp-org:service:WANIPConnection:2"
}

// sameHost parses an http URL and checks that its host is the literal
// address addr: a name, another address or another scheme is refused, so
// nothing is ever sent beyond the gateway.
func sameHost(raw string, addr netip.Addr) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("parse %q: %w", raw, err)
	}
	if u.Scheme != "http" || u.User != nil {
		return nil, fmt.Errorf("url %q: only plain http without userinfo is followed", raw)
	}
	h, err := netip.ParseAddr(u.Hostname())
	if err != nil || h.Unmap() != addr.Unmap() || h.Zone() != "" {
		return nil, fmt.Errorf("url %q is not on the gateway %s", raw, addr)
	}
	return u, nil
}

// controlURL resolves a service's control URL against the description's
// location and requires it to stay on the gateway.
func controlURL(location, control string, gateway netip.Addr) (*url.URL, error) {
	base, err := sameHost(location, gateway)
	if err != nil {
		return nil, err
	}
	ref, err := url.Parse(control)
	if err != nil {
		return nil, fmt.Errorf("parse control url %q: %w", control, err)
	}
	return sameHost(base.ResolveReference(ref).String(), gateway)
}
