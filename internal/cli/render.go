package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/report"
)

// reportFormats lists the formats renderFormat accepts, for flag help.
const reportFormats = "table, json, csv, md or html"

// renderFormat writes rep in format (table|json|csv|md|html) and lang
// (en|ja; "" picks the locale). Snapshots named by findings are looked up
// in the current directory; renderFormatDir names the directory of the
// saved scan instead.
func renderFormat(w io.Writer, rep *report.Scan, format, lang string, color bool) error {
	return renderFormatDir(w, rep, format, lang, color, "")
}

// renderFormatDir is renderFormat with the directory that holds the
// scan's evidence files (the directory of scan.json); "" means the
// current directory. `camwarden report DIR/scan.json` passes DIR, so the
// HTML it renders is byte-identical to DIR/report.html.
func renderFormatDir(w io.Writer, rep *report.Scan, format, lang string, color bool, dir string) error {
	return render(w, rep, renderOptions{format: format, lang: lang, color: color, dir: dir})
}

// renderOptions say how render writes a report.
type renderOptions struct {
	format, lang string
	color        bool   // ANSI colours in the table
	wide         bool   // every table column (--wide)
	dir          string // the directory of the scan's evidence files; "" is the current one
}

// render writes rep as o says.
func render(w io.Writer, rep *report.Scan, o renderOptions) error {
	format, dir := o.format, o.dir
	l, err := i18n.Choose(o.lang, os.Getenv)
	if err != nil {
		return usageError{fmt.Errorf("--lang: %w", err)}
	}
	if dir == "" {
		dir = "."
	}
	switch format {
	case "table", "":
		return report.WriteTable(w, rep, report.TableOptions{Color: o.color, Lang: l, Wide: o.wide})
	case "json":
		return report.WriteJSON(w, rep)
	case "csv":
		return report.WriteCSV(w, rep, l)
	case "md", "markdown":
		return report.WriteMarkdown(w, rep, l)
	case "html":
		return report.WriteHTML(w, rep, report.HTMLOptions{Lang: l, Files: os.DirFS(dir)})
	}
	return usagef("--format %q: want %s", format, reportFormats)
}

// reportSet names the files writeReportSet writes, in order.
func reportSet() []struct{ name, format string } {
	return []struct{ name, format string }{
		{"scan.json", "json"}, {"report.html", "html"}, {"findings.csv", "csv"}, {"report.md", "md"},
	}
}

// writeReportSet writes scan.json, report.html, findings.csv and
// report.md into dir (created if needed) and returns their paths. Each
// file is rendered in memory first, so a failed render leaves no
// half-written report behind.
func writeReportSet(dir string, rep *report.Scan, lang string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create report directory: %w", err)
	}
	var paths []string
	for _, f := range reportSet() {
		var b bytes.Buffer
		if err := renderFormatDir(&b, rep, f.format, lang, false, dir); err != nil {
			return paths, fmt.Errorf("render %s: %w", f.name, err)
		}
		path := filepath.Join(dir, f.name)
		if err := writeNoFollow(path, b.Bytes(), reportFileMode(rep)); err != nil {
			return paths, fmt.Errorf("write report: %w", err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// evidenceDir returns the directory evidence paths in a saved scan are
// relative to: the scan file's own directory.
func evidenceDir(scanPath string) string { return filepath.Dir(scanPath) }
