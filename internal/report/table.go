package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/termsafe"
)

// TableWidth is the width the table fits by default, in terminal cells.
const TableWidth = 100

// TableOptions tune the terminal table.
type TableOptions struct {
	Color bool      // ANSI colours (only when writing to a terminal)
	Lang  i18n.Lang // "" is English
	// Wide shows every column (type, vendor, model, firmware, services)
	// and full finding titles; otherwise the table fits TableWidth.
	Wide bool
}

// WriteTable writes one line per device with its scorecard (✓ pass,
// ✗ fail, ? could not check per checkpoint), worst devices first, then
// the findings per device, what to fix first and the counts per severity.
// Every string from a device goes through termsafe; columns are aligned
// by display width, so Japanese text lines up.
func WriteTable(w io.Writer, s *Scan, opt TableOptions) error {
	v := buildView(s, opt.Lang)
	p := v.p
	order := tableOrder(s)
	var b strings.Builder
	writeAligned(&b, tableRows(s, v, order, opt), opt.Wide)
	for _, i := range order {
		d := v.Devices[i]
		if len(d.Findings) == 0 && d.Status == "" {
			continue
		}
		fmt.Fprintf(&b, "\n%s\n", fit(termsafe.Line(d.Heading), opt.Wide, TableWidth))
		if d.Status != "" {
			fmt.Fprintf(&b, "  ! %s\n", fit(termsafe.Line(d.Status), opt.Wide, TableWidth-4))
		}
		for _, f := range d.Findings {
			writeFindingLine(&b, f, opt)
		}
	}
	writeFixFirst(&b, p, s, opt)
	if len(v.BySeverity) > 0 {
		parts := make([]string, len(v.BySeverity))
		for i, c := range v.BySeverity {
			parts[i] = sevLabel(c.Name, c.Class, opt.Color) + " " + strconv.Itoa(c.N)
		}
		fmt.Fprintf(&b, "\n%s\n", p.F(i18n.TableBySeverity, strings.Join(parts, ", ")))
	}
	fmt.Fprintf(&b, "\n%s\n", termsafe.Line(p.F(i18n.TableSummary, len(s.Devices), v.Findings, s.Scope, v.Duration)))
	legend := p.T(i18n.Legend)
	if !opt.Wide {
		legend += "  " + p.T(i18n.TableWideHint)
	}
	fmt.Fprintf(&b, "%s\n", legend)
	if s.Interrupted {
		fmt.Fprintln(&b, p.T(i18n.Interrupted))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write table: %w", err)
	}
	return nil
}

// tableRows builds the header and one row per device, in order.
func tableRows(s *Scan, v *view, order []int, opt TableOptions) [][]string {
	p := v.p
	head := []string{p.T(i18n.Address), p.T(i18n.TableDevice), p.T(i18n.TableChecks), p.T(i18n.TableFindings)}
	if opt.Wide {
		head = []string{p.T(i18n.Address), p.T(i18n.Type), p.T(i18n.Vendor), p.T(i18n.Model), p.T(i18n.Firmware),
			p.T(i18n.Services), p.T(i18n.TableChecks), p.T(i18n.TableFindings)}
	}
	if opt.Lang != i18n.JA {
		for i := range head {
			head[i] = strings.ToUpper(head[i])
		}
	}
	rows := [][]string{head}
	for _, i := range order {
		d, dv := s.Devices[i], v.Devices[i]
		checks := scoreCell(dv.Checks, opt.Color)
		worst := findingSummary(p, s.ProblemsFor(d.Address), opt.Color)
		if opt.Wide {
			rows = append(rows, []string{d.Address.String(), dash(termsafe.Line(typeCell(d.Type, dv.Type))),
				dash(termsafe.Line(d.Vendor)), dash(termsafe.Line(d.Model)), dash(termsafe.Line(d.Firmware)),
				termsafe.Line(ServiceList(d.Services)), checks, worst})
			continue
		}
		rows = append(rows, []string{d.Address.String(), deviceCell(d, dv), checks, worst})
	}
	return rows
}

// deviceCell names a device in one cell: vendor, model and firmware as
// far as they are known, else its type.
func deviceCell(d Device, dv deviceView) string {
	name := strings.TrimSpace(d.Vendor + " " + d.Model)
	if name == "" {
		name = typeCell(d.Type, dv.Type)
	}
	if d.Firmware != "" {
		name = strings.TrimSpace(name + " " + d.Firmware)
	}
	return dash(termsafe.Line(name))
}

