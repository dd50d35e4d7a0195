package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/termsafe"
)

// view is a scan translated into one language: every string a human
// report shows, derived only from the JSON document so that re-rendering
// a saved scan gives the same bytes. Every string that comes from the
// document passes through the terminal sanitiser (termsafe), since the
// Markdown, CSV and table are read in terminals too; each format then
// adds its own escaping.
type view struct {
	p           *i18n.Printer
	Lang        string
	Scope       string
	Started     string
	Finished    string
	Duration    string
	CatalogDate string
	Version     string
	Interrupted bool
	Findings    int
	BySeverity  []sevCount // worst first, only non-zero counts
	Devices     []deviceView
}

type sevCount struct {
	Name, Class string
	N           int
}

type deviceView struct {
	Anchor   string
	Heading  string
	Address  string
	Hostname string
	Type     string
	Vendor   string
	Model    string
	Firmware string
	Services []string
	Status   string
	Checks   []checkView
	Findings []findingView
}

type checkView struct {
	Name, Short, Verdict, Symbol, Class, Reason string
}

type findingView struct {
	ID, Severity, SevClass, Checkpoint, Where, Title string
	StepsHeading                                     string
	Steps                                            []string
	Evidence                                         [][2]string
	Snapshot                                         string // evidence path of a JPEG, or ""
	Trace                                            []string
}

func buildView(s *Scan, lang i18n.Lang) *view {
	p := i18n.New(lang)
	v := &view{
		p: p, Lang: string(p.Lang()), Scope: one(s.Scope),
		Started:     s.Started.UTC().Format("2006-01-02 15:04:05 UTC"),
		Finished:    s.Finished.UTC().Format("2006-01-02 15:04:05 UTC"),
		Duration:    s.Finished.Sub(s.Started).Round(1e7).String(),
		CatalogDate: orUnknown(p, one(s.Tool.CatalogDate)),
		Version:     one(s.Tool.Version),
		Interrupted: s.Interrupted,
		Findings:    len(s.Problems()),
	}
	counts := map[finding.Severity]int{}
	for _, f := range s.Problems() {
		counts[f.Severity]++
	}
	for sev := finding.SevCritical; sev >= finding.SevInfo; sev-- {
		if counts[sev] > 0 {
			v.BySeverity = append(v.BySeverity, sevCount{sevName(p, sev), sev.String(), counts[sev]})
		}
	}
	for _, d := range s.Devices {
		v.Devices = append(v.Devices, buildDevice(p, d, s.ProblemsFor(d.Address)))
	}
	return v
}

func buildDevice(p *i18n.Printer, d Device, fs []finding.Finding) deviceView {
	dv := deviceView{
		Anchor:   "dev-" + strings.NewReplacer(".", "-", ":", "-").Replace(d.Address.String()),
		Address:  d.Address.String(),
		Hostname: one(d.Hostname),
		Type:     typeName(p, d.Type),
		Vendor:   orUnknown(p, one(d.Vendor)),
		Model:    orUnknown(p, one(d.Model)),
		Firmware: orUnknown(p, one(d.Firmware)),
		Status:   one(d.Status),
	}
	// A model or firmware the device showed only after a login says so.
	if strings.Contains(d.Identity[probe.AttrModel].Source, probe.AfterLogin) {
		dv.Model = p.F(i18n.ReadAfterLogin, dv.Model)
	}
	if strings.Contains(d.Identity[probe.AttrFirmware].Source, probe.AfterLogin) {
		dv.Firmware = p.F(i18n.ReadAfterLogin, dv.Firmware)
	}
	dv.Heading = one(strings.TrimSpace(d.Vendor + " " + d.Model))
	if dv.Heading == "" {
		dv.Heading = dv.Type
	}
	dv.Heading += " (" + dv.Address + ")"
	for _, sv := range d.Services {
		dv.Services = append(dv.Services, one(serviceName(sv)))
	}
	for _, c := range d.Scorecard {
		dv.Checks = append(dv.Checks, checkView{
			Name: checkName(p, c.Checkpoint), Short: checkShort(p, c.Checkpoint),
			Verdict: c.Verdict.Name(p), Symbol: c.Verdict.Symbol(),
			Class: string(c.Verdict), Reason: one(pick(p, c.Reason)),
		})
	}
	for _, f := range fs {
		dv.Findings = append(dv.Findings, buildFinding(p, d, f))
	}
	return dv
}

