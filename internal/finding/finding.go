// Package finding defines what a check reports: a stable ID, the ministry
// checkpoint it answers, a severity, evidence and bilingual remediation.
package finding

import "net/netip"

// Checkpoint is one of the three checks the ministry and NOTICE ask for.
type Checkpoint int

// The three checkpoints.
const (
	CheckAuth     Checkpoint = 1 // password required, not default, strong
	CheckFirmware Checkpoint = 2 // latest firmware, product supported
	CheckExposure Checkpoint = 3 // unused functions off, nothing exposed
)

// Severity orders findings; higher is worse.
type Severity int

// Severities.
const (
	SevInfo Severity = iota
	SevLow
	SevMedium
	SevHigh
	SevCritical
)

var sevNames = [...]string{"info", "low", "medium", "high", "critical"}

// String returns the lower-case name.
func (s Severity) String() string {
	if s < 0 || int(s) >= len(sevNames) {
		return "unknown"
	}
	return sevNames[s]
}

// ParseSeverity parses a lower-case name.
func ParseSeverity(name string) (Severity, bool) {
	for i, n := range sevNames {
		if n == name {
			return Severity(i), true
		}
	}
	return 0, false
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Severity) UnmarshalText(b []byte) error {
	v, ok := ParseSeverity(string(b))
	if !ok {
		return &UnknownSeverityError{Name: string(b)}
	}
	*s = v
	return nil
}

// UnknownSeverityError reports a severity name that is not known.
type UnknownSeverityError struct{ Name string }

func (e *UnknownSeverityError) Error() string { return "unknown severity " + e.Name }

// Text is a message in both languages the reports support.
type Text struct {
	EN string `json:"en"`
	JA string `json:"ja"`
}

// Finding is one problem (or informational fact) on one device.
type Finding struct {
	ID          string            `json:"id"` // stable, e.g. AUTH-DEFAULT-HTTP
	Checkpoint  Checkpoint        `json:"checkpoint"`
	Severity    Severity          `json:"severity"`
	Address     netip.Addr        `json:"address"`
	Port        uint16            `json:"port,omitempty"`
	Protocol    string            `json:"protocol,omitempty"`
	Title       Text              `json:"title"`
	Remediation Text              `json:"remediation"`
	Evidence    map[string]string `json:"evidence,omitempty"` // never a secret in clear
}
