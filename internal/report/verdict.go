package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/probe"
)

// IDCheckError is the finding check.Run adds when a checker panicked on a
// device: what that checker would have said is unknown.
const IDCheckError = "CHECK-ERROR"

// GradeInput is everything one verdict is drawn from.
type GradeInput struct {
	Device Device
	// Findings are the device's findings (any checkpoint), worst first.
	Findings []finding.Finding
	// Ran is true when the scan ran this checkpoint's checks.
	Ran bool
	// Interrupted is true when the scan stopped before the device was
	// fully checked.
	Interrupted bool
}

// Grade is the one rule behind every scorecard line: a checkpoint passes
// (✓) only on positive evidence, fails (✗) on a weakness found, and is
// "could not check" (?) in every other case. In order:
//
//  1. not run in this scan: ?
//  2. a finding of severity low or above that is neither inconclusive
//     nor a coverage record: ✗ (a weakness found stays found, even in an
//     interrupted scan)
//  3. the scan was interrupted before the device was fully checked: ?
//  4. a checker failed on the device (CHECK-ERROR): ?
//  5. an inconclusive finding (finding.Inconclusive): ?
//  6. the checkpoint's own evidence:
//     - passwords: ✓ only when the AUTH-COVERAGE record says the check
//     finished and every surface that asks for a password refused the
//     device's own vendor defaults or has the administrator's strong
//     password; generic pairs only, untried surfaces, no surface at all
//     or no record: ?
//     - firmware: ✓ only when vendor, model and version were read (the
//     firmware check adds FW-UNCHECKED when the catalogue does not know
//     them, and FW-OUTDATED when they are not the latest); else ?
//     - unused functions: ✓ only when every open port was identified;
//     else ?
func Grade(cp finding.Checkpoint, in GradeInput) CheckResult {
	r := CheckResult{Checkpoint: cp}
	if !in.Ran {
		r.Verdict, r.Reason = VerdictUnknown, text(i18n.ReasonNotRun)
		return r
	}
	var failing, unsure, notes, errs []finding.Finding
	for _, f := range in.Findings {
		if f.ID == IDCheckError && (f.Checkpoint == 0 || f.Checkpoint == cp) {
			errs = append(errs, f)
		}
		if f.Checkpoint != cp || finding.Coverage(f.ID) {
			continue
		}
		r.Findings++
		switch {
		case finding.Inconclusive(f.ID):
			unsure = append(unsure, f)
		case f.Severity >= finding.SevLow:
			failing = append(failing, f)
		default:
			notes = append(notes, f)
		}
	}
	switch {
	case len(failing) > 0:
		r.Verdict = VerdictFail
		r.setWorst(failing)
	case in.Interrupted:
		r.Verdict, r.Reason, r.Interrupted = VerdictUnknown, text(i18n.ReasonInterruptedDevice), true
	case len(errs) > 0:
		r.Verdict, r.Finding = VerdictUnknown, errs[0].ID
		r.Reason = text(i18n.ReasonCheckError, errs[0].Evidence["check"])
		if errs[0].Evidence["check"] == "" {
			r.Reason = errs[0].Title
		}
	case len(unsure) > 0:
		r.Verdict = VerdictUnknown
		r.setWorst(unsure)
	default:
		r.Verdict, r.Reason = evidence(cp, in)
		if r.Verdict == VerdictPass && len(notes) > 0 {
			r.Finding, r.Severity = notes[0].ID, notes[0].Severity.String()
			r.Reason = joinText(r.Reason, note(notes[0].Title))
		}
	}
	return r
}

// evidence grades a checkpoint that has no weakness and no inconclusive
// finding: pass only on the checkpoint's positive evidence.
func evidence(cp finding.Checkpoint, in GradeInput) (Verdict, finding.Text) {
	d := in.Device
	switch cp {
	case finding.CheckAuth:
		return authEvidence(d, in.Findings)
	case finding.CheckFirmware:
		switch {
		case d.Vendor == "":
			return VerdictUnknown, text(i18n.ReasonFWNoVendor)
		case d.Firmware == "":
			return VerdictUnknown, text(i18n.ReasonFWUnread)
		case d.Model == "":
			return VerdictUnknown, text(i18n.ReasonFWNoModel)
		}
		return VerdictPass, text(i18n.ReasonFWPass, d.Firmware)
	case finding.CheckExposure:
		if len(d.Services) == 0 {
			return VerdictUnknown, text(i18n.ReasonExpNoPorts)
		}
		var open []string
		for _, s := range d.Services {
			if s.Status != probe.StatusIdentified {
				open = append(open, serviceName(s)+" "+string(s.Status))
			}
		}
		if len(open) > 0 {
			return VerdictUnknown, text(i18n.ReasonExpUnfinished, strings.Join(open, ", "))
		}
		return VerdictPass, text(i18n.ReasonExpPass, len(d.Services))
	}
	return VerdictUnknown, text(i18n.Unknown)
}