func buildFinding(p *i18n.Printer, d Device, f finding.Finding) findingView {
	fv := findingBase(p, f)
	if d.Vendor != "" && len(fv.Steps) > 0 {
		fv.StepsHeading = p.F(i18n.VendorSteps, one(d.Vendor))
	}
	if sv := serviceFor(d, f); sv != nil {
		for _, e := range sv.Trace {
			arrow := "<- "
			if e.Dir == "send" {
				arrow = "-> "
			}
			fv.Trace = append(fv.Trace, arrow+multi(e.Data))
		}
	}
	return fv
}

func findingBase(p *i18n.Printer, f finding.Finding) findingView {
	fv := findingView{
		ID: one(f.ID), Severity: sevName(p, f.Severity), SevClass: f.Severity.String(),
		Checkpoint: checkName(p, f.Checkpoint), Title: one(pick(p, f.Title)),
		StepsHeading: p.T(i18n.Remediation),
	}
	if f.Port != 0 {
		fv.Where = fmt.Sprintf("%d/%s", f.Port, one(f.Protocol))
	}
	for line := range strings.SplitSeq(pick(p, f.Remediation), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			fv.Steps = append(fv.Steps, one(line))
		}
	}
	keys := make([]string, 0, len(f.Evidence))
	for k := range f.Evidence {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if k == "snapshot" {
			fv.Snapshot = f.Evidence[k]
		}
		fv.Evidence = append(fv.Evidence, [2]string{one(p.EvidenceLabel(k)), multi(f.Evidence[k])})
	}
	return fv
}

// serviceFor finds the service a finding is about: same port and
// protocol, else the first service on that port.
func serviceFor(d Device, f finding.Finding) *probe.Service {
	if f.Port == 0 {
		return nil
	}
	var byPort *probe.Service
	for i := range d.Services {
		sv := &d.Services[i]
		if sv.Port != f.Port {
			continue
		}
		if sv.Protocol == f.Protocol {
			return sv
		}
		if byPort == nil {
			byPort = sv
		}
	}
	return byPort
}

func serviceName(sv probe.Service) string {
	s := fmt.Sprintf("%d/%s", sv.Port, sv.Protocol)
	if sv.Transport == "udp" {
		s = fmt.Sprintf("%d/udp/%s", sv.Port, sv.Protocol)
	}
	return s
}

// one makes document text safe for one line of any report.
func one(s string) string { return termsafe.Line(s) }

// multi makes document text safe where lines are kept (traces,
// evidence), with CRLF line ends read as newlines.
func multi(s string) string { return termsafe.Text(strings.ReplaceAll(s, "\r\n", "\n")) }

func pick(p *i18n.Printer, t finding.Text) string {
	if p.Lang() == i18n.JA && t.JA != "" {
		return t.JA
	}
	if t.EN == "" {
		return t.JA
	}
	return t.EN
}

func orUnknown(p *i18n.Printer, s string) string {
	if s == "" {
		return p.T(i18n.Unknown)
	}
	return s
}

func sevName(p *i18n.Printer, s finding.Severity) string {
	return p.T(i18n.Key("severity." + s.String()))
}

func typeName(p *i18n.Printer, t string) string {
	switch t {
	case "camera", "nvr", "router", "other":
		return p.T(i18n.Key("type." + t))
	}
	return p.T(i18n.Unknown)
}

func checkName(p *i18n.Printer, cp finding.Checkpoint) string {
	return p.T(i18n.Key(fmt.Sprintf("check.%d", cp)))
}

func checkShort(p *i18n.Printer, cp finding.Checkpoint) string {
	return p.T(i18n.Key(fmt.Sprintf("check.%d.short", cp)))
}

// Printer returns the view's message printer (for templates).
func (v *view) Printer() *i18n.Printer { return v.p }
