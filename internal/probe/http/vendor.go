package http

import (
	"github.com/camwarden/camwarden/internal/login/identity"
	"github.com/camwarden/camwarden/internal/probe"
)

// Claim sources of the vendor identity endpoints a device answers without
// credentials. The documents are parsed by internal/login/identity, the
// one home of vendor identity parsers (it also reads them after a login).
const (
	SourceISAPI   = "http ISAPI deviceInfo"
	SourceDahua   = "http Dahua magicBox"
	SourceAxis    = "http Axis basicdeviceinfo"
	SourceReolink = "http Reolink GetDevInfo"
	SourceAVTECH  = "http AVTECH Machine.cgi get_capability"
)

// openClaims parses an identity document answered without credentials
// and labels its claims with the probe's source; nil when b is empty or
// not such a document.
func openClaims(b []byte, parse func([]byte) ([]probe.Claim, error), source string) []probe.Claim {
	if len(b) == 0 {
		return nil
	}
	cl, err := parse(b)
	if err != nil {
		return nil
	}
	for i := range cl {
		cl[i].Source = source
	}
	return cl
}

// has reports whether cl holds a claim of one of attrs.
func has(cl []probe.Claim, attrs ...string) bool {
	for _, c := range cl {
		for _, a := range attrs {
			if c.Attr == a {
				return true
			}
		}
	}
	return false
}

// reolinkLoginRequired reports whether b is Reolink's "please login
// first" answer, which proves the Reolink API.
func reolinkLoginRequired(b []byte) bool { return identity.ReolinkLoginRequired(b) }
