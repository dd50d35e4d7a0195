package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/termsafe"
)

// fixFirstMax is how many actions "Fix these first" lists.
const fixFirstMax = 5

// fixGroup is one problem (same ID and title) on one or more devices.
type fixGroup struct {
	sev   finding.Severity
	view  findingView
	where []string // "127.77.0.2 (80/http)"
	hosts []string // "127.77.0.2"
}

// writeFixFirst ends the table with the few problems to fix first: the
// weaknesses (severity low and above; notes and "could not check" are
// not actions) grouped by problem, worst and most widespread first, each
// with the devices it is on and the first step of what to do.
func writeFixFirst(b *strings.Builder, p *i18n.Printer, s *Scan, opt TableOptions) {
	groups := map[string]*fixGroup{}
	var keys []string
	devs := map[string]Device{}
	for _, d := range s.Devices {
		devs[d.Address.String()] = d
	}
	for _, f := range s.Problems() {
		if f.Severity < finding.SevLow || finding.Inconclusive(f.ID) {
			continue
		}
		fv := buildFinding(p, devs[f.Address.String()], f)
		key := f.ID + "\x00" + fv.Title
		g := groups[key]
		if g == nil {
			g = &fixGroup{sev: f.Severity, view: fv}
			groups[key] = g
			keys = append(keys, key)
		}
		g.sev = max(g.sev, f.Severity)
		where := f.Address.String()
		if fv.Where != "" {
			where += " (" + fv.Where + ")"
		}
		if !slices.Contains(g.where, where) {
			g.where = append(g.where, where)
		}
		if !slices.Contains(g.hosts, f.Address.String()) {
			g.hosts = append(g.hosts, f.Address.String())
		}
	}
	if len(s.Devices) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s\n", p.T(i18n.TableFixFirst))
	if len(keys) == 0 {
		fmt.Fprintf(b, "  %s\n", p.T(i18n.TableNothingToFix))
		return
	}
	slices.SortStableFunc(keys, func(a, c string) int {
		ga, gc := groups[a], groups[c]
		return cmp.Or(cmp.Compare(gc.sev, ga.sev), cmp.Compare(len(gc.hosts), len(ga.hosts)), strings.Compare(a, c))
	})
	for i, k := range keys[:min(len(keys), fixFirstMax)] {
		g := groups[k]
		// One device: where on it; several: which devices, the first few.
		where := strings.Join(g.where, ", ")
		if len(g.hosts) > 1 {
			where = strings.Join(g.hosts[:min(len(g.hosts), 2)], ", ")
			if n := len(g.hosts) - 2; n > 0 {
				where += p.F(i18n.TableMoreHosts, n)
			}
		}
		line := fmt.Sprintf("%d. %s %s — %s", i+1, pad(sevName(p, g.sev), 8), termsafe.Line(g.view.Title), termsafe.Line(where))
		fmt.Fprintf(b, "  %s\n", colourFirstSeverity(fit(line, opt.Wide, TableWidth-2), sevName(p, g.sev), g.sev, opt.Color))
		if len(g.view.Steps) > 0 {
			fmt.Fprintf(b, "     → %s\n", fit(termsafe.Line(g.view.Steps[0]), opt.Wide, TableWidth-7))
		}
	}
}

// colourFirstSeverity colours the severity word of a fix-first line.
func colourFirstSeverity(line, word string, sev finding.Severity, color bool) string {
	if !color {
		return line
	}
	return strings.Replace(line, word, sevLabel(word, sev.String(), true), 1)
}
