// Command gen derives internal/catalog/rtsproutes/data/routes.json from the
// RTSP route dictionaries in ../shared/data, the hand-curated vendor routes
// of gen/vendors.json and the vendor platforms of the fingerprint
// catalogue:
//
//	go run ./internal/catalog/rtsproutes/gen -data ../shared/data \
//	    -curated internal/catalog/rtsproutes/gen/vendors.json \
//	    -vendors internal/catalog/fingerprint/data/vendors.json \
//	    -out internal/catalog/rtsproutes/data/routes.json
//
// Inputs and what is taken: cameradar's routes (MIT) are copied with a
// file:line citation; rtspbrute's routes.txt (GPL-3.0) and nmap's
// rtsp-urls.txt (NPSL) give facts only (the path strings), marked
// "(facts)". Paths are normalised (leading slash, no trailing slash, no
// white space or control bytes) and de-duplicated; a path with "@" (a host
// or credentials inside the path) is dropped. Routes are written most
// common first: by the number of vendors known to use them, then by the
// number of dictionaries that list them, then by first appearance.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Schema is the data file's format name (routes.go checks it).
const Schema = "camwarden.rtsproutes/1"

// dictionary is one public route list.
type dictionary struct {
	name, rel string
	facts     bool // licence allows facts only
	root      bool // an empty line means "/"
}

var dictionaries = []dictionary{
	{name: "cameradar", rel: "cameradar/routes", root: true},
	{name: "rtspbrute", rel: "rtspbrute/routes.txt", facts: true},
	{name: "nmap", rel: "nmap/rtsp-urls.txt", facts: true},
}

var dictionaryNotes = map[string]string{
	"cameradar": "cameradar/routes: Ullaakut/cameradar@a14afcad internal/dict/assets/routes (MIT), copied",
	"rtspbrute": "rtspbrute/routes.txt: zorrobyte/rtspbrute@a87cf8ce (GPL-3.0), path strings as facts only",
	"nmap":      "nmap/rtsp-urls.txt: nmap/nmap@db4aefdd nselib/data (NPSL), path strings as facts only",
	"camio":     "camio: CamioCam/rtsp@a33e45a9 cameras/paths.csv (no licence), vendor/path pairs as facts only, each row citing the vendor's manual",
	"capture":   "capture: a real device answer in ../shared/data (see its SOURCES.md)",
	"doc":       "doc: a vendor document or support page, stated, not copied",
	"issue":     "issue: a public issue thread showing the path on the vendor's device",
}

type curatedRoute struct {
	Path    string   `json:"path"`
	Sources []string `json:"sources"`
}

type curated struct {
	Comment      string            `json:"_comment"`
	Uncatalogued map[string]string `json:"uncatalogued"`
	Vendors      []struct {
		Vendor string         `json:"vendor"`
		Routes []curatedRoute `json:"routes"`
	} `json:"vendors"`
}

// route is one path being assembled.
type route struct {
	Path         string   `json:"path"`
	Vendors      []string `json:"vendors,omitempty"`
	Dictionaries []string `json:"dictionaries,omitempty"`
	Sources      []string `json:"sources"`
	first        int
}

type builder struct {
	byPath map[string]*route
	order  int
}

func (b *builder) add(path string) *route {
	r, ok := b.byPath[path]
	if !ok {
		b.order++
		r = &route{Path: path, first: b.order}
		b.byPath[path] = r
	}
	return r
}

