package portmap

import (
	"strconv"
	"strings"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/igd"
	"github.com/camwarden/camwarden/internal/probe"
)

// IDUnchecked marks a router whose port mapping table could not be read
// to its end: its forwards are "not checked" (finding.Inconclusive), never
// a pass.
const IDUnchecked = "EXPOSE-PORTMAP-UNCHECKED"

// maxDetail caps the router's own error text kept in the evidence.
const maxDetail = 200

// Unchecked returns the inconclusive finding of a gateway whose mapping
// table was not read completely, and a sentence for the user saying why;
// ok is false when the table was read to its end.
func Unchecked(g igd.Gateway) (f finding.Finding, sentence string, ok bool) {
	if g.Complete {
		return finding.Finding{}, "", false
	}
	why := Reason(g)
	ev := map[string]string{"gateway": g.Address.String(), "read": strconv.Itoa(len(g.Mappings)), "reason": why}
	if len(g.Errors) > 0 {
		ev["detail"] = probe.Printable([]byte(strings.Join(g.Errors, "; ")), maxDetail)
	}
	t := texts[IDUnchecked]
	f = finding.Finding{
		ID: IDUnchecked, Checkpoint: finding.CheckExposure, Severity: finding.SevInfo,
		Address: g.Address, Title: t.title, Remediation: t.advice, Evidence: ev,
	}
	s := "router " + g.Address.String() + ": port forwarding not checked: " + why
	if n := len(g.Mappings); n > 0 {
		s += " (" + strconv.Itoa(n) + " port mappings read before it stopped, reported below)"
	}
	return f, s + ".", true
}

// Reason says in words why a gateway's mapping table was not read whole.
func Reason(g igd.Gateway) string {
	all := strings.Join(g.Errors, "\n")
	switch {
	case g.Location == "" && g.NATPMP != nil:
		return "it speaks only NAT-PMP/PCP, which cannot list the forwards it holds"
	case strings.HasPrefix(all, "description:"):
		return "it answered the UPnP search but did not describe its internet connection service"
	case strings.HasPrefix(all, "control url:"):
		return "its UPnP description names a control address camwarden may not use"
	case strings.Contains(all, igd.ErrSlow.Error()):
		return "it answered too slowly, so the listing was stopped"
	case g.Truncated:
		return "it holds more port mappings than camwarden lists (" + strconv.Itoa(len(g.Mappings)) + ")"
	}
	return "it did not answer the read-only request for its port mappings"
}
