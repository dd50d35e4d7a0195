// Package identity reads what a camera shows only to a logged-in user —
// vendor, model, firmware, build date, serial — with its vendor's read-only
// identity API, in the session of a login that worked (the same token,
// RPC session or digest nonce where the API has one), and parses the
// replies. Every parser reads hostile device input: capped, lenient,
// never a DOCTYPE, and fuzzed with real captures as seeds.
//
// Only read calls are ever made: deviceInfo, getSystemInfo,
// GetDeviceInformation and their equivalents, never a set or a write.
package identity

import (
	"context"
	"slices"
	"strings"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
)

// Limits on what a reply may cost.
const (
	// MaxBody caps the bytes of one identity reply a parser reads.
	MaxBody = 64 << 10
	// MaxValue caps one identity value (a model, a version...).
	MaxValue = 128
	// MaxCalls caps the identity calls of one read.
	MaxCalls = 4
)

// Reader is a login method that can read the device's identity after its
// last successful Try, in that login's session. The auth check calls it
// once a credential is confirmed, and only then.
type Reader interface {
	// ReadIdentity asks apis (or the method's own identity call) in the
	// session of the last successful Try with credential c, and returns
	// what the device said. It never writes to the device.
	ReadIdentity(ctx context.Context, d probe.Dialer, t probe.Target, c login.Credential, apis []API) (Result, error)
}

// Result is what one identity read learned.
type Result struct {
	// Claims are the identity facts read, each Source naming the API
	// ("ISAPI deviceInfo"); never a secret.
	Claims []probe.Claim
	// APIs names the calls that answered with an identity, in order.
	APIs []string
	// Sent is true when a call carried the credential again (Basic, Digest,
	// WS-Security, a URL query) instead of reusing a session token.
	Sent bool
	// Refused is true when the device refused the credential on an
	// identity call: the auth check counts it as a failed login.
	Refused bool
}

// Complete reports whether the result has both a model and a firmware.
func (r Result) Complete() bool {
	return hasAttr(r.Claims, probe.AttrModel) && hasAttr(r.Claims, probe.AttrFirmware)
}

func hasAttr(cl []probe.Claim, attr string) bool {
	return slices.ContainsFunc(cl, func(c probe.Claim) bool { return c.Attr == attr })
}

// Add appends the claims of one API that answered.
func (r *Result) Add(api string, cl []probe.Claim) {
	if len(cl) == 0 {
		return
	}
	r.Claims = append(r.Claims, cl...)
	r.APIs = append(r.APIs, api)
}

// AfterLogin is the marker every source of an identity read after login
// carries, so that reports and the identity refresh can tell such claims
// from what the device shows to anyone.
const AfterLogin = probe.AfterLogin

// FromLogin reports whether a claim's source says it was read after login.
func FromLogin(source string) bool { return strings.Contains(source, AfterLogin) }

// afterLoginConfidence is the confidence of a model, firmware or other
// device-specific value read from the vendor's own API after login: the
// device's own statement to its administrator, the best evidence there is.
const afterLoginConfidence = 0.95

// Attribute returns the claims as read after login with how (e.g. "with
// the factory default"): each Source becomes "<API>, read after login
// <how>"; device-specific values get a high confidence, a vendor claim
// keeps its parser's (an API may be spoken by OEMs too).
func Attribute(cl []probe.Claim, how string) []probe.Claim {
	out := make([]probe.Claim, 0, len(cl))
	for _, c := range cl {
		c.Source = c.Source + ", " + AfterLogin + " " + how
		if c.Attr != probe.AttrVendor {
			c.Confidence = max(c.Confidence, afterLoginConfidence)
		}
		out = append(out, c)
	}
	return out
}

// claim builds one claim from device text, or reports false when the
// text is empty or only a placeholder.
func claim(attr, value, source string, conf float64) (probe.Claim, bool) {
	v := probe.Printable([]byte(strings.TrimSpace(value)), MaxValue)
	v = strings.TrimSpace(strings.Trim(v, `'"`))
	if v == "" || placeholder(v) {
		return probe.Claim{}, false
	}
	return probe.Claim{Attr: attr, Value: v, Source: source, Confidence: conf}, true
}

// placeholder reports values devices print when they know nothing.
func placeholder(v string) bool {
	switch strings.ToLower(v) {
	case "unknown", "n/a", "na", "none", "null", "-", "0", "default":
		return true
	}
	return false
}

// claims builds the non-empty claims of attr/value pairs.
func claims(source string, conf float64, pairs ...string) []probe.Claim {
	var out []probe.Claim
	for i := 0; i+1 < len(pairs); i += 2 {
		if c, ok := claim(pairs[i], pairs[i+1], source, conf); ok {
			out = append(out, c)
		}
	}
	return out
}

// capped cuts a reply to MaxBody.
func capped(b []byte) []byte {
	if len(b) > MaxBody {
		return b[:MaxBody]
	}
	return b
}
