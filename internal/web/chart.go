package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/store/servedb"
)

// chart is the overview's trend of open findings as inline SVG data:
// after each finished audit, the sum over sites of each site's latest
// count.
type chart struct {
	Label         string
	Empty         bool
	Points        string // polyline points in the 600x160 viewBox
	Dots          []dot
	Max           int
	First, Last   string
	LastValue     int
	Width, Height int
	BaseY         int
}

type dot struct {
	X, Y  int
	Title string
}

func buildChart(points []servedb.TrendPoint, label string) chart {
	c := chart{Label: label, Width: 600, Height: 160, BaseY: 150}
	if len(points) == 0 {
		c.Empty = true
		return c
	}
	latest := map[string]int{}
	type sample struct {
		at    time.Time
		total int
	}
	var series []sample
	for _, p := range points {
		latest[p.Site] = p.Findings
		total := 0
		for _, n := range latest {
			total += n
		}
		series = append(series, sample{p.At, total})
	}
	for _, s := range series {
		c.Max = max(c.Max, s.total)
	}
	span := series[len(series)-1].at.Sub(series[0].at)
	var b strings.Builder
	for i, s := range series {
		x := 10
		if span > 0 {
			x = 10 + int(float64(580)*float64(s.at.Sub(series[0].at))/float64(span))
		} else if len(series) > 1 {
			x = 10 + 580*i/(len(series)-1)
		}
		y := c.BaseY
		if c.Max > 0 {
			y = c.BaseY - s.total*130/c.Max
		}
		fmt.Fprintf(&b, "%d,%d ", x, y)
		c.Dots = append(c.Dots, dot{X: x, Y: y, Title: fmt.Sprintf("%s: %d", fmtTime(s.at), s.total)})
	}
	if len(c.Dots) > 200 { // keep the page light: dots only for the latest 200
		c.Dots = c.Dots[len(c.Dots)-200:]
	}
	c.Points = strings.TrimSpace(b.String())
	c.First, c.Last = fmtTime(series[0].at), fmtTime(series[len(series)-1].at)
	c.LastValue = series[len(series)-1].total
	return c
}
