// Package firmware is checkpoint 2: is the firmware the latest, is the
// product still supported, which known vulnerabilities apply. It compares
// the version read during identification with the firmware catalogue and
// sends nothing to the device.
//
// Findings: FW-UNKNOWN (the version could not be read), FW-UNCHECKED
// (info: the catalogue does not know the vendor or model, or has no
// release to compare with, so nothing can be said), FW-EOL (support
// ended, ends within 12 months, or the vendor discontinued the model),
// FW-OUTDATED (older than the latest release, or in a range of versions
// a later release line of the vendor replaced) and FW-VULNERABLE (one per
// CVE whose affected range contains the version, KEV first, then CVSS).
// FW-UNKNOWN and FW-UNCHECKED make checkpoint 2 "could not check"
// (finding.Inconclusive): a pass needs the version found in the catalogue
// and current. A device whose vendor was not identified gets no finding;
// its scorecard says so.
package firmware

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	catalogfw "github.com/camwarden/camwarden/internal/catalog/firmware"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/version"
)

// Finding IDs.
const (
	IDUnknown    = "FW-UNKNOWN"
	IDUnchecked  = "FW-UNCHECKED"
	IDEOL        = "FW-EOL"
	IDOutdated   = "FW-OUTDATED"
	IDVulnerable = "FW-VULNERABLE"
)

// eolWarning is how far ahead an announced end of support is reported.
const eolWarning = 365 * 24 * time.Hour

// Check returns the firmware findings of one device at time now.
func Check(d *device.Device, cat *catalogfw.Catalog, now time.Time) []finding.Finding {
	if d == nil || cat == nil || strings.TrimSpace(d.Vendor()) == "" {
		return nil
	}
	if cat.Vendor(d.Vendor()) == nil {
		return []finding.Finding{uncheckedVendor(d)}
	}
	c := checker{d: d, cat: cat, now: now, vendor: cat.Vendor(d.Vendor()), model: d.Model()}
	c.scheme = c.vendor.Scheme
	installed, err := c.installed()
	var out []finding.Finding
	if err != nil {
		out = append(out, c.unknown(err))
	}
	m := cat.Lookup(c.vendor.Name, c.model, d.Get(probe.AttrHardware), installed)
	if f, ok := c.eol(m.Lifecycle); ok {
		out = append(out, f)
	}
	vulns, unverified := c.vulnerable(installed)
	// A version that cannot be compared with a latest release is
	// FW-UNCHECKED, unless an end of support or a vulnerability already
	// decides the checkpoint.
	decided := len(out) > 0 || len(vulns) > 0
	var sup *catalogfw.Superseded
	if installed != nil && m.Latest == nil {
		sup = cat.SupersededOf(c.vendor.Name, c.model, *installed)
	}
	switch {
	case installed == nil: // FW-UNKNOWN already says why nothing was compared
	case sup != nil:
		// A later release line replaced the version, whatever the model.
		out = append(out, c.superseded(*installed, sup, unverified))
	case strings.TrimSpace(c.model) == "":
		if !decided {
			out = append(out, c.unchecked(reasonNoModel))
		}
	case m.Latest == nil:
		if !decided {
			out = append(out, c.unchecked(reasonNoRelease))
		}
	default:
		f, ok, err := c.outdated(*installed, m.Latest, unverified)
		switch {
		case err != nil && !decided:
			out = append(out, c.unchecked(reasonIncomparable))
		case ok:
			out = append(out, f)
		}
	}
	return append(out, vulns...)
}

type checker struct {
	d      *device.Device
	cat    *catalogfw.Catalog
	now    time.Time
	vendor *catalogfw.Vendor
	scheme version.Scheme
	model  string
}

// installed parses the firmware the device reported, with the separate
// build date when there is one (Hikvision firmwareReleasedDate).
func (c *checker) installed() (*version.Version, error) {
	raw := c.d.Firmware()
	if strings.TrimSpace(raw) == "" {
		return nil, errors.New("the device did not report its firmware version")
	}
	v, err := version.Parse(c.scheme, raw)
	if err != nil {
		return nil, err
	}
	if b := c.d.Get(probe.AttrBuildDate); b != "" {
		if vb, err := version.WithBuild(v, b); err == nil {
			v = vb
		}
	}
	return &v, nil
}

