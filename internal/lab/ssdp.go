package lab

import (
	"bytes"
	"strings"
)

// ssdpProfile is how a device answers a unicast M-SEARCH on udp/1900.
type ssdpProfile struct {
	// Replies are response templates (responses/ files or literal text);
	// each is sent when the request's ST is ssdp:all or equals the
	// reply's ST.
	Replies []string
}

// answerSSDP returns the M-SEARCH responses for a request, or none.
func answerSSDP(req []byte, d *device, p *ssdpProfile) [][]byte {
	if !bytes.HasPrefix(req, []byte("M-SEARCH * HTTP/1.1")) {
		return nil
	}
	st := ssdpHeader(string(req), "ST")
	var out [][]byte
	for _, tmpl := range p.Replies {
		if strings.HasPrefix(tmpl, "@") {
			tmpl = response(tmpl[1:])
		}
		reply := d.render(tmpl, nil)
		if st == "ssdp:all" || st == ssdpHeader(reply, "ST") {
			out = append(out, []byte(reply))
		}
	}
	return out
}

// ssdpHeader returns the value of a header of an HTTPU message.
func ssdpHeader(msg, name string) string {
	for _, line := range strings.Split(msg, "\n") {
		k, v, ok := strings.Cut(strings.TrimRight(line, "\r"), ":")
		if ok && strings.EqualFold(strings.TrimSpace(k), name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
