package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	fw "github.com/camwarden/camwarden/internal/catalog/firmware"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/version"
)

var defaultManualCheck = finding.Text{
	EN: "Sign in to the device's web interface and read the firmware version on its system information or status page (also printed on the label or in the vendor's app).",
	JA: "Webブラウザで機器の管理画面にログインし、「システム情報」や「ステータス」のページでファームウェアのバージョンを確認してください（機器のラベルやメーカーのアプリにも表示されます）。",
}

func readCSV(path string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = strings.TrimSpace(r[i])
		}
		out = append(out, m)
	}
	return out, nil
}

// modelToken finds model names in KEV product names and descriptions:
// DIR-859, TL-WR940N, RT-AX55, Vigor2960, EMG2926, NVRmini2, AC11.
var modelToken = regexp.MustCompile(`\b(?:[A-Z]{1,5}-[A-Z0-9]*\d[A-Z0-9]*(?:-[A-Z0-9]+)?|[A-Z][A-Za-z]{1,7}\d{2,5}[A-Za-z0-9]*)\b`)

func derivePattern(texts ...string) string {
	for _, t := range texts {
		var toks []string
		for _, m := range modelToken.FindAllString(t, -1) {
			if strings.HasPrefix(m, "CVE-") || strings.HasPrefix(m, "CWE-") || strings.HasPrefix(m, "BOD") || slices.Contains(toks, regexp.QuoteMeta(m)) {
				continue
			}
			toks = append(toks, regexp.QuoteMeta(m))
		}
		if len(toks) > 0 {
			return strings.Join(toks, "|")
		}
	}
	return ""
}

func category(product, desc string) string {
	s := strings.ToLower(product + " " + desc)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(s, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("camera", "dcs-", "ptz"):
		return "camera"
	case has("nvr", "dvr", "viostor", "nvms", "dnr-"):
		return "nvr"
	case has("nas", "storage", "qts", "photo station", "dns-3"):
		return "nas"
	case has("router", "dsl", "gpon", "routeros", "airos", "archer", "cpe", "emg2926", "p660"):
		return "router"
	case has("firewall", "vpn", "gateway", "asa", "ios", "switch", "access point", "netscaler", "sma", "secure", "sonicos", "junos", "sdk", "ucm6200"):
		return "network"
	}
	return "other"
}

// kevVulns turns every row of the KEV extract into a vulnerability.
func kevVulns(path string, names map[string]string) ([]fw.Vulnerability, error) {
	rows, err := readCSV(path)
	if err != nil {
		return nil, err
	}
	var out []fw.Vulnerability
	for _, r := range rows {
		vendor := r["vendorProject"]
		if n, ok := names[vendor]; ok {
			vendor = n
		}
		desc := r["shortDescription"]
		first, _, _ := strings.Cut(desc, ". ")
		v := fw.Vulnerability{
			CVE: r["cveID"], Vendor: vendor, Product: r["product"], Title: r["vulnerabilityName"],
			Category: category(r["product"], desc), Models: derivePattern(r["product"], first),
			KEV: true, KEVAdded: r["dateAdded"],
			Source:  "CISA KEV (cisagov/kev-data @eacf03e, CC0), data as of 2025-08-25",
			Checked: "2025-08-25",
		}
		links := strings.Split(r["notes"], ";")
		v.Advisory = strings.TrimSpace(links[0])
		if strings.Contains(desc, "end-of-life (EoL)") && v.Models != "" {
			v.AllVersions = true
			v.RangeText = "CISA KEV: the impacted products could be end-of-life (EoL) and/or end-of-service (EoS); no fixed version is listed; discontinue use"
		}
		out = append(out, v)
	}
	return out, nil
}

// addCVERecords adds the affected-version text (and CVSS) of the CVE
// records, adding the CVEs that are not in KEV.
func addCVERecords(path string, vulns []fw.Vulnerability) ([]fw.Vulnerability, error) {
	rows, err := readCSV(path)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		id := r["cve_id"]
		v := findVuln(vulns, id)
		if v == nil {
			vendor, _, _ := strings.Cut(r["vendor"], " (")
			vulns = append(vulns, fw.Vulnerability{CVE: id, Vendor: vendor, Product: r["products"],
				Title: r["summary"], Category: category(r["products"], r["summary"]), Checked: checked})
			v = &vulns[len(vulns)-1]
			v.Source = "CVE record " + r["source_record"]
		} else {
			v.Source += "; CVE record " + r["source_record"]
		}
		v.RangeText = r["affected_versions_as_stated"]
		if f, err := strconv.ParseFloat(strings.Fields(r["cvss"] + " x")[0], 64); err == nil {
			v.CVSS = f
		}
	}
	return vulns, nil
}

