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
}

// Checkpoints lists the three checkpoints in order.
func Checkpoints() []finding.Checkpoint {
	return []finding.Checkpoint{finding.CheckAuth, finding.CheckFirmware, finding.CheckExposure}
}

// authProtocols are the services that can ask for a password.
func authProtocol(p string) bool {
	switch p {
	case "http", "https", "rtsp", "onvif", "telnet", "ssh", "ftp", "snmp",
		"hikvision-sdk", "dahua-sdk", "xmeye-sdk", "xmeye-debug":
		return true
	}
	return false
}

// Scorecard grades a device on the three checkpoints from its findings
// (findings about other devices are ignored). A checkpoint fails on any
// finding of severity low or above; it is could-not-check when its only
// findings say the check could not conclude (FW-UNKNOWN,
// AUTH-UNVERIFIABLE, AUTH-STOPPED-LOCKOUT-RISK) or, for firmware, when
// no version was read; otherwise it passes with a reason.
func Scorecard(dev Device, findings []finding.Finding) []CheckResult {
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
		out = append(out, grade(dev, cp, mine))
	}
	return out
}

func grade(dev Device, cp finding.Checkpoint, sorted []finding.Finding) CheckResult {
	r := CheckResult{Checkpoint: cp}
	var failing, unsure []finding.Finding
	for _, f := range sorted {
		if f.Checkpoint != cp {
			continue
		}
		r.Findings++
		switch {
		case finding.Inconclusive(f.ID):
			unsure = append(unsure, f)
		case f.Severity >= finding.SevLow:
			failing = append(failing, f)
		}
	}
	switch {
	case len(failing) > 0:
		r.Verdict = VerdictFail
		r.setWorst(failing)
	case len(unsure) > 0:
		r.Verdict = VerdictUnknown
		r.setWorst(unsure)
	default:
		r.Verdict, r.Reason = passOrUnread(dev, cp)
	}
	return r
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

func passOrUnread(dev Device, cp finding.Checkpoint) (Verdict, finding.Text) {
	text := func(k i18n.Key, args ...any) finding.Text {
		en, ja := i18n.Both(k, args...)
		return finding.Text{EN: en, JA: ja}
	}
	switch cp {
	case finding.CheckAuth:
		n := 0
		for _, s := range dev.Services {
			if authProtocol(s.Protocol) {
				n++
			}
		}
		if n == 0 {
			return VerdictPass, text(i18n.ReasonAuthNone)
		}
		return VerdictPass, text(i18n.ReasonAuthPass, n)
	case finding.CheckFirmware:
		if dev.Firmware == "" {
			return VerdictUnknown, text(i18n.ReasonFWUnread)
		}
		return VerdictPass, text(i18n.ReasonFWPass, dev.Firmware)
	}
	return VerdictPass, text(i18n.ReasonExpPass)
}

// notRun is the scorecard line of a checkpoint the scan did not run.
func notRun(cp finding.Checkpoint) CheckResult {
	en, ja := i18n.Both(i18n.ReasonNotRun)
	return CheckResult{Checkpoint: cp, Verdict: VerdictUnknown, Reason: finding.Text{EN: en, JA: ja}}
}

// score fills every device's scorecard. A checkpoint counts as run when
// the scan says so in Checked or when any finding belongs to it; a
// checkpoint not run is could-not-check for every device.
func (s *Scan) score() {
	ran := map[finding.Checkpoint]bool{}
	for _, cp := range s.Checked {
		ran[cp] = true
	}
	for _, f := range s.Findings {
		ran[f.Checkpoint] = true
	}
	byAddr := map[netip.Addr][]finding.Finding{}
	for _, f := range s.Findings {
		byAddr[f.Address] = append(byAddr[f.Address], f)
	}
	for i := range s.Devices {
		card := Scorecard(s.Devices[i], byAddr[s.Devices[i].Address])
		for j := range card {
			if !ran[card[j].Checkpoint] {
				card[j] = notRun(card[j].Checkpoint)
			}
		}
		s.Devices[i].Scorecard = card
	}
}

// MaxSeverity returns the worst severity among the scan's findings, or
// -1 when there are none.
func MaxSeverity(s *Scan) finding.Severity {
	worst := finding.Severity(-1)
	for _, f := range s.Findings {
		worst = max(worst, f.Severity)
	}
	return worst
}

// ShouldFail reports whether the scan has a finding at or above sev, for
// --fail-on.
func ShouldFail(s *Scan, sev finding.Severity) bool { return MaxSeverity(s) >= sev }