func (c *checker) base(id string, sev finding.Severity) finding.Finding {
	return finding.Finding{ID: id, Checkpoint: finding.CheckFirmware, Severity: sev, Address: c.d.Address,
		Evidence: map[string]string{"vendor": c.vendor.Name, "model": c.model}}
}

func (c *checker) unknown(err error) finding.Finding {
	f := c.base(IDUnknown, finding.SevLow)
	f.Title = unknownTitle
	f.Remediation = finding.Text{
		EN: "camwarden could not read the firmware version, so it cannot say whether it is current. " + c.vendor.ManualCheck.EN +
			" Then compare it with the latest version on the vendor's support site.",
		JA: "ファームウェアのバージョンを読み取れなかったため、最新かどうか判定できません。" + c.vendor.ManualCheck.JA +
			"確認したバージョンをメーカーのサポートサイトの最新版と比べてください。",
	}
	f.Evidence["installed"] = c.d.Firmware()
	f.Evidence["reason"] = err.Error()
	return f
}

func (c *checker) eol(fam *catalogfw.Family) (finding.Finding, bool) {
	if fam == nil {
		return finding.Finding{}, false
	}
	f := c.base(IDEOL, finding.SevMedium)
	f.Evidence["catalogue_source"] = PublicSource(fam.Source)
	f.Evidence["family"] = fam.Name
	if fam.Replacement != "" {
		f.Evidence["replacement"] = fam.Replacement
	}
	var en, ja string
	switch eos, ok := date(fam.EndOfSupport); {
	case ok && !c.now.Before(eos):
		f.Severity = finding.SevHigh
		f.Evidence["end_of_support"] = fam.EndOfSupport
		en = fmt.Sprintf("Vendor support for %s ended on %s: no more security updates.", fam.Name, fam.EndOfSupport)
		ja = fmt.Sprintf("%sのメーカーサポートは%sに終了しており、セキュリティ更新は提供されません。", fam.Name, fam.EndOfSupport)
	case ok && eos.Sub(c.now) <= eolWarning:
		f.Evidence["end_of_support"] = fam.EndOfSupport
		en = fmt.Sprintf("Vendor support for %s ends on %s.", fam.Name, fam.EndOfSupport)
		ja = fmt.Sprintf("%sのメーカーサポートは%sに終了します。", fam.Name, fam.EndOfSupport)
	case ok:
		return finding.Finding{}, false // support ends more than a year from now
	case fam.Discontinued || fam.EndOfSale != "":
		f.Evidence["end_of_sale"] = cmp.Or(fam.EndOfSale, "discontinued (date not published)")
		en = fmt.Sprintf("The vendor has discontinued %s and publishes no end-of-support date.", fam.Name)
		ja = fmt.Sprintf("%sはメーカーの販売が終了しており、サポート終了日は公表されていません。", fam.Name)
	default:
		return finding.Finding{}, false
	}
	f.Title = finding.Text{EN: "Product no longer supported (or soon): " + fam.Name, JA: "サポート終了（または終了予定）の製品: " + fam.Name}
	f.Remediation = eolRemediation(en, ja, fam.Replacement)
	return f, true
}

