// Command gen derives internal/catalog/firmware/firmware.json from the
// public data in ../shared/data and the hand-curated gen/overlay.json and
// gen/curated.json:
//
//	go run ./internal/catalog/firmware/gen -data ../shared/data -out internal/catalog/firmware/firmware.json
//
// Inputs: the CISA KEV extract (CC0), the CVE records' affected-version
// text (cvelistV5, derived table), the Hikvision firmware archive
// (GPL-3.0: only facts are taken, latest version and date per model), the
// Reolink discontinued-model table (facts only), and the families and
// vulnerabilities transcribed by hand from vendors' advisories, release
// notices and CVE records (curated.json, each entry with its source).
package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	fw "github.com/camwarden/camwarden/internal/catalog/firmware"
)

// checked is the date this generator's inputs were reviewed.
const checked = "2026-12-04"

// curated holds hand-transcribed entries, complete with their sources.
type curated struct {
	Comment  string             `json:"_comment"`
	Families []fw.Family        `json:"families"`
	Vulns    []fw.Vulnerability `json:"vulnerabilities"`
	// Superseded are version ranges a later release line replaced.
	Superseded []fw.Superseded `json:"superseded"`
}

type overlay struct {
	Comment     string                     `json:"_comment"`
	VendorNames map[string]string          `json:"vendor_names"`
	Vendors     []fw.Vendor                `json:"vendors"`
	Vulns       map[string]json.RawMessage `json:"vulnerabilities"`
}

func main() {
	data := flag.String("data", "../shared/data", "directory of the shared public data")
	over := flag.String("overlay", "internal/catalog/firmware/gen/overlay.json", "hand-curated patches of derived entries, vendors")
	cur := flag.String("curated", "internal/catalog/firmware/gen/curated.json", "hand-curated families and vulnerabilities")
	out := flag.String("out", "internal/catalog/firmware/firmware.json", "catalogue to write")
	flag.Parse()
	if err := run(*data, *over, *cur, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(data, overPath, curPath, out string) error {
	raw, err := os.ReadFile(overPath)
	if err != nil {
		return err
	}
	var ov overlay
	if err := json.Unmarshal(raw, &ov); err != nil {
		return fmt.Errorf("overlay: %w", err)
	}
	if raw, err = os.ReadFile(curPath); err != nil {
		return err
	}
	var cur curated
	if err := json.Unmarshal(raw, &cur); err != nil {
		return fmt.Errorf("curated: %w", err)
	}
	cat := fw.Catalog{Schema: fw.SchemaVersion, Date: checked}
	vulns, err := kevVulns(filepath.Join(data, "cisa-kev", "kev-camera-nvr-router-iot-extract.csv"), ov.VendorNames)
	if err != nil {
		return err
	}
	if vulns, err = addCVERecords(filepath.Join(data, "cvelistV5", "camera-cves.derived.csv"), vulns); err != nil {
		return err
	}
	for id, patch := range ov.Vulns {
		v := findVuln(vulns, id)
		if v == nil {
			return fmt.Errorf("overlay: %s is in no source", id)
		}
		if err := json.Unmarshal(patch, v); err != nil {
			return fmt.Errorf("overlay %s: %w", id, err)
		}
		if v.Source != "" && !strings.Contains(v.Source, "overlay") {
			v.Source += "; ranges/patterns transcribed in gen/overlay.json"
		}
	}
	// A CVE may be listed twice, under two vendors (Arcadyan firmware in
	// Buffalo routers): a stable order keeps the output reproducible.
	vulns = append(vulns, cur.Vulns...)
	slices.SortStableFunc(vulns, func(a, b fw.Vulnerability) int {
		return cmp.Or(strings.Compare(a.CVE, b.CVE), strings.Compare(a.Vendor, b.Vendor))
	})
	cat.Vulnerabilities = vulns

	hik, err := hikvisionFamilies(filepath.Join(data, "hikvision-fw-archive"))
	if err != nil {
		return err
	}
	reo, err := reolinkFamilies(filepath.Join(data, "reolink-fw-archive", "reolink-discontinued-models.derived.csv"))
	if err != nil {
		return err
	}
	cat.Families = slices.Concat(hik, reo, cur.Families)
	cat.Superseded = cur.Superseded
	cat.Vendors = vendors(ov.Vendors, cat)
	cat.Date = newest(cat)

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(cat); err != nil {
		return err
	}
	gen, err := fw.Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		return fmt.Errorf("generated catalogue does not load: %w", err)
	}
	if err := gen.CheckDate(time.Now()); err != nil { // a catalogue from the future would outrank every update
		return fmt.Errorf("generated catalogue: %w", err)
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

// newest is the catalogue's date: the generator's review date, or a later
// check of a hand-curated entry.
func newest(cat fw.Catalog) string {
	d := cat.Date
	for _, f := range cat.Families {
		d = max(d, f.Checked)
	}
	for _, v := range cat.Vulnerabilities {
		d = max(d, v.Checked)
	}
	for _, s := range cat.Superseded {
		d = max(d, s.Checked)
	}
	return d
}

func findVuln(vs []fw.Vulnerability, id string) *fw.Vulnerability {
	for i := range vs {
		if vs[i].CVE == id {
			return &vs[i]
		}
	}
	return nil
}

// vendors returns the curated vendors plus one default entry for every
// other vendor the catalogue names.
func vendors(curated []fw.Vendor, cat fw.Catalog) []fw.Vendor {
	known := map[string]bool{}
	out := make([]fw.Vendor, 0, len(curated))
	for _, v := range curated {
		if v.ManualCheck.EN == "" {
			v.ManualCheck = defaultManualCheck
		}
		if v.Source == "" {
			v.Source = "camwarden maintainers, from the vendor's user documentation"
		}
		v.Checked = checked
		out = append(out, v)
		known[strings.ToLower(v.Name)] = true
		for _, a := range v.Aliases {
			known[strings.ToLower(a)] = true
		}
	}
	add := func(name string) {
		if !known[strings.ToLower(name)] {
			known[strings.ToLower(name)] = true
			out = append(out, fw.Vendor{Name: name, Scheme: "generic", ManualCheck: defaultManualCheck,
				Source: "named by CISA KEV / CVE records; generic version format", Checked: checked})
		}
	}
	for _, v := range cat.Vulnerabilities {
		add(v.Vendor)
	}
	for _, f := range cat.Families {
		add(f.Vendor)
	}
	slices.SortFunc(out, func(a, b fw.Vendor) int { return strings.Compare(a.Name, b.Name) })
	return out
}
