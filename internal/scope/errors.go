package scope

import "fmt"

// TargetError says which target (or exclude) token was refused and why.
// The CLI maps it to exit code 2; when Parse returns one, nothing is
// scanned.
type TargetError struct {
	Token  string // the offending token as the user wrote it
	Reason string // why it was refused, e.g. "invalid IPv4 address"
	Err    error  // underlying cause (resolver or file error), if any
}

// Error formats the error as `target "10.0.0.300": invalid IPv4 address`.
func (e *TargetError) Error() string {
	if e.Token == "" {
		return "scope: " + e.Reason
	}
	return fmt.Sprintf("target %q: %s", e.Token, e.Reason)
}

// Unwrap returns the underlying cause, if any.
func (e *TargetError) Unwrap() error { return e.Err }
