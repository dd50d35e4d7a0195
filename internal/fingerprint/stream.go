package fingerprint

import (
	"github.com/camwarden/camwarden/internal/probe"
)

// streamService returns the stream the password check opened on s (see
// probe.FieldRTSPStreamSDP) as a service of its own, so that the SDP and
// Content-Base rules, the device's own stream paths and the shape claims
// read it like a DESCRIBE answer, under a prefix that says how the stream
// was opened. It returns false when the check opened none, or when its
// SDP is the one the probe already read (one reply is one piece of
// evidence).
func streamService(s probe.Service) (probe.Service, string, bool) {
	sdp, base := s.Fields[probe.FieldRTSPStreamSDP], s.Fields[probe.FieldRTSPStreamBase]
	if sdp == "" && base == "" || sdp != "" && sdp == s.Fields[probe.FieldRTSPSDP] {
		return probe.Service{}, "", false
	}
	c := probe.Service{Port: s.Port, Transport: s.Transport, Protocol: s.Protocol, Status: s.Status, Fields: map[string]string{}}
	c.SetField(probe.FieldRTSPSDP, sdp)
	c.SetField(probe.FieldRTSPContentBase, base)
	c.SetField(probe.FieldRTSPPath, s.Fields[probe.FieldRTSPStreamRoute])
	prefix := servicePrefix(s) + " stream " + probe.Printable([]byte(s.Fields[probe.FieldRTSPStreamRoute]), 96)
	if by := s.Fields[probe.FieldRTSPStreamOpened]; by != "" {
		prefix += " (opened " + by + ")"
	}
	return c, prefix, true
}

// streamClaims are the claims of the stream the password check opened on
// s, if any.
func (m *Matcher) streamClaims(s probe.Service) []evidence {
	c, prefix, ok := streamService(s)
	if !ok {
		return nil
	}
	ev := m.ruleClaims(c, prefix)
	ev = append(ev, m.ownRouteClaims(c, prefix)...)
	return append(ev, m.shapeClaims(c, prefix)...)
}
