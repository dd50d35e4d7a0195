// Package probe defines how camwarden identifies one service on one port:
// the Probe interface, the Service it produces, typed statuses, the registry
// of protocol probes and helpers for capped, deadline-bound reads of hostile
// device input. Each protocol lives in its own sub-package.
package probe

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// ErrNoMatch is returned by a Probe when the peer does not speak its protocol.
var ErrNoMatch = errors.New("probe: not this protocol")

// Dialer opens connections. The engine hands every probe its dialer so that
// tests can inject net.Pipe ends or loopback listeners, and so that rate
// limits and scope guards are applied in one place.
type Dialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// Target is one open port of one host that a probe should identify.
type Target struct {
	Addr      netip.Addr
	Port      uint16
	Transport string // "tcp" or "udp"
	Hostname  string // optional name the user gave, for Host headers and SNI
}

// Address returns "host:port" for dialing.
func (t Target) Address() string {
	return net.JoinHostPort(t.Addr.String(), strconv.Itoa(int(t.Port)))
}

// Status says what the device did when probed. It is a type, not a
// free-form string, so checks and reports can act on it.
type Status string

// Statuses of a probed service.
const (
	StatusIdentified Status = "identified" // protocol recognised
	StatusOpen       Status = "open"       // port open, protocol not recognised
	StatusTimeout    Status = "timeout"    // no (complete) answer before the deadline
	StatusRefused    Status = "refused"    // connection refused or reset
	StatusMalformed  Status = "malformed"  // answered, but the answer could not be parsed
	StatusTooLarge   Status = "too-large"  // answer exceeded a read cap
	StatusError      Status = "error"      // any other failure; see Service.Error
	StatusPanic      Status = "panic"      // the probe panicked; recovered by the engine
)

// Service is what probes learned about one port. Fields holds raw
// observations under documented keys (see fields.go); Claims holds identity
// facts a protocol states directly (ONVIF GetDeviceInformation, UPnP
// description, ISAPI deviceInfo...). Fingerprinting turns both into a Device.
type Service struct {
	Port      uint16            `json:"port"`
	Transport string            `json:"transport"`
	Protocol  string            `json:"protocol"`
	Status    Status            `json:"status"`
	TLS       bool              `json:"tls,omitempty"`
	Fields    map[string]string `json:"fields,omitempty"`
	Claims    []Claim           `json:"claims,omitempty"`
	Trace     []TraceEntry      `json:"trace,omitempty"`
	Error     string            `json:"error,omitempty"`
}

// SetField records an observation, ignoring empty values.
func (s *Service) SetField(key, value string) {
	if value == "" {
		return
	}
	if s.Fields == nil {
		s.Fields = make(map[string]string)
	}
	s.Fields[key] = value
}

// MaxValues caps how many distinct values a multi-valued field keeps.
const MaxValues = 8

// AppendField adds value as one more line of a multi-valued field (realms
// of every 401, every challenge): empty and already present values are
// ignored, at most MaxValues lines are kept. value must be printable (see
// Printable), so it holds no newline of its own.
func (s *Service) AppendField(key, value string) {
	if value == "" {
		return
	}
	old := s.Fields[key]
	if old == "" {
		s.SetField(key, value)
		return
	}
	lines := strings.Split(old, "\n")
	if len(lines) >= MaxValues || slices.Contains(lines, value) {
		return
	}
	s.Fields[key] = old + "\n" + value
}

// FieldValues splits a multi-valued field into its values.
func FieldValues(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, "\n")
}

// Claim is one identity fact with its provenance.
type Claim struct {
	Attr       string  `json:"attr"`       // one of the Attr* constants
	Value      string  `json:"value"`      // as the device stated it, trimmed
	Source     string  `json:"source"`     // e.g. "onvif GetDeviceInformation", "http Server header"
	Confidence float64 `json:"confidence"` // 0..1
}

// AfterLogin is in the Source of every Claim read with a credential,
// after a login that worked ("ISAPI deviceInfo, read after login with the
// factory default"): what the device shows only to a logged-in user.
const AfterLogin = "read after login"

// Identity attributes a Claim may carry.
const (
	AttrVendor    = "vendor"
	AttrModel     = "model"
	AttrFirmware  = "firmware"
	AttrBuildDate = "build_date"
	AttrSerial    = "serial"
	AttrMAC       = "mac"
	AttrHardware  = "hardware"
	AttrType      = "type" // camera, nvr, router, other
)

// TraceEntry is one redacted exchange kept with the result, answering
// "why did camwarden say that?".
type TraceEntry struct {
	Dir  string `json:"dir"`  // "send" or "recv"
	Data string `json:"data"` // redacted, truncated text
}

// Probe identifies one protocol on one target. It returns ErrNoMatch when
// the peer does not speak the protocol, and a Service with a non-identified
// Status (plus a wrapped error) when the peer misbehaved.
type Probe interface {
	Name() string
	Probe(ctx context.Context, d Dialer, t Target) (*Service, error)
}
