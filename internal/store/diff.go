package store

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/report"
)

// Changes is what changed between two scans, device by device: what the
// history command and a "since last scan" section show.
type Changes struct {
	PrevStarted, CurStarted time.Time
	// ScopeChanged is set when the scans covered different scopes: a
	// device "gone" may only be outside the new scope.
	ScopeChanged bool
	// Interrupted is set when the current scan was interrupted: a device
	// "gone" may only not have been reached.
	Interrupted bool
	New         []DeviceChange // in the current scan only
	Gone        []DeviceChange // in the previous scan only
	Changed     []DeviceChange // in both, with a difference
	Unchanged   int            // in both, with no difference
}

// Empty reports whether nothing changed.
func (c Changes) Empty() bool { return len(c.New)+len(c.Gone)+len(c.Changed) == 0 }

// DeviceChange is what changed on one device.
type DeviceChange struct {
	Key         string
	Address     netip.Addr // in the current scan (the previous one for a gone device)
	PrevAddress netip.Addr // set when the device moved to another address
	Vendor      string
	Model       string
	// FirmwareFrom and FirmwareTo are set when both scans read a firmware
	// version and the versions differ.
	FirmwareFrom, FirmwareTo string
	// Opened lists findings of the current scan that the previous one did
	// not report (every finding of a new device).
	Opened []finding.Finding
	// Fixed lists findings of the previous scan that a check of the
	// current scan, run on this device, no longer reports.
	Fixed []finding.Finding
	// Unchecked lists findings of the previous scan whose checkpoint the
	// current scan did not run (or every finding of a gone device): they
	// are neither fixed nor confirmed.
	Unchecked []finding.Finding
	Scorecard []VerdictChange
}

// VerdictChange is one checkpoint whose verdict changed.
type VerdictChange struct {
	Checkpoint finding.Checkpoint
	From, To   report.Verdict
}

// Diff compares two scans; prev may be nil (then every device is new).
// Devices are paired by the identity rule (see Identity); findings by ID,
// port and protocol. Neither scan is modified.
func Diff(prev, cur *report.Scan) Changes {
	if prev == nil {
		prev = &report.Scan{Scope: cur.Scope}
	}
	c := Changes{PrevStarted: prev.Started, CurStarted: cur.Started,
		ScopeChanged: prev.Scope != cur.Scope, Interrupted: cur.Interrupted}
	pairs, gone, added := match(prev.Devices, cur.Devices)
	ran := checkpointsRun(cur)
	prevF, curF := byAddress(prev.Findings), byAddress(cur.Findings)
	for _, j := range added {
		d := cur.Devices[j]
		c.New = append(c.New, DeviceChange{Key: IdentityOf(d).Key(), Address: d.Address,
			Vendor: d.Vendor, Model: d.Model, Opened: curF[d.Address]})
	}
	for _, i := range gone {
		d := prev.Devices[i]
		c.Gone = append(c.Gone, DeviceChange{Key: IdentityOf(d).Key(), Address: d.Address,
			Vendor: d.Vendor, Model: d.Model, Unchecked: prevF[d.Address]})
	}
	for _, p := range pairs {
		pd, cd := prev.Devices[p.prev], cur.Devices[p.cur]
		dc := compareDevice(pd, cd, prevF[pd.Address], curF[cd.Address], ran)
		if dc == nil {
			c.Unchanged++
			continue
		}
		c.Changed = append(c.Changed, *dc)
	}
	for _, l := range [][]DeviceChange{c.New, c.Gone, c.Changed} {
		slices.SortFunc(l, func(a, b DeviceChange) int { return a.Address.Compare(b.Address) })
	}
	return c
}