// normalise returns the canonical form of a dictionary line, or false for
// a line that is no route.
func normalise(line string, root bool) (string, bool) {
	p := strings.TrimSpace(line)
	switch {
	case p == "" && root:
		return "/", true
	case p == "", strings.HasPrefix(p, "#"):
		return "", false
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	for len(p) > 1 && strings.HasSuffix(p, "/") {
		p = strings.TrimSuffix(p, "/")
	}
	if len(p) > 256 || strings.ContainsAny(p, "@#") {
		return "", false
	}
	for i := 0; i < len(p); i++ {
		if p[i] <= ' ' || p[i] >= 0x7f {
			return "", false
		}
	}
	return p, true
}

func (b *builder) readDictionary(data string, d dictionary) error {
	raw, err := os.ReadFile(filepath.Join(data, d.rel))
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
	for i, line := range lines {
		p, ok := normalise(line, d.root)
		if !ok {
			continue
		}
		r := b.add(p)
		if slices.Contains(r.Dictionaries, d.name) {
			continue // a repeated line of the same list
		}
		r.Dictionaries = append(r.Dictionaries, d.name)
		src := fmt.Sprintf("%s:%d", d.rel, i+1)
		if d.facts {
			src += " (facts)"
		}
		r.Sources = append(r.Sources, src)
	}
	return nil
}

func (b *builder) readCurated(c *curated) (map[string][]string, error) {
	vendors := map[string][]string{}
	for _, v := range c.Vendors {
		if v.Vendor == "" || len(v.Routes) == 0 {
			return nil, fmt.Errorf("curated vendor %q without routes", v.Vendor)
		}
		if _, dup := vendors[v.Vendor]; dup {
			return nil, fmt.Errorf("curated vendor %q twice", v.Vendor)
		}
		for _, cr := range v.Routes {
			p, ok := normalise(cr.Path, false)
			if !ok || p != cr.Path {
				return nil, fmt.Errorf("%s: route %q is not in normal form (%q)", v.Vendor, cr.Path, p)
			}
			if len(cr.Sources) == 0 {
				return nil, fmt.Errorf("%s %s: no source", v.Vendor, p)
			}
			r := b.add(p)
			if !slices.Contains(r.Vendors, v.Vendor) {
				r.Vendors = append(r.Vendors, v.Vendor)
			}
			for _, s := range cr.Sources {
				r.Sources = append(r.Sources, v.Vendor+": "+s)
			}
			vendors[v.Vendor] = append(vendors[v.Vendor], p)
		}
	}
	return vendors, nil
}

// platforms reads the resold-brand -> platform pairs of the fingerprint
// vendor catalogue (Amcrest -> Dahua).
func platforms(path string) (map[string]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f struct {
		Vendors []struct {
			Name     string `json:"name"`
			Platform string `json:"platform"`
		} `json:"vendors"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string]string{}
	for _, v := range f.Vendors {
		if v.Platform != "" {
			out[v.Name] = v.Platform
		}
	}
	return out, nil
}

func main() {
	data := flag.String("data", "../shared/data", "directory of the shared public data")
	cur := flag.String("curated", "internal/catalog/rtsproutes/gen/vendors.json", "hand-curated vendor routes")
	fpv := flag.String("vendors", "internal/catalog/fingerprint/data/vendors.json", "fingerprint vendor catalogue (platforms)")
	out := flag.String("out", "internal/catalog/rtsproutes/data/routes.json", "output file")
	flag.Parse()
	if err := run(*data, *cur, *fpv, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(data, curPath, fpVendors, out string) error {
	b := &builder{byPath: map[string]*route{}}
	for _, d := range dictionaries {
		if err := b.readDictionary(data, d); err != nil {
			return fmt.Errorf("dictionary %s: %w", d.name, err)
		}
	}
	raw, err := os.ReadFile(curPath)
	if err != nil {
		return err
	}
	var c curated
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return fmt.Errorf("%s: %w", curPath, err)
	}
	vendors, err := b.readCurated(&c)
	if err != nil {
		return err
	}
	plat, err := platforms(fpVendors)
	if err != nil {
		return err
	}
	routes := make([]*route, 0, len(b.byPath))
	for _, r := range b.byPath {
		routes = append(routes, r)
	}
	slices.SortFunc(routes, func(x, y *route) int {
		if d := len(y.Vendors) - len(x.Vendors); d != 0 {
			return d
		}
		if d := len(y.Dictionaries) - len(x.Dictionaries); d != 0 {
			return d
		}
		return x.first - y.first
	})
	return os.WriteFile(out, encode(routes, vendors, plat, c.Uncatalogued), 0o644)
}

// encode writes the file with one route per line, so diffs stay readable.
func encode(routes []*route, vendors map[string][]string, plat, uncatalogued map[string]string) []byte {
	var buf bytes.Buffer
	line := func(v any) string {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false) // keep "&" in routes readable
		if err := enc.Encode(v); err != nil {
			panic(err) // plain strings and slices always marshal
		}
		return strings.TrimSuffix(b.String(), "\n")
	}
	fmt.Fprintf(&buf, "{\n  \"schema\": %q,\n", Schema)
	fmt.Fprintf(&buf, "  \"_comment\": %s,\n", line("Generated by go run ./internal/catalog/rtsproutes/gen; do not edit. Routes are ordered most common first (vendors using them, then dictionaries listing them)."))
	fmt.Fprintf(&buf, "  \"sources\": %s,\n", line(dictionaryNotes))
	fmt.Fprintf(&buf, "  \"platforms\": %s,\n", line(plat))
	fmt.Fprintf(&buf, "  \"uncatalogued\": %s,\n", line(uncatalogued))
	buf.WriteString("  \"vendors\": {\n")
	names := make([]string, 0, len(vendors))
	for n := range vendors {
		names = append(names, n)
	}
	slices.Sort(names)
	for i, n := range names {
		fmt.Fprintf(&buf, "    %s: %s%s\n", line(n), line(vendors[n]), comma(i, len(names)))
	}
	buf.WriteString("  },\n  \"routes\": [\n")
	for i, r := range routes {
		fmt.Fprintf(&buf, "    %s%s\n", line(r), comma(i, len(routes)))
	}
	buf.WriteString("  ]\n}\n")
	return buf.Bytes()
}

func comma(i, n int) string {
	if i < n-1 {
		return ","
	}
	return ""
}
