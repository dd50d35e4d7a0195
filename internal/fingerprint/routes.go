package fingerprint

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/camwarden/camwarden/internal/probe"
)

// maxOwnRoutes bounds the stream paths read from one service.
const maxOwnRoutes = 8

var (
	reSDPControl = regexp.MustCompile(`(?m)^a=control:\s*(rtsps?://\S+)`)
	reURLPath    = regexp.MustCompile(`^rtsps?://[^/\s]*(/\S*)`)
)

// ownRoutes are the stream paths a device names itself: the path of its
// Content-Base and of the absolute a=control URLs of its SDP, where they
// differ from the path camwarden asked for (an answer to DESCRIBE / that
// says the stream lives at /Streaming/Channels/101 is the device's own
// naming, not an echo of the request).
func ownRoutes(s probe.Service) []string {
	asked := strings.TrimSuffix(s.Fields[probe.FieldRTSPPath], "/")
	var urls []string
	if cb := s.Fields[probe.FieldRTSPContentBase]; cb != "" {
		urls = append(urls, cb)
	}
	for _, g := range reSDPControl.FindAllStringSubmatch(s.Fields[probe.FieldRTSPSDP], maxOwnRoutes) {
		urls = append(urls, g[1])
	}
	var out []string
	for _, raw := range urls {
		// The host part is not parsed: devices and the people who
		// quote them write it loosely ("rtsp://URL:PORT/...").
		g := reURLPath.FindStringSubmatch(raw)
		if g == nil || g[1] == "/" || len(out) >= maxOwnRoutes {
			continue
		}
		p, _, _ := strings.Cut(g[1], "?")
		if strings.TrimSuffix(p, "/") == asked {
			continue
		}
		if !slices.Contains(out, g[1]) {
			out = append(out, g[1])
		}
	}
	return out
}

// ownRouteClaims runs the rtsp.route rules (vendors' documented stream
// paths) over the device's own stream paths. They share the rtsp.route
// origin: a route the probe found and the same path in the Content-Base
// are one piece of evidence.
func (m *Matcher) ownRouteClaims(s probe.Service, prefix string) []evidence {
	var ev []evidence
	for _, route := range ownRoutes(s) {
		for _, r := range m.byField[probe.FieldRTSPRoute] {
			g := r.re.FindStringSubmatch(route)
			if g == nil {
				continue
			}
			for _, e := range m.fromRule(r, g, prefix, probe.FieldRTSPRoute) {
				e.Source = fmt.Sprintf("%s: the device's own stream path %q matched rule %s", prefix, probe.Printable([]byte(route), 96), r.ID)
				ev = append(ev, e)
			}
		}
	}
	return ev
}
