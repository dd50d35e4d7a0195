package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/probe"
)

// TableOptions tune the terminal table.
type TableOptions struct {
	Color bool      // ANSI colours (only when writing to a terminal)
	Lang  i18n.Lang // "" is English
}

// WriteTable writes one line per device with its scorecard (✓ pass,
// ✗ fail, ? could not check per checkpoint), then the findings per device.
func WriteTable(w io.Writer, s *Scan, opt TableOptions) error {
	v := buildView(s, opt.Lang)
	p := v.p
	rows := [][]string{{
		p.T(i18n.Address), p.T(i18n.Type), p.T(i18n.Vendor), p.T(i18n.Model), p.T(i18n.Firmware),
		p.T(i18n.Services), p.T(i18n.TableChecks), p.T(i18n.TableFindings),
	}}
	if opt.Lang != i18n.JA {
		for i := range rows[0] {
			rows[0][i] = strings.ToUpper(rows[0][i])
		}
	}
	for i, d := range s.Devices {
		rows = append(rows, []string{
			d.Address.String(), dash(termSafe(typeCell(d.Type, v.Devices[i].Type))), dash(termSafe(d.Vendor)),
			dash(termSafe(d.Model)), dash(termSafe(d.Firmware)), termSafe(ServiceList(d.Services)), scoreCell(v.Devices[i].Checks, opt.Color),
			findingSummary(p, s.ProblemsFor(d.Address), opt.Color),
		})
	}
	var b strings.Builder
	writeAligned(&b, rows)
	for _, d := range v.Devices {
		if len(d.Findings) == 0 && d.Status == "" {
			continue
		}
		fmt.Fprintf(&b, "\n%s\n", termSafe(d.Heading))
		if d.Status != "" {
			fmt.Fprintf(&b, "  ! %s\n", termSafe(d.Status))
		}
		for _, f := range d.Findings {
			where := ""
			if f.Where != "" {
				where = " (" + f.Where + ")"
			}
			label := f.Severity
			pad := strings.Repeat(" ", max(0, 9-displayWidth(label)))
			if opt.Color {
				label = sevColor(f.SevClass) + label + "\x1b[0m"
			}
			fmt.Fprintf(&b, "  %s%s%-22s %s%s\n", label, pad, termSafe(f.ID), termSafe(f.Title), termSafe(where))
		}
	}
	fmt.Fprintf(&b, "\n%s\n", termSafe(p.F(i18n.TableSummary, len(s.Devices), v.Findings, s.Scope, v.Duration)))
	fmt.Fprintf(&b, "%s\n", p.T(i18n.Legend))
	if s.Interrupted {
		fmt.Fprintln(&b, p.T(i18n.Interrupted))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write table: %w", err)
	}
	return nil
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

// writeAligned pads columns by display width: East Asian wide
// characters take two cells, ANSI colour sequences none.
func writeAligned(b *strings.Builder, rows [][]string) {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	for _, r := range rows {
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		b.WriteByte('\n')
	}
}

func displayWidth(s string) int {
	n, esc := 0, false
	for _, r := range s {
		switch {
		case esc:
			esc = r != 'm'
		case r == '\x1b':
			esc = true
		case wide(r):
			n += 2
		default:
			n++
		}
	}
	return n
}

func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff01 && r <= 0xff60)
}

// ServiceList renders services compactly: "80/http 554/rtsp 161/udp/snmp".
func ServiceList(svcs []probe.Service) string {
	parts := make([]string, 0, len(svcs))
	for _, sv := range svcs {
		parts = append(parts, serviceName(sv))
	}
	return strings.Join(parts, " ")
}

// termSafe replaces control characters (escape sequences a device could
// plant in its model name) so they cannot drive the terminal.
func termSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
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
	label := sevName(p, worst)
	if color {
		label = sevColor(worst.String()) + label + "\x1b[0m"
	}
	return p.F(i18n.TableWorst, len(fs), label)
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
