package report

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
)

// chart is a horizontal stacked bar chart of findings per checkpoint,
// one segment per severity, drawn as inline SVG.
type chart struct {
	Title, Desc   string
	Width, Height int
	Rows          []chartRow
	Legend        []chartKey
}

type chartRow struct {
	Label    string
	Y, TextY int
	Top      int // y of the bar
	Total    int
	TotalX   int
	Segments []chartSegment
}

type chartSegment struct {
	X, W  int
	Class string
	Title string
}

type chartKey struct {
	X, Y  int
	Class string
	Label string
}

// Chart geometry, in SVG user units.
const (
	chartLabelW = 190
	chartBarW   = 380
	chartRowH   = 34
	chartTop    = 10
)

func buildChart(p *i18n.Printer, s *Scan) chart {
	counts := map[finding.Checkpoint]map[finding.Severity]int{}
	most := 1
	for _, cp := range Checkpoints() {
		counts[cp] = map[finding.Severity]int{}
	}
	for _, f := range s.Problems() {
		if counts[f.Checkpoint] != nil {
			counts[f.Checkpoint][f.Severity]++
		}
	}
	for _, cp := range Checkpoints() {
		n := 0
		for _, c := range counts[cp] {
			n += c
		}
		most = max(most, n)
	}
	c := chart{Title: p.T(i18n.ChartTitle), Desc: p.F(i18n.ChartDesc, len(s.Problems())), Width: chartLabelW + chartBarW + 50}
	for i, cp := range Checkpoints() {
		y := chartTop + i*chartRowH
		row := chartRow{Label: checkName(p, cp), Y: y, Top: y + 2, TextY: y + 18}
		x := chartLabelW
		for sev := finding.SevCritical; sev >= finding.SevInfo; sev-- {
			n := counts[cp][sev]
			if n == 0 {
				continue
			}
			w := n * chartBarW / most
			row.Segments = append(row.Segments, chartSegment{X: x, W: max(w, 2), Class: "sev-" + sev.String(),
				Title: fmt.Sprintf("%s: %d", sevName(p, sev), n)})
			x += w
			row.Total += n
		}
		row.TotalX = x + 6
		c.Rows = append(c.Rows, row)
	}
	ky := chartTop + len(c.Rows)*chartRowH + 8
	x := 0
	for sev := finding.SevCritical; sev >= finding.SevInfo; sev-- {
		label := sevName(p, sev)
		c.Legend = append(c.Legend, chartKey{X: x, Y: ky, Class: "sev-" + sev.String(), Label: label})
		x += 22 + 9*displayWidth(label) + 16
	}
	c.Height = ky + 24
	return c
}

// colour is one named colour of the report's palette.
type colour struct{ Name, Hex string }

// palette lists the report's colours. Text colours are chosen for WCAG AA
// (contrast 4.5:1 or more) against the backgrounds they are used on;
// report_contrast_test.go checks every pair.
func palette() []colour {
	return []colour{
		{"text", "#1a1a1a"}, {"muted", "#4a4f57"}, {"bg", "#ffffff"}, {"card", "#f5f6f8"},
		{"border", "#c9ced6"}, {"link", "#1d4ed8"}, {"code-bg", "#eceef1"},
		{"sev-critical", "#7f1d1d"}, {"sev-high", "#b91c1c"}, {"sev-medium", "#92400e"},
		{"sev-low", "#1e40af"}, {"sev-info", "#4b5563"},
		{"pass", "#166534"}, {"fail", "#b91c1c"}, {"could-not-check", "#854d0e"},
	}
}

func paletteCSS() template.CSS {
	var b strings.Builder
	b.WriteString(":root{")
	for _, c := range palette() {
		fmt.Fprintf(&b, "--%s:%s;", c.Name, c.Hex)
	}
	b.WriteString("}")
	return template.CSS(b.String())
}