// compareDevice returns the change of one paired device, or nil.
func compareDevice(pd, cd report.Device, pf, cf []finding.Finding, ran map[finding.Checkpoint]bool) *DeviceChange {
	dc := DeviceChange{Key: IdentityOf(cd).Key(), Address: cd.Address,
		Vendor: cmp.Or(cd.Vendor, pd.Vendor), Model: cmp.Or(cd.Model, pd.Model)}
	changed := false
	if pd.Address != cd.Address {
		dc.PrevAddress, changed = pd.Address, true
	}
	if pd.Firmware != "" && cd.Firmware != "" && pd.Firmware != cd.Firmware {
		dc.FirmwareFrom, dc.FirmwareTo, changed = pd.Firmware, cd.Firmware, true
	}
	before := findingSet(pf)
	now := findingSet(cf)
	for _, f := range cf {
		if _, ok := before[findingKey(f)]; !ok {
			dc.Opened = append(dc.Opened, f)
		}
	}
	for _, f := range pf {
		if _, ok := now[findingKey(f)]; ok {
			continue
		}
		if ran[f.Checkpoint] {
			dc.Fixed = append(dc.Fixed, f)
		} else {
			dc.Unchecked = append(dc.Unchecked, f)
		}
	}
	dc.Scorecard = verdictChanges(pd.Scorecard, cd.Scorecard)
	if changed || len(dc.Opened)+len(dc.Fixed)+len(dc.Unchecked)+len(dc.Scorecard) > 0 {
		return &dc
	}
	return nil
}

// DiffStates compares two observations of one device, as DeviceHistory
// returns them; nil when nothing changed. A finding missing from cur is
// fixed only when cur's scan ran its checkpoint.
func DiffStates(prev, cur DeviceState) *DeviceChange {
	ran := map[finding.Checkpoint]bool{}
	for _, cp := range cur.Checked {
		ran[cp] = true
	}
	for _, f := range cur.Findings {
		ran[f.Checkpoint] = true
	}
	return compareDevice(prev.Device, cur.Device, finding.WithoutCoverage(prev.Findings), finding.WithoutCoverage(cur.Findings), ran)
}

// CheckpointsRun lists the checkpoints a scan ran, in order: those in
// its Checked and those any of its findings belongs to.
func CheckpointsRun(s *report.Scan) []finding.Checkpoint {
	var out []finding.Checkpoint
	for cp := range checkpointsRun(s) {
		out = append(out, cp)
	}
	slices.Sort(out)
	return out
}

func verdictChanges(prev, cur []report.CheckResult) []VerdictChange {
	var out []VerdictChange
	for _, c := range cur {
		for _, p := range prev {
			if p.Checkpoint == c.Checkpoint && p.Verdict != c.Verdict {
				out = append(out, VerdictChange{Checkpoint: c.Checkpoint, From: p.Verdict, To: c.Verdict})
			}
		}
	}
	return out
}

// checkpointsRun is the set of checkpoints a scan ran: those it lists in
// Checked and those any finding belongs to (the rule report uses for
// scorecards).
func checkpointsRun(s *report.Scan) map[finding.Checkpoint]bool {
	ran := map[finding.Checkpoint]bool{}
	for _, cp := range s.Checked {
		ran[cp] = true
	}
	for _, f := range s.Findings {
		ran[f.Checkpoint] = true
	}
	return ran
}

// byAddress groups findings by device, leaving out coverage records
// (AUTH-COVERAGE), which say how far a check got, not what it found.
func byAddress(fs []finding.Finding) map[netip.Addr][]finding.Finding {
	m := map[netip.Addr][]finding.Finding{}
	for _, f := range fs {
		if finding.Coverage(f.ID) {
			continue
		}
		m[f.Address] = append(m[f.Address], f)
	}
	return m
}

// findingKey identifies a finding on one device across scans.
func findingKey(f finding.Finding) string { return fmt.Sprintf("%s|%d|%s", f.ID, f.Port, f.Protocol) }

func findingSet(fs []finding.Finding) map[string]struct{} {
	m := make(map[string]struct{}, len(fs))
	for _, f := range fs {
		m[findingKey(f)] = struct{}{}
	}
	return m
}
