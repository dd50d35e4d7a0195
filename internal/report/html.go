package report

import (
	"bytes"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"

	"github.com/camwarden/camwarden/internal/i18n"
)

//go:embed templates/report.html.tmpl
var templateFS embed.FS

// maxSnapshot caps the size of a snapshot embedded in the HTML report.
const maxSnapshot = 2 << 20

// HTMLOptions tune the standalone HTML report.
type HTMLOptions struct {
	Lang i18n.Lang // "" is English
	// Files holds the evidence files named by relative paths in the
	// findings (e.g. the "snapshot" JPEG), usually os.DirFS of the
	// directory of scan.json; nil embeds no images.
	Files fs.FS
}

// htmlPage is what the template sees.
type htmlPage struct {
	*view
	Palette   template.CSS
	Chart     chart
	Snapshots map[string]snapshot
}

type snapshot struct {
	URI     template.URL // data: URI, empty when the file is unavailable
	Alt     string
	Missing string
}

// WriteHTML writes one standalone HTML file: inline CSS and SVG, images
// as data: URIs, no script and no external request.
func WriteHTML(w io.Writer, s *Scan, opt HTMLOptions) error {
	tmpl, err := template.New("report.html.tmpl").Funcs(template.FuncMap{
		"t":   func(p *i18n.Printer, key string) string { return p.T(i18n.Key(key)) },
		"add": func(a, b int) int { return a + b },
	}).ParseFS(templateFS, "templates/report.html.tmpl")
	if err != nil {
		return fmt.Errorf("parse html template: %w", err)
	}
	v := buildView(s, opt.Lang)
	page := htmlPage{view: v, Palette: paletteCSS(), Chart: buildChart(v.p, s), Snapshots: map[string]snapshot{}}
	for _, d := range v.Devices {
		for _, f := range d.Findings {
			if f.Snapshot != "" {
				page.Snapshots[f.Snapshot] = loadSnapshot(v, opt.Files, f.Snapshot, d.Address)
			}
		}
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, page); err != nil {
		return fmt.Errorf("render html report: %w", err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

// loadSnapshot reads a JPEG evidence file (at most maxSnapshot bytes,
// JPEG magic checked) into a data: URI.
func loadSnapshot(v *view, files fs.FS, path, addr string) snapshot {
	sn := snapshot{Alt: v.p.F(i18n.SnapshotAlt, addr), Missing: v.p.F(i18n.SnapshotMissing, one(path))}
	data, err := readCapped(files, path)
	if err != nil || !bytes.HasPrefix(data, []byte{0xff, 0xd8, 0xff}) {
		return sn
	}
	sn.URI = template.URL("data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(data))
	return sn
}

func readCapped(files fs.FS, path string) ([]byte, error) {
	if files == nil || !fs.ValidPath(path) {
		return nil, fs.ErrNotExist
	}
	f, err := files.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSnapshot+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxSnapshot {
		return nil, errors.New("snapshot too large")
	}
	return data, nil
}
