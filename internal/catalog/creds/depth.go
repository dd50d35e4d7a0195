package creds

import "fmt"

// Depth is how far the auth check guesses, chosen with --depth; it is
// also the tier of a catalogue entry (the shallowest depth that tries it).
type Depth int

// The depths, shallowest first.
const (
	// DepthDefault tries vendor factory defaults and a short generic list.
	DepthDefault Depth = iota
	// DepthCommon adds weak and common passwords (Mirai's list, the most
	// common camera passwords).
	DepthCommon
	// DepthExtended adds the larger public lists.
	DepthExtended
)

var depthNames = [...]string{"default", "common", "extended"}

// caps bound For's answer per depth: a known vendor never gets more than
// caps[DepthDefault] factory defaults per protocol.
var caps = [...]int{6, 80, 300}

// String returns the lower-case name used on the command line and in JSON.
func (d Depth) String() string {
	if d < 0 || int(d) >= len(depthNames) {
		return fmt.Sprintf("depth(%d)", int(d))
	}
	return depthNames[d]
}

// Cap is the most credentials For returns per protocol at this depth.
func (d Depth) Cap() int {
	if d < 0 || int(d) >= len(caps) {
		return 0
	}
	return caps[d]
}

// Valid reports whether d is one of the defined depths.
func (d Depth) Valid() bool { return d >= 0 && int(d) < len(depthNames) }

// ParseDepth parses "default", "common" or "extended".
func ParseDepth(s string) (Depth, error) {
	for i, n := range depthNames {
		if n == s {
			return Depth(i), nil
		}
	}
	return 0, fmt.Errorf("unknown depth %q (want default, common or extended)", s)
}

// MarshalText implements encoding.TextMarshaler.
func (d Depth) MarshalText() ([]byte, error) {
	if !d.Valid() {
		return nil, fmt.Errorf("invalid depth %d", int(d))
	}
	return []byte(d.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Depth) UnmarshalText(b []byte) error {
	v, err := ParseDepth(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
