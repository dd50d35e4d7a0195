package auth

import (
	"regexp"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/rtsp"
)

// maxStreamSDP caps the SDP kept in the service's fields.
const maxStreamSDP = 4 << 10

// reUserinfo finds the user information of an rtsp(s) URL, which some
// devices echo into their SDP's control URLs.
var reUserinfo = regexp.MustCompile(`(?i)(rtsps?://)[^/@\s]*@`)

// stream keeps the description of a stream the check opened on the
// service of port t (the first one only), so that identification can read
// it again after the check: an SDP's session name, its absolute control
// URLs and the Content-Base name the device's maker more often than the
// answer to an unauthenticated DESCRIBE does. by says how the stream was
// opened ("without a password", "with the factory default"...). User
// information in URLs is removed; nothing of the credential is kept.
func (r *run) stream(t probe.Target, o login.Outcome, by string) {
	if o.EvidenceType != "sdp" || len(o.Evidence) == 0 {
		return
	}
	for i := range r.d.Services {
		s := &r.d.Services[i]
		if s.Port != t.Port || s.Transport != t.Transport || s.Protocol != "rtsp" && s.Protocol != "rtsps" {
			continue
		}
		if s.Fields[probe.FieldRTSPStreamSDP] != "" {
			return
		}
		if s.Fields == nil {
			s.Fields = map[string]string{}
		}
		sdp := o.Evidence
		if len(sdp) > maxStreamSDP {
			sdp = sdp[:maxStreamSDP]
		}
		s.Fields[probe.FieldRTSPStreamSDP] = reUserinfo.ReplaceAllString(rtsp.CleanSDP(sdp), "$1")
		// rtsp.Response.BaseURL has already removed its user information.
		s.SetField(probe.FieldRTSPStreamBase, o.Fields[probe.FieldRTSPStreamBase])
		s.Fields[probe.FieldRTSPStreamRoute] = o.Route
		s.Fields[probe.FieldRTSPStreamOpened] = by
		return
	}
}
