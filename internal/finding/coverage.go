package finding

import "strings"

// IDAuthCoverage is the ID of the coverage finding the authentication
// check adds once for every device it ran on. Coverage findings have
// severity info and are not weaknesses: they say how far a check got, so
// that a scorecard gives "pass" only on positive evidence (the device's own
// vendor defaults tried and refused, or the administrator's credential
// graded strong) and "could not check" for anything unfinished, generic or
// unknown. Reports use them for the scorecard's reason, not as a finding
// to fix.
const IDAuthCoverage = "AUTH-COVERAGE"

// Evidence keys of an AUTH-COVERAGE finding. Values that list services are
// comma-separated "protocol/port" items, sorted (e.g. "http/80,rtsp/554");
// a key with nothing to list is absent.
const (
	// CoverageVendor is the vendor whose own factory defaults were used,
	// absent when the vendor is unknown.
	CoverageVendor = "vendor"
	// CoverageSurfaces lists every service that asks for a password.
	CoverageSurfaces = "surfaces"
	// CoverageOpen lists services that answered without any password
	// (each also has an AUTH-NONE-* finding).
	CoverageOpen = "open"
	// CoverageVendorRefused lists surfaces on which the identified
	// vendor's own factory defaults were all refused: tried there, or
	// refused by a surface of the same account domain (CoverageRefusedVia).
	CoverageVendorRefused = "vendor_defaults_refused"
	// CoverageGenericRefused lists surfaces on which only generic pairs
	// (the vendor being unknown) were tried and refused.
	CoverageGenericRefused = "generic_refused"
	// CoverageAccepted lists surfaces on which a factory default or weak
	// password worked (each also has an AUTH-DEFAULT-*/AUTH-WEAK-* finding).
	CoverageAccepted = "accepted"
	// CoverageAdminStrong lists surfaces on which the administrator's own
	// credential (--credentials) worked and was graded strong.
	CoverageAdminStrong = "admin_strong"
	// CoverageRefusedVia lists, for surfaces in CoverageVendorRefused or
	// CoverageGenericRefused, the surface of the same account domain
	// (surfaces that check the same accounts: web, RTSP and ONVIF on most
	// cameras) whose refusals count there, as "<surface><-<surface that
	// refused>" items (e.g. "rtsp/554<-http/80"): the pairs it refused
	// were not sent again (no failed login spent) and count as refused.
	CoverageRefusedVia = "refused_via"
	// CoverageNoLogin lists web ports that serve no login or admin page
	// (the root answers 404 and no route asks for a password, e.g. a UPnP
	// description server or an ONVIF-only port): not login surfaces, so
	// neither in CoverageSurfaces nor in CoverageUntried.
	CoverageNoLogin = "no_login"
	// CoverageUntried lists surfaces on which nothing conclusive was tried
	// (budget spent, lockout signal, timeout, unverifiable answers,
	// interruption, a web port whose login is a form or script);
	// CoverageReason says why, in English.
	CoverageUntried = "untried"
	// CoverageReason is a short English reason for CoverageUntried:
	// "<surface>: <why>" items joined by "; " (a why holds no ";").
	CoverageReason = "reason"
	// CoverageComplete is "true" when the check finished on every surface
	// of the device, "false" when it was interrupted or cut short.
	CoverageComplete = "complete"
)

// CoverageViaSep separates a surface from the one whose refusals it
// shares in a CoverageRefusedVia item.
const CoverageViaSep = "<-"

// Coverage reports whether id names a coverage finding.
func Coverage(id string) bool { return id == IDAuthCoverage }

// WithoutCoverage returns fs without its coverage records, in order:
// the problems a person reads, counts and compares across scans.
func WithoutCoverage(fs []Finding) []Finding {
	out := make([]Finding, 0, len(fs))
	for _, f := range fs {
		if !Coverage(f.ID) {
			out = append(out, f)
		}
	}
	return out
}

// Inconclusive reports whether a finding says a check could not reach a
// conclusion on a device (the firmware could not be read, a login could
// not be verified, the check stopped before a lockout...): such a finding
// makes its checkpoint "could not check", never "fail" or "pass". Beyond
// the named IDs, any ID ending in -UNKNOWN, -UNVERIFIABLE or -UNCHECKED is
// inconclusive, so new checks follow the rule by naming alone.
func Inconclusive(id string) bool {
	switch id {
	case "FW-UNKNOWN", "AUTH-UNVERIFIABLE", "AUTH-STOPPED-LOCKOUT-RISK":
		return true
	}
	for _, s := range []string{"-UNKNOWN", "-UNVERIFIABLE", "-UNCHECKED"} {
		if strings.HasSuffix(id, s) {
			return true
		}
	}
	return false
}
