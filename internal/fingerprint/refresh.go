package fingerprint

import (
	"strings"

	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/probe"
)

// Refresh recomputes d's identity from its services once a check has
// added claims read after login to them (the auth check's identity read)
// or the description of a stream it opened,
// so that the checks after it and the report see the refreshed device.
// Those claims merge with every other piece of evidence as usual,
// conflicts kept visible; an attribute the services do not support (a
// LAN neighbour's MAC) is kept as it was. It reports whether anything
// read after login was merged; without such claims d is left unchanged.
func (m *Matcher) Refresh(d *device.Device) bool {
	if !readAfterLogin(d.Services) {
		return false
	}
	id := m.resolve(m.collect(d.Services), d.Services)
	for k, v := range d.Identity {
		if _, ok := id[k]; !ok {
			id[k] = v
		}
	}
	d.Identity = id
	return true
}

// readAfterLogin reports whether a check added evidence to the services:
// claims read after login, or a stream the password check opened.
func readAfterLogin(services []probe.Service) bool {
	for _, s := range services {
		if _, _, ok := streamService(s); ok {
			return true
		}
		for _, c := range s.Claims {
			if strings.Contains(c.Source, probe.AfterLogin) {
				return true
			}
		}
	}
	return false
}