type hikEntry struct {
	Model     string   `json:"model"`
	Hardware  string   `json:"hardware_version"`
	Version   string   `json:"version"`
	Date      string   `json:"date"`
	Filename  string   `json:"filename"`
	Supported []string `json:"supported_models"`
	Beta      bool     `json:"is_beta"`
}

var hikBuild = regexp.MustCompile(`_V[0-9.]+_(\d{6})_`)

// hikvisionFamilies keeps, per model name and hardware line, the newest
// non-beta release of the archive, and groups the names by release.
func hikvisionFamilies(dir string) ([]fw.Family, error) {
	raw, err := os.ReadFile(dir + "/firmwares_live.json")
	if err != nil {
		return nil, err
	}
	var entries map[string]hikEntry
	if err := json.Unmarshal(raw, &entries); err != nil {
		return nil, err
	}
	type pick struct {
		key string
		v   version.Version
		e   hikEntry
	}
	best := map[string]pick{} // NAME\x00hardware\x00major -> newest release
	keys := slices.Sorted(mapKeys(entries))
	for _, k := range keys {
		e := entries[k]
		if e.Beta {
			continue
		}
		vs := "V" + e.Version
		if m := hikBuild.FindStringSubmatch(e.Filename); m != nil {
			vs += " build " + m[1]
		}
		v, err := version.Parse(version.SchemeHikvision, vs)
		if err != nil || len(e.Date) != 10 {
			continue // unparseable or undated: no fact to keep
		}
		e.Version = vs
		for _, name := range append([]string{e.Model}, e.Supported...) {
			n := fw.NormalizeModel(name)
			nk := fmt.Sprintf("%s\x00%s\x00%d", n, e.Hardware, v.Nums[0]) // one latest per major branch
			if p, ok := best[nk]; !ok || version.Compare(v, p.v) > 0 || (version.Compare(v, p.v) == 0 && e.Date > p.e.Date) {
				best[nk] = pick{key: k, v: v, e: e}
			}
		}
	}
	names := map[string][]string{}
	for nk, p := range best {
		n, _, _ := strings.Cut(nk, "\x00")
		names[p.key] = append(names[p.key], n)
	}
	var out []fw.Family
	for _, k := range slices.Sorted(mapKeys(names)) {
		e := entries[k]
		p := best[fmt.Sprintf("%s\x00%s\x00%d", fw.NormalizeModel(names[k][0]), e.Hardware, mustMajor(e.Version))]
		models := names[k]
		slices.Sort(models)
		hw := e.Hardware
		if hw == "UNKNOWN" {
			hw = ""
		}
		out = append(out, fw.Family{Vendor: "Hikvision", Name: e.Model, Hardware: hw, Models: models,
			Latest: &fw.Release{Version: p.e.Version, Date: e.Date},
			Source: "Hikvision download centre via JoeyGE0/hikvision-fw-archive firmwares_live.json @a60dcc7 (facts only)", Checked: "2026-08-22"})
	}
	return out, nil
}

// mustMajor returns the major number of an archive version ("5.8.41").
func mustMajor(v string) int {
	n, _ := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
	return n
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// reolinkFamilies marks the discontinued Reolink models and their successors.
func reolinkFamilies(path string) ([]fw.Family, error) {
	rows, err := readCSV(path)
	if err != nil {
		return nil, err
	}
	var out []fw.Family
	for _, r := range rows {
		f := fw.Family{Vendor: "Reolink", Name: r["model"], Models: []string{r["model"]}, Discontinued: true,
			Source: "Reolink devices.json via AT0myks/reolink-fw-archive @001978a (discontinued field; facts only)", Checked: checked}
		if s := r["discontinued_or_successor"]; s != "true" {
			f.Replacement = s
		}
		switch strings.ToLower(r["type"]) {
		case "ipc", "add-ons":
			f.Type = "camera"
		case "nvr":
			f.Type = "nvr"
		}
		out = append(out, f)
	}
	return out, nil
}
