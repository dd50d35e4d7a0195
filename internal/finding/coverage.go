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
	// vendor's own factory defaults were all tried and refused.
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
	// CoverageUntried lists surfaces on which nothing conclusive was tried
	// (budget spent, lockout signal, timeout, unverifiable answers,
	// interruption); CoverageReason says why, in English.
	CoverageUntried = "untried"
	// CoverageReason is a short English reason for CoverageUntried.
	CoverageReason = "reason"
	// CoverageComplete is "true" when the check finished on every surface
	// of the device, "false" when it was interrupted or cut short.
	CoverageComplete = "complete"
)

// Coverage reports whether id names a coverage finding.
func Coverage(id string) bool { return id == IDAuthCoverage }

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