// authEvidence reads the AUTH-COVERAGE record of a device.
func authEvidence(d Device, fs []finding.Finding) (Verdict, finding.Text) {
	cov, ok := readCoverage(fs)
	cov.vendor = firstNonEmpty(cov.vendor, d.Vendor)
	if cov.vendor == "" {
		// Without a vendor there are no "vendor's own" defaults: what
		// was refused can only have been generic.
		cov.genericRefused = merge(cov.genericRefused, strings.Join(cov.vendorRefused, ","))
		cov.vendorRefused = nil
	}
	switch {
	case !ok:
		return VerdictUnknown, text(i18n.ReasonAuthNoRecord)
	case !cov.complete:
		return VerdictUnknown, joinText(text(i18n.ReasonAuthIncomplete), untried(cov))
	case len(cov.untried) > 0:
		// Before "no surface": a web page whose login cannot be checked
		// is an admin function left unchecked, not nothing to try.
		return VerdictUnknown, untried(cov)
	case len(cov.surfaces) == 0:
		return VerdictUnknown, text(i18n.ReasonAuthNoSurface, len(d.Services))
	}
	var generic, uncovered []string
	for _, s := range cov.surfaces {
		switch {
		case slices.Contains(cov.vendorRefused, s) || slices.Contains(cov.adminStrong, s):
		case slices.Contains(cov.genericRefused, s):
			generic = append(generic, s)
		default:
			uncovered = append(uncovered, s)
		}
	}
	switch {
	case len(uncovered) > 0:
		return VerdictUnknown, text(i18n.ReasonAuthUncovered, list(uncovered))
	case len(generic) > 0:
		return VerdictUnknown, text(i18n.ReasonAuthGenericOnly, list(generic))
	}
	var parts []finding.Text
	vr := inSurfaces(cov.vendorRefused, cov.surfaces)
	if direct := without(vr, cov.via); len(direct) > 0 {
		parts = append(parts, text(i18n.ReasonAuthVendorRefused, cov.vendor, list(direct)))
	}
	parts = append(parts, shared(vr, cov.via)...)
	if as := inSurfaces(cov.adminStrong, cov.surfaces); len(as) > 0 {
		parts = append(parts, text(i18n.ReasonAuthAdminStrong, list(as)))
	}
	return VerdictPass, joinText(parts...)
}

// coverage is an AUTH-COVERAGE record, merged when a device has several.
type coverage struct {
	vendor, reason                                       string
	complete                                             bool
	surfaces, vendorRefused, genericRefused, adminStrong []string
	untried                                              []string
	// via maps a surface to the surfaces of its account domain whose
	// refusals it counts (finding.CoverageRefusedVia).
	via map[string][]string
}

func readCoverage(fs []finding.Finding) (coverage, bool) {
	var c coverage
	found := false
	for _, f := range fs {
		if !finding.Coverage(f.ID) {
			continue
		}
		ev := f.Evidence
		c.complete = (!found || c.complete) && ev[finding.CoverageComplete] == "true"
		found = true
		c.vendor = firstNonEmpty(c.vendor, ev[finding.CoverageVendor])
		c.reason = firstNonEmpty(c.reason, ev[finding.CoverageReason])
		c.surfaces = merge(c.surfaces, ev[finding.CoverageSurfaces])
		c.vendorRefused = merge(c.vendorRefused, ev[finding.CoverageVendorRefused])
		c.genericRefused = merge(c.genericRefused, ev[finding.CoverageGenericRefused])
		c.adminStrong = merge(c.adminStrong, ev[finding.CoverageAdminStrong])
		c.untried = merge(c.untried, ev[finding.CoverageUntried])
		for _, item := range merge(nil, ev[finding.CoverageRefusedVia]) {
			if s, by, ok := strings.Cut(item, finding.CoverageViaSep); ok && s != "" && by != "" {
				if c.via == nil {
					c.via = map[string][]string{}
				}
				c.via[s] = merge(c.via[s], by)
			}
		}
	}
	return c, found
}

func merge(into []string, csv string) []string {
	for s := range strings.SplitSeq(csv, ",") {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(into, s) {
			into = append(into, s)
		}
	}
	slices.Sort(into)
	return into
}

func inSurfaces(xs, surfaces []string) []string {
	var out []string
	for _, x := range xs {
		if slices.Contains(surfaces, x) {
			out = append(out, x)
		}
	}
	return out
}

// list renders "http/80,rtsp/554" items as "80/http, 554/rtsp", the way
// the reports name services.
func list(items []string) string {
	out := make([]string, len(items))
	for i, it := range items {
		if proto, port, ok := strings.Cut(it, "/"); ok {
			it = port + "/" + proto
		}
		out[i] = it
	}
	return strings.Join(out, ", ")
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// note appends an informational finding's title to a pass reason.
func note(title finding.Text) finding.Text {
	en, ja, _ := i18n.Lookup(i18n.ReasonNote)
	return finding.Text{EN: fmt.Sprintf(en, title.EN), JA: fmt.Sprintf(ja, firstNonEmpty(title.JA, title.EN))}
}

func text(k i18n.Key, args ...any) finding.Text {
	en, ja := i18n.Both(k, args...)
	return finding.Text{EN: en, JA: ja}
}

// joinText concatenates texts language by language, with a space between
// English sentences.
func joinText(ts ...finding.Text) finding.Text {
	var out finding.Text
	for _, t := range ts {
		if out.EN != "" && t.EN != "" && !strings.HasPrefix(t.EN, " ") {
			out.EN += " "
		}
		out.EN += t.EN
		out.JA += t.JA
	}
	return out
}
