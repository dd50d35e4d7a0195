package report

import (
	"cmp"
	"net/netip"
	"slices"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
)

// Verdict is the outcome of one checkpoint on one device.
type Verdict string

// The verdicts of a checkpoint.
const (
	VerdictPass    Verdict = "pass"
	VerdictFail    Verdict = "fail"
	VerdictUnknown Verdict = "could-not-check" // the check had no evidence either way
)

// Symbol is the verdict's mark in tables, pages and the history: ✓ pass,
// ✗ fail, ? anything else (could not check).
func (v Verdict) Symbol() string {
	switch v {
	case VerdictPass:
		return "✓"
	case VerdictFail:
		return "✗"
	}
	return "?"
}

// Name is the verdict's word in p's language.
func (v Verdict) Name(p *i18n.Printer) string {
	switch v {
	case VerdictPass:
		return p.T(i18n.VerdictPass)
	case VerdictFail:
		return p.T(i18n.VerdictFail)
	}
	return p.T(i18n.VerdictUnknown)
}

// CheckResult is one line of a device's scorecard: the checkpoint, its
// verdict, the worst finding behind it and a one-line reason in both
// languages.
type CheckResult struct {
	Checkpoint finding.Checkpoint `json:"checkpoint"`
	Verdict    Verdict            `json:"verdict"`
	Finding    string             `json:"finding,omitempty"`  // ID of the worst finding behind the verdict
	Severity   string             `json:"severity,omitempty"` // its severity
	Findings   int                `json:"findings"`           // findings of this checkpoint on the device
	Reason     finding.Text       `json:"reason"`
	// Interrupted is true when the verdict is "could-not-check" because
	// the scan stopped before this device was fully checked.
	Interrupted bool `json:"interrupted,omitempty"`
}

// Checkpoints lists the three checkpoints in order.
func Checkpoints() []finding.Checkpoint {
	return []finding.Checkpoint{finding.CheckAuth, finding.CheckFirmware, finding.CheckExposure}
}

// Scorecard grades a device on the three checkpoints from its findings
// (findings about other devices are ignored), as a scan that ran every
// checkpoint to the end would; see Grade for the rule.
func Scorecard(dev Device, findings []finding.Finding) []CheckResult {
	return scorecard(dev, findings, func(finding.Checkpoint) bool { return true }, false)
}

func scorecard(dev Device, findings []finding.Finding, ran func(finding.Checkpoint) bool, interrupted bool) []CheckResult {
	var mine []finding.Finding
	for _, f := range findings {
		if f.Address == dev.Address {
			mine = append(mine, f)
		}
	}
	slices.SortStableFunc(mine, func(a, b finding.Finding) int {
		return cmp.Or(cmp.Compare(b.Severity, a.Severity), cmp.Compare(a.ID, b.ID), cmp.Compare(a.Port, b.Port))
	})
	out := make([]CheckResult, 0, 3)
	for _, cp := range Checkpoints() {
		out = append(out, Grade(cp, GradeInput{Device: dev, Findings: mine, Ran: ran(cp), Interrupted: interrupted}))
	}
	return out
}

func (r *CheckResult) setWorst(fs []finding.Finding) {
	w := fs[0]
	r.Finding, r.Severity, r.Reason = w.ID, w.Severity.String(), w.Title
	if len(fs) > 1 {
		en, ja := i18n.Both(i18n.ReasonMore, len(fs)-1)
		r.Reason.EN += en
		r.Reason.JA += ja
	}
}

// score fills every device's scorecard. A checkpoint counts as run when
// the scan says so in Checked or when any finding belongs to it; a
// checkpoint not run is could-not-check for every device, and so is
// every checkpoint without a weakness when the scan was interrupted.
func (s *Scan) score() {
	ran := map[finding.Checkpoint]bool{}
	for _, cp := range s.Checked {
		ran[cp] = true
	}
	for _, f := range s.Findings {
		if !finding.Coverage(f.ID) && f.ID != IDCheckError {
			ran[f.Checkpoint] = true
		}
	}
	byAddr := map[netip.Addr][]finding.Finding{}
	for _, f := range s.Findings {
		byAddr[f.Address] = append(byAddr[f.Address], f)
	}
	for i := range s.Devices {
		s.Devices[i].Scorecard = scorecard(s.Devices[i], byAddr[s.Devices[i].Address],
			func(cp finding.Checkpoint) bool { return ran[cp] }, s.Interrupted)
	}
}

// MaxSeverity returns the worst severity among the scan's findings, or
// -1 when there are none.
func MaxSeverity(s *Scan) finding.Severity {
	worst := finding.Severity(-1)
	for _, f := range s.Problems() {
		worst = max(worst, f.Severity)
	}
	return worst
}

// ShouldFail reports whether the scan has a finding at or above sev, for
// --fail-on.
func ShouldFail(s *Scan, sev finding.Severity) bool { return MaxSeverity(s) >= sev }