// tableOrder sorts devices worst first: by their worst problem, then the
// number of failed checkpoints, then the number that could not be
// checked, then by address.
func tableOrder(s *Scan) []int {
	type rank struct {
		worst        finding.Severity
		fails, maybe int
	}
	ranks := make([]rank, len(s.Devices))
	for i, d := range s.Devices {
		r := rank{worst: -1}
		for _, f := range s.ProblemsFor(d.Address) {
			r.worst = max(r.worst, f.Severity)
		}
		for _, c := range d.Scorecard {
			switch c.Verdict {
			case VerdictFail:
				r.fails++
			case VerdictUnknown:
				r.maybe++
			}
		}
		ranks[i] = r
	}
	order := make([]int, len(s.Devices))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ra, rb := ranks[a], ranks[b]
		return cmp.Or(cmp.Compare(rb.worst, ra.worst), cmp.Compare(rb.fails, ra.fails),
			cmp.Compare(rb.maybe, ra.maybe), s.Devices[a].Address.Compare(s.Devices[b].Address))
	})
	return order
}

// writeFindingLine writes "  critical AUTH-DEFAULT-HTTP  title (80/http)",
// cut to the table width unless wide.
func writeFindingLine(b *strings.Builder, f findingView, opt TableOptions) {
	where := ""
	if f.Where != "" {
		where = " (" + termsafe.Line(f.Where) + ")"
	}
	id := termsafe.Line(f.ID)
	lead := 2 + 9 + max(22, displayWidth(id)) + 1
	title := fit(termsafe.Line(f.Title)+where, opt.Wide, TableWidth-lead)
	fmt.Fprintf(b, "  %s%s %s\n", sevLabel(pad(f.Severity, 9), f.SevClass, opt.Color), pad(id, 22), title)
}

// sevLabel colours a severity word when colour is on.
func sevLabel(label, class string, color bool) string {
	if !color {
		return label
	}
	return sevColor(class) + label + "\x1b[0m"
}

// fit truncates s to w cells unless wide.
func fit(s string, wide bool, w int) string {
	if wide {
		return s
	}
	return truncate(s, w)
}

// scoreCell renders a scorecard as "1✗ 2? 3✓".
func scoreCell(checks []checkView, color bool) string {
	parts := make([]string, 0, len(checks))
	for i, c := range checks {
		sym := c.Symbol
		if color {
			sym = verdictColor(c.Class) + sym + "\x1b[0m"
		}
		parts = append(parts, strconv.Itoa(i+1)+sym)
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, " ")
}

// writeAligned pads columns by display width. Unless wide, the second
// column (the device) is cut so that a row fits TableWidth.
func writeAligned(b *strings.Builder, rows [][]string, wide bool) {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	if !wide && len(widths) > 1 {
		others := 2 * (len(widths) - 1)
		for i, w := range widths {
			if i != 1 {
				others += w
			}
		}
		widths[1] = max(displayWidth(rows[0][1]), min(widths[1], TableWidth-others))
	}
	for _, r := range rows {
		for i, c := range r {
			if i == 1 && !wide {
				c = truncate(c, widths[1])
			}
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", max(0, widths[i]-displayWidth(c))+2))
			}
		}
		b.WriteByte('\n')
	}
}

// ServiceList renders services compactly: "80/http 554/rtsp 161/udp/snmp".
func ServiceList(svcs []probe.Service) string {
	parts := make([]string, 0, len(svcs))
	for _, sv := range svcs {
		parts = append(parts, serviceName(sv))
	}
	return strings.Join(parts, " ")
}

// typeCell is the localised type, or "" when the type is unknown.
func typeCell(raw, localised string) string {
	if raw == "" {
		return ""
	}
	return localised
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func findingSummary(p *i18n.Printer, fs []finding.Finding, color bool) string {
	if len(fs) == 0 {
		return "-"
	}
	worst := fs[0].Severity
	for _, f := range fs {
		worst = max(worst, f.Severity)
	}
	return p.F(i18n.TableWorst, len(fs), sevLabel(sevName(p, worst), worst.String(), color))
}

func sevColor(class string) string {
	switch class {
	case "critical":
		return "\x1b[1;31m"
	case "high":
		return "\x1b[31m"
	case "medium":
		return "\x1b[33m"
	case "low":
		return "\x1b[36m"
	}
	return "\x1b[2m"
}

func verdictColor(class string) string {
	switch class {
	case string(VerdictPass):
		return "\x1b[32m"
	case string(VerdictFail):
		return "\x1b[1;31m"
	}
	return "\x1b[33m"
}
