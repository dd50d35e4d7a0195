package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/camwarden/camwarden/internal/i18n"
)

// WriteMarkdown writes the report as CommonMark: a summary, the advice
// for every device, then a section per device with its scorecard and
// findings. Text from devices is escaped so it cannot inject markup.
func WriteMarkdown(w io.Writer, s *Scan, lang i18n.Lang) error {
	v := buildView(s, lang)
	p := v.p
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n%s\n\n", p.T(i18n.ReportTitle), p.T(i18n.ReportIntro))
	fmt.Fprintf(&b, "## %s\n\n", p.T(i18n.Summary))
	for _, kv := range [][2]string{
		{p.T(i18n.Scope), v.Scope}, {p.T(i18n.Started), v.Started}, {p.T(i18n.Finished), v.Finished},
		{p.T(i18n.Duration), v.Duration}, {p.T(i18n.CatalogDate), v.CatalogDate},
		{p.T(i18n.ToolVersion), v.Version},
		{p.T(i18n.DevicesCount), fmt.Sprint(len(v.Devices))}, {p.T(i18n.FindingsCount), fmt.Sprint(v.Findings)},
	} {
		fmt.Fprintf(&b, "- **%s**: %s\n", kv[0], mdEscape(kv[1]))
	}
	for _, sc := range v.BySeverity {
		fmt.Fprintf(&b, "- %s: %d\n", sc.Name, sc.N)
	}
	if v.Interrupted {
		fmt.Fprintf(&b, "\n> %s\n", p.T(i18n.Interrupted))
	}
	fmt.Fprintf(&b, "\n| %s | %s | %s | %s |\n|---|:-:|:-:|:-:|\n",
		p.T(i18n.DevicesCount), p.T(i18n.Check1), p.T(i18n.Check2), p.T(i18n.Check3))
	for _, d := range v.Devices {
		fmt.Fprintf(&b, "| [%s](#%s) |", mdEscape(d.Heading), d.Anchor)
		for _, c := range d.Checks {
			fmt.Fprintf(&b, " %s %s |", c.Symbol, c.Verdict)
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "\n%s\n\n## %s\n\n", p.T(i18n.Legend), p.T(i18n.AdviceHeading))
	for i, k := range []i18n.Key{i18n.AdvicePassword, i18n.AdviceFirmware, i18n.AdviceFunctions} {
		fmt.Fprintf(&b, "%d. %s\n", i+1, p.T(k))
	}
	fmt.Fprintf(&b, "\n## %s\n", p.T(i18n.DevicesHeading))
	if len(v.Devices) == 0 {
		fmt.Fprintf(&b, "\n%s\n", p.T(i18n.NoDevices))
	}
	for _, d := range v.Devices {
		writeMarkdownDevice(&b, p, d)
	}
	fmt.Fprintf(&b, "\n---\n\n%s\n", p.F(i18n.Footer, mdEscape(v.Version)))
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write markdown report: %w", err)
	}
	return nil
}

func writeMarkdownDevice(b *strings.Builder, p *i18n.Printer, d deviceView) {
	fmt.Fprintf(b, "\n<a id=\"%s\"></a>\n\n### %s\n\n", d.Anchor, mdEscape(d.Heading))
	services := p.T(i18n.None)
	if len(d.Services) > 0 {
		services = strings.Join(d.Services, " ")
	}
	for _, kv := range [][2]string{
		{p.T(i18n.Address), d.Address}, {p.T(i18n.Hostname), d.Hostname}, {p.T(i18n.Type), d.Type},
		{p.T(i18n.Vendor), d.Vendor}, {p.T(i18n.Model), d.Model}, {p.T(i18n.Firmware), d.Firmware},
		{p.T(i18n.Services), services}, {p.T(i18n.DeviceStatus), d.Status},
	} {
		if kv[1] != "" {
			fmt.Fprintf(b, "- **%s**: %s\n", kv[0], mdEscape(kv[1]))
		}
	}
	fmt.Fprintf(b, "\n#### %s\n\n| %s | %s | %s |\n|---|---|---|\n",
		p.T(i18n.ScorecardHead), p.T(i18n.Checkpoint), p.T(i18n.Verdict), p.T(i18n.Reason))
	for _, c := range d.Checks {
		fmt.Fprintf(b, "| %s | %s %s | %s |\n", c.Name, c.Symbol, c.Verdict, mdEscape(c.Reason))
	}
	fmt.Fprintf(b, "\n#### %s\n\n", p.T(i18n.FindingsHeading))
	if len(d.Findings) == 0 {
		fmt.Fprintf(b, "%s\n", p.T(i18n.NoFindings))
	}
	for _, f := range d.Findings {
		where := ""
		if f.Where != "" {
			where = " · " + f.Where
		}
		fmt.Fprintf(b, "##### %s\n\n**%s** · %s · %s%s\n\n", mdEscape(f.Title), mdEscape(f.Severity), mdCode(f.ID), mdEscape(f.Checkpoint), mdEscape(where))
		if len(f.Steps) > 0 {
			fmt.Fprintf(b, "%s:\n\n", mdEscape(f.StepsHeading))
			for i, st := range f.Steps {
				fmt.Fprintf(b, "%d. %s\n", i+1, mdEscape(st))
			}
			b.WriteByte('\n')
		}
		if len(f.Evidence) > 0 {
			fmt.Fprintf(b, "%s:\n\n", p.T(i18n.Evidence))
			for _, kv := range f.Evidence {
				fmt.Fprintf(b, "- %s: %s\n", mdEscape(kv[0]), mdEscape(kv[1]))
			}
			b.WriteByte('\n')
		}
	}
}

// mdCode renders a finding ID as a code span when it has the shape of
// one (capitals, digits, hyphens); anything else from a saved scan is
// escaped text instead, since backslash escapes do not work inside a
// code span and a backtick would close it.
func mdCode(s string) string {
	if s != "" && strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == "" {
		return "`" + s + "`"
	}
	return mdEscape(s)
}

// mdEscape backslash-escapes the characters that could start markup, a
// link or a table cell break, and flattens newlines.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '!', '(', ')', '{', '}', '~', '&':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n', '\r':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
