package rtsp

import (
	"bytes"
	"strings"
)

// Caps on SDP input.
const (
	sdpLineMax  = 1024 // SDP lines read
	sdpMediaMax = 16   // media sections kept
)

// SDP is what camwarden reads of a session description: enough to tell a
// stream description from anything else and to name what it streams.
type SDP struct {
	Session string     // s= line
	Tool    string     // a=tool: of the session ("LIVE555 Streaming Media v2013.04.08")
	Media   []SDPMedia // m= sections, at most 16
}

// SDPMedia is one m= section.
type SDPMedia struct {
	Type    string   // "video", "audio", "application", "application/tp-link"
	Codecs  []string // a=rtpmap encodings ("H264/90000"), in order
	Control string   // a=control: of the section
}

// ParseSDP reads b leniently, as cameras write it: CRLF or LF, no v=0
// first, lines cut short by a truncated body, unknown or invalid lines
// (c=SM SM spk0_trackID2) skipped, white space around values. It never
// fails; a body with no m= section gives an SDP without Media.
func ParseSDP(b []byte) SDP {
	var s SDP
	var cur *SDPMedia
	for i, line := range bytes.Split(b, []byte("\n")) {
		if i == sdpLineMax {
			break
		}
		t := strings.TrimSpace(string(line))
		if len(t) < 2 || t[1] != '=' {
			continue
		}
		val := strings.TrimSpace(t[2:])
		switch t[0] {
		case 's':
			if cur == nil && s.Session == "" {
				s.Session = val
			}
		case 'm':
			typ := firstField(val)
			if !mediaType(typ) || len(s.Media) == sdpMediaMax {
				cur = nil
				continue
			}
			s.Media = append(s.Media, SDPMedia{Type: typ})
			cur = &s.Media[len(s.Media)-1]
		case 'a':
			s.attribute(cur, val)
		}
	}
	return s
}

// attribute records a=tool (session level), a=rtpmap and a=control (media
// level) of one a= value.
func (s *SDP) attribute(cur *SDPMedia, val string) {
	name, v, _ := strings.Cut(val, ":")
	v = strings.TrimSpace(v)
	switch {
	case strings.EqualFold(name, "tool") && cur == nil && s.Tool == "":
		s.Tool = v
	case strings.EqualFold(name, "rtpmap") && cur != nil:
		if _, enc, ok := strings.Cut(v, " "); ok && len(cur.Codecs) < 32 {
			cur.Codecs = append(cur.Codecs, strings.TrimSpace(enc))
		}
	case strings.EqualFold(name, "control") && cur != nil && cur.Control == "":
		cur.Control = v
	}
}

// mediaType reports whether t can be an SDP media type ("video",
// "application/tp-link").
func mediaType(t string) bool {
	if t == "" || len(t) > 64 || (t[0]|0x20) < 'a' || (t[0]|0x20) > 'z' {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i] | 0x20
		if (c < 'a' || c > 'z') && (t[i] < '0' || t[i] > '9') && t[i] != '/' && t[i] != '-' && t[i] != '_' && t[i] != '.' {
			return false
		}
	}
	return true
}

// IsStream reports whether the description names at least one media
// section: what an open DESCRIBE returns.
func (s SDP) IsStream() bool { return len(s.Media) > 0 }

// Summary names the media in one short line: "video H264/90000, audio
// PCMA/8000".
func (s SDP) Summary() string {
	parts := make([]string, 0, len(s.Media))
	for _, m := range s.Media {
		p := m.Type
		if len(m.Codecs) > 0 {
			p += " " + m.Codecs[0]
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}
