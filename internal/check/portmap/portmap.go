// Package portmap links a router's port mappings (read by package igd) to
// the scanned devices they point at: each mapping becomes an
// EXPOSED-TO-INTERNET finding on that device's card (checkpoint 3), a
// mapping to a host that was not scanned becomes a finding on the router,
// and one summary per router tells which device ports are published on its
// external address ("the outside view"). Nothing is sent anywhere.
package portmap

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/igd"
)

// Finding IDs.
const (
	IDExposed          = "EXPOSED-TO-INTERNET"           // a mapping publishes a scanned device's port
	IDExposedUnscanned = "EXPOSED-TO-INTERNET-UNSCANNED" // a mapping points at a host that was not scanned
	IDOutsideView      = "EXPOSED-OUTSIDE-VIEW"          // summary of what the external address publishes
)

// critical are the protocols whose exposure hands the device to anyone:
// video, the admin web, clear-text logins and vendor back doors.
var critical = map[string]bool{
	"rtsp": true, "http": true, "https": true, "onvif": true, "telnet": true, "ftp": true,
	"hikvision-sdk": true, "dahua-sdk": true, "xmeye-sdk": true, "xmeye-debug": true,
}

// Findings turns mappings into findings. external is the router's external
// address (GetExternalIPAddress) used when a mapping does not carry one.
// Findings are ordered by address, then port.
func Findings(mappings []igd.Mapping, external netip.Addr, devices []device.Device) []finding.Finding {
	byAddr := make(map[netip.Addr]*device.Device, len(devices))
	for i := range devices {
		byAddr[devices[i].Address.Unmap()] = &devices[i]
	}
	var out []finding.Finding
	views := map[netip.Addr][]string{}
	for _, m := range mappings {
		if !m.ExternalIP.IsValid() {
			m.ExternalIP = external
		}
		d := byAddr[m.InternalClient]
		f, services := exposed(m, d)
		out = append(out, f)
		views[m.Gateway] = append(views[m.Gateway], fmt.Sprintf("%s -> %s (%s)", externalEnd(m), internalEnd(m), services))
	}
	for gw, lines := range views {
		slices.Sort(lines)
		out = append(out, outsideView(gw, external, mappings, lines))
	}
	slices.SortStableFunc(out, func(a, b finding.Finding) int {
		return cmp.Or(a.Address.Compare(b.Address), cmp.Compare(a.Port, b.Port), strings.Compare(a.ID, b.ID),
			strings.Compare(a.Evidence["external"], b.Evidence["external"]))
	})
	return out
}

// exposed builds the finding of one mapping and names the services found
// behind it ("unknown" when the scan saw none on that port).
func exposed(m igd.Mapping, d *device.Device) (finding.Finding, string) {
	ev := evidence(m)
	if d == nil {
		t := texts[IDExposedUnscanned]
		return finding.Finding{
			ID: IDExposedUnscanned, Checkpoint: finding.CheckExposure, Severity: finding.SevHigh,
			Address: m.Gateway, Port: m.ExternalPort, Protocol: m.Protocol,
			Title: t.title, Remediation: t.advice, Evidence: ev,
		}, "not scanned"
	}
	var protos []string
	sev := finding.SevHigh
	for _, s := range d.Services {
		if s.Port != m.InternalPort || !strings.EqualFold(s.Transport, m.Protocol) || s.Protocol == "" {
			continue
		}
		protos = append(protos, s.Protocol)
		if critical[s.Protocol] {
			sev = finding.SevCritical
		}
	}
	if !m.Enabled {
		sev = finding.SevMedium
	}
	services := "unknown"
	if len(protos) > 0 {
		services = strings.Join(protos, "+")
		ev["services"] = services
	}
	proto := m.Protocol
	if len(protos) > 0 {
		proto = protos[0]
	}
	t := texts[IDExposed]
	return finding.Finding{
		ID: IDExposed, Checkpoint: finding.CheckExposure, Severity: sev,
		Address: d.Address, Port: m.InternalPort, Protocol: proto,
		Title: t.title, Remediation: t.advice, Evidence: ev,
	}, services
}

func evidence(m igd.Mapping) map[string]string {
	ev := map[string]string{
		"external":      externalEnd(m),
		"external_port": strconv.Itoa(int(m.ExternalPort)),
		"transport":     m.Protocol,
		"internal":      internalEnd(m),
		"internal_port": strconv.Itoa(int(m.InternalPort)),
		"description":   m.Description,
		"lease":         lease(m),
		"remote_host":   cmp.Or(m.RemoteHost, "any"),
		"enabled":       strconv.FormatBool(m.Enabled),
		"gateway":       m.Gateway.String(),
	}
	if m.ExternalIP.IsValid() {
		ev["external_ip"] = m.ExternalIP.String()
	}
	if m.Source != "" {
		ev["source"] = m.Source
	}
	return ev
}

func externalEnd(m igd.Mapping) string {
	host := "unknown"
	if m.ExternalIP.IsValid() {
		host = m.ExternalIP.String()
	}
	return fmt.Sprintf("%s:%d/%s", host, m.ExternalPort, m.Protocol)
}

func internalEnd(m igd.Mapping) string {
	return fmt.Sprintf("%s:%d", cmp.Or(m.InternalHost, m.InternalClient.String()), m.InternalPort)
}

func lease(m igd.Mapping) string {
	if m.Lease == 0 {
		return "permanent"
	}
	return m.Lease.String()
}

// outsideView summarises, for one router, every port its external address
// publishes and where it leads.
func outsideView(gw, external netip.Addr, mappings []igd.Mapping, lines []string) finding.Finding {
	ext := external
	for _, m := range mappings {
		if m.Gateway == gw && m.ExternalIP.IsValid() {
			ext = m.ExternalIP
			break
		}
	}
	ev := map[string]string{"published": strings.Join(lines, "; "), "count": strconv.Itoa(len(lines)), "gateway": gw.String()}
	if ext.IsValid() {
		ev["external_ip"] = ext.String()
	}
	t := texts[IDOutsideView]
	return finding.Finding{
		ID: IDOutsideView, Checkpoint: finding.CheckExposure, Severity: finding.SevInfo,
		Address: gw, Title: t.title, Remediation: t.advice, Evidence: ev,
	}
}
