package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/report"
)

// visible returns what a correct scan can read of attr: the manifest's
// value, or "" when the device hides it without credentials.
func visible(d lab.DeviceSpec, attr, value string) string {
	hidden := strings.Split(d.Planted["identity.hidden"], ",")
	if slices.Contains(hidden, attr) || (attr == "firmware" && d.Planted["firmware"] == "unreadable") {
		return ""
	}
	return value
}

// CompareManifest lists every difference between the lab's ground truth
// and a scan of it: a missing or extra device, a wrong vendor, model,
// firmware or type, a missing or extra service. Empty means a perfect scan.
func CompareManifest(m lab.Manifest, rep *report.Scan) []string {
	var diffs []string
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
			{"vendor", visible(want, "vendor", want.Vendor), got.Vendor},
			{"model", visible(want, "model", want.Model), got.Model},
			{"firmware", visible(want, "firmware", want.Firmware), got.Firmware},
			{"type", want.Type, got.Type},
		} {
			if !strings.EqualFold(c[1], c[2]) {
				diffs = append(diffs, fmt.Sprintf("%s (%s): %s %q, want %q", want.Address, want.Name, c[0], c[2], c[1]))
			}
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
