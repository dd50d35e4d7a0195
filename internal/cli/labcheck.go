package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/camwarden/camwarden/internal/check/portmap"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/report"
)

// visible returns what a correct scan can read of attr: the manifest's
// value, or "" when the device hides it (from a scan without the auth
// check, also what it shows only after login).
func visible(d lab.DeviceSpec, attr, value string, afterLogin bool) string {
	if !d.Shown(attr, afterLogin) {
		return ""
	}
	return value
}

// afterLoginSources lists the identity.after_login attributes of want
// that the scan reports without a "read after login" source.
func afterLoginSources(want lab.DeviceSpec, got report.Device) []string {
	var diffs []string
	for _, attr := range strings.Split(want.Planted["identity.after_login"], ",") {
		if a, ok := got.Identity[attr]; attr != "" && ok && !strings.Contains(a.Source, probe.AfterLogin) {
			diffs = append(diffs, fmt.Sprintf("%s (%s): %s source %q does not say it was read after login", want.Address, want.Name, attr, a.Source))
		}
	}
	return diffs
}

// CompareManifest lists every difference between the lab's ground truth
// and a scan of it: a missing or extra device, a wrong vendor, model,
// firmware or type, a missing or extra service, and, when the scan ran the
// auth check, an identity.after_login attribute not reported as read
// after login. Empty means a perfect scan.
func CompareManifest(m lab.Manifest, rep *report.Scan) []string {
	var diffs []string
	afterLogin := slices.Contains(rep.Checked, finding.CheckAuth)
	found := map[string]report.Device{}
	for _, d := range rep.Devices {
		found[d.Address.String()] = d
	}
	for _, want := range m.Devices {
		got, ok := found[want.Address]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("%s (%s): not found", want.Address, want.Name))
			continue
		}
		delete(found, want.Address)
		for _, c := range [][3]string{
			{"vendor", visible(want, "vendor", want.Vendor, afterLogin), got.Vendor},
			{"model", visible(want, "model", want.Model, afterLogin), got.Model},
			{"firmware", visible(want, "firmware", want.Firmware, afterLogin), got.Firmware},
			{"type", want.Type, got.Type},
		} {
			if !strings.EqualFold(c[1], c[2]) {
				diffs = append(diffs, fmt.Sprintf("%s (%s): %s %q, want %q", want.Address, want.Name, c[0], c[2], c[1]))
			}
		}
		if afterLogin {
			diffs = append(diffs, afterLoginSources(want, got)...)
		}
		wantSvc := make([]string, 0, len(want.Services))
		for _, s := range want.Services {
			wantSvc = append(wantSvc, fmt.Sprintf("%d/%s/%s", s.Port, s.Transport, s.Protocol))
		}
		gotSvc := make([]string, 0, len(got.Services))
		for _, s := range got.Services {
			gotSvc = append(gotSvc, fmt.Sprintf("%d/%s/%s", s.Port, s.Transport, s.Protocol))
		}
		slices.Sort(wantSvc)
		slices.Sort(gotSvc)
		for _, s := range wantSvc {
			if !slices.Contains(gotSvc, s) {
				diffs = append(diffs, fmt.Sprintf("%s (%s): service %s missing", want.Address, want.Name, s))
			}
		}
		for _, s := range gotSvc {
			if !slices.Contains(wantSvc, s) {
				diffs = append(diffs, fmt.Sprintf("%s (%s): extra service %s", want.Address, want.Name, s))
			}
		}
	}
	for addr := range found {
		diffs = append(diffs, fmt.Sprintf("%s: extra device not in the manifest", addr))
	}
	slices.Sort(diffs)
	return diffs
}

// labRouter returns the address of the lab's UPnP router ("" when the
// manifest plants none: the router audit is then off).
func labRouter(m lab.Manifest) string {
	for _, d := range m.Devices {
		if d.Planted[lab.PlantedPortmap] != "" {
			return d.Address
		}
	}
	return ""
}

// compareInternet lists the ports the lab router publishes (planted
// exposure.internet) that the report does not show as EXPOSED-TO-INTERNET,
// and such findings nothing planted.
func compareInternet(m lab.Manifest, rep *report.Scan) []string {
	got := map[string]bool{}
	for _, f := range rep.Findings {
		if f.ID == portmap.IDExposed {
			got[fmt.Sprintf("%s %d/%s", f.Address, f.Port, f.Evidence["transport"])] = true
		}
	}
	var diffs []string
	for _, d := range m.Devices {
		if d.Planted[lab.PlantedInternet] == "" {
			continue
		}
		for _, p := range strings.Split(d.Planted[lab.PlantedInternet], ",") {
			k := d.Address + " " + p
			if !got[k] {
				diffs = append(diffs, fmt.Sprintf("%s (%s): %s published by the router but no %s", d.Address, d.Name, p, portmap.IDExposed))
			}
			delete(got, k)
		}
	}
	for k := range got {
		diffs = append(diffs, fmt.Sprintf("%s: %s not planted", k, portmap.IDExposed))
	}
	slices.Sort(diffs)
	return diffs
}
