package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
)

// untried says what was not tried and why, one sentence per reason:
// "Not tried on 80/onvif, 554/rtsp (login budget spent: ...)." The
// record's reason holds "<surface>: <why>" items joined by "; ".
func untried(cov coverage) finding.Text {
	if len(cov.untried) == 0 {
		return finding.Text{}
	}
	why := reasons(cov.reason)
	if len(why) == 0 && cov.reason != "" {
		// A reason without surfaces is every surface's.
		for _, s := range cov.untried {
			why[s] = cov.reason
		}
	}
	var order []string
	groups := map[string][]string{}
	for _, s := range cov.untried {
		w := why[s]
		if w == "" {
			w = "nothing tried"
		}
		if _, ok := groups[w]; !ok {
			order = append(order, w)
		}
		groups[w] = append(groups[w], s)
	}
	var parts []finding.Text
	for _, w := range order {
		parts = append(parts, text(i18n.ReasonAuthUntried, list(groups[w]), w))
	}
	return joinText(parts...)
}

// reasons splits an AUTH-COVERAGE reason into its surfaces' whys. A piece
// that does not start with "<protocol>/<port>: " continues the previous
// why (an older record may hold a "; " inside one).
func reasons(reason string) map[string]string {
	out := map[string]string{}
	last := ""
	for piece := range strings.SplitSeq(reason, "; ") {
		if s, w, ok := strings.Cut(piece, ": "); ok && isSurface(s) {
			out[s], last = w, s
			continue
		}
		if last != "" {
			out[last] += "; " + piece
		}
	}
	return out
}

// isSurface reports whether s looks like "http/80".
func isSurface(s string) bool {
	proto, port, ok := strings.Cut(s, "/")
	return ok && proto != "" && port != "" && !strings.ContainsAny(s, " ,;") &&
		strings.Trim(port, "0123456789") == ""
}

// without returns the surfaces of xs that are not keys of via.
func without(xs []string, via map[string][]string) []string {
	var out []string
	for _, x := range xs {
		if _, ok := via[x]; !ok {
			out = append(out, x)
		}
	}
	return out
}

// shared says, per surface that refused on behalf of others, which of
// the surfaces in vr count its refusals: "RTSP (554/rtsp) checks the same
// accounts as the web login (80/http), which refused them, so they were
// not sent again."
func shared(vr []string, via map[string][]string) []finding.Text {
	bySource := map[string][]string{}
	var sources []string
	for _, s := range vr {
		for _, by := range via[s] {
			if _, ok := bySource[by]; !ok {
				sources = append(sources, by)
			}
			bySource[by] = append(bySource[by], s)
		}
	}
	slices.Sort(sources)
	var out []finding.Text
	for _, by := range sources {
		sharers := bySource[by]
		key := i18n.ReasonAuthShared
		if len(sharers) > 1 {
			key = i18n.ReasonAuthSharedMany
		}
		who, src := surfaceNames(sharers), surfaceName(by)
		en, ja, _ := i18n.Lookup(key)
		out = append(out, finding.Text{EN: capitalise(fmt.Sprintf(en, who.EN, src.EN)), JA: fmt.Sprintf(ja, who.JA, src.JA)})
	}
	return out
}

// surfaceName names one login surface in both languages: "the web login
// (80/http)", "RTSP (554/rtsp)".
func surfaceName(s string) finding.Text {
	proto, _, _ := strings.Cut(s, "/")
	port := list([]string{s})
	if proto == "http" || proto == "https" {
		return text(i18n.ServiceWebLogin, port)
	}
	name := map[string]string{"rtsp": "RTSP", "onvif": "ONVIF", "telnet": "Telnet", "ssh": "SSH", "ftp": "FTP", "snmp": "SNMP"}[proto]
	if name == "" {
		name = strings.ToUpper(proto)
	}
	return text(i18n.ServiceNamed, name, port)
}

// surfaceNames joins the names of surfaces: "A and B", "A, B and C".
func surfaceNames(ss []string) finding.Text {
	and := text(i18n.ServiceAnd)
	var out finding.Text
	for i, s := range ss {
		n := surfaceName(s)
		switch {
		case i == 0:
		case i == len(ss)-1:
			out.EN, out.JA = out.EN+and.EN, out.JA+and.JA
		default:
			out.EN, out.JA = out.EN+", ", out.JA+"、"
		}
		out.EN, out.JA = out.EN+n.EN, out.JA+n.JA
	}
	return out
}

func capitalise(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