// outdated compares the installed version with the family's latest: a
// finding when it is older, false when it is current, an error when the
// catalogue's latest release cannot be read in the vendor's scheme.
func (c *checker) outdated(inst version.Version, fam *catalogfw.Family, unverified []string) (finding.Finding, bool, error) {
	latest, err := fam.LatestVersion(c.scheme)
	if err != nil {
		return finding.Finding{}, false, err
	}
	if version.Compare(inst, latest) >= 0 {
		return finding.Finding{}, false, nil
	}
	f := c.outdatedBase(inst, fam.Source, unverified)
	f.Evidence["latest"] = latest.Raw
	f.Evidence["latest_date"] = fam.Latest.Date
	age := ""
	if rel, ok := date(fam.Latest.Date); ok && inst.HasBuild() {
		days := int(rel.Sub(inst.Build).Hours() / 24)
		f.Evidence["installed_build"] = inst.Build.Format(time.DateOnly)
		f.Evidence["behind_days"] = fmt.Sprint(days)
		age = fmt.Sprintf(" (built %s, %d days before the latest)", inst.Build.Format(time.DateOnly), days)
		if days > 2*365 {
			f.Severity = finding.SevHigh
		}
	}
	f.Remediation = finding.Text{
		EN: fmt.Sprintf("Installed %s%s; the latest for %s is %s (released %s). Update the firmware from the vendor's official support site and keep it up to date.",
			inst.Raw, age, fam.Name, latest.Raw, fam.Latest.Date),
		JA: fmt.Sprintf("導入済みのファームウェアは%s、%sの最新版は%s（%s公開）です。メーカーの公式サポートサイトからファームウェアを更新し、常に最新の状態に保ってください。",
			inst.Raw, fam.Name, latest.Raw, fam.Latest.Date),
	}
	return f, true, nil
}

// outdatedBase is the FW-OUTDATED finding for inst without its
// remediation: what every reason for it shares (installed version, the
// catalogue entry's source, the CVEs whose range is unknown, the title).
func (c *checker) outdatedBase(inst version.Version, source string, unverified []string) finding.Finding {
	f := c.base(IDOutdated, finding.SevMedium)
	f.Evidence["installed"] = inst.Raw
	f.Evidence["catalogue_source"] = PublicSource(source)
	if len(unverified) > 0 {
		f.Evidence["unverified_cves"] = strings.Join(unverified, ",")
	}
	f.Title = finding.Text{EN: "Firmware is not the latest", JA: "ファームウェアが最新ではありません"}
	return f
}

// superseded reports a version that a later release line of the vendor
// replaced: the vendor no longer maintains it, on any model.
func (c *checker) superseded(inst version.Version, s *catalogfw.Superseded, unverified []string) finding.Finding {
	f := c.outdatedBase(inst, s.Source, unverified)
	f.Evidence["successor"] = s.Successor
	f.Evidence["successor_line"] = s.Line
	f.Remediation = finding.Text{
		EN: fmt.Sprintf("Installed %s is a release the vendor no longer maintains: %s replaced it, and the vendor fixes only its current releases. "+
			"Update the firmware from the vendor's official support site to %s or later; if your model is offered nothing newer, it no longer gets security updates: plan to replace it.",
			inst.Raw, s.Line, s.Line),
		JA: fmt.Sprintf("導入済みのファームウェア%sは、メーカーが保守を終えたリリースです（後継は%s。メーカーは現行リリースだけを修正します）。"+
			"メーカーの公式サポートサイトから%s以降に更新してください。お使いの機種に新しいファームウェアが提供されていない場合はセキュリティ更新が受けられないため、機器の交換を計画してください。",
			inst.Raw, s.Line, s.Line),
	}
	return f
}

// vulnerable returns one finding per affected CVE, KEV first, then by
// CVSS, and the CVEs whose range the catalogue does not know.
func (c *checker) vulnerable(inst *version.Version) ([]finding.Finding, []string) {
	var hits []*catalogfw.Vulnerability
	var unverified []string
	for _, v := range c.cat.VulnerabilitiesOf(c.vendor.Name, c.model) {
		switch v.Assess(c.scheme, c.model, inst) {
		case catalogfw.VerdictAffected:
			hits = append(hits, v)
		case catalogfw.VerdictUnknown:
			unverified = append(unverified, v.CVE)
		}
	}
	slices.SortFunc(hits, func(a, b *catalogfw.Vulnerability) int {
		if a.KEV != b.KEV {
			if a.KEV {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(b.CVSS, a.CVSS), strings.Compare(a.CVE, b.CVE))
	})
	out := make([]finding.Finding, 0, len(hits))
	for _, v := range hits {
		out = append(out, c.vulnFinding(v, inst))
	}
	return out, unverified
}

func date(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}
