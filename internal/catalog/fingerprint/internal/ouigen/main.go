// Command ouigen writes oui.json, the MAC prefixes (IEEE OUI assignments as
// nmap-mac-prefixes lists them; facts only, the NPSL file is not copied)
// of the vendors in vendors.json: an assignee whose registered name starts
// with a vendor's name or alias (whole words) is that vendor. Software
// stacks and chip makers are left out: their prefixes name no device
// vendor. Run from this directory:
//
//	go run . -nmap /work/shared/data/nmap/nmap-mac-prefixes.camera-iot-extract -out ../../data/oui.json
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	fp "github.com/camwarden/camwarden/internal/catalog/fingerprint"
)

func main() {
	nmap := flag.String("nmap", "/work/shared/data/nmap/nmap-mac-prefixes.camera-iot-extract", "nmap-mac-prefixes extract")
	vendors := flag.String("vendors", "../../data/vendors.json", "vendors.json")
	out := flag.String("out", "../../data/oui.json", "output file")
	flag.Parse()
	if err := run(*nmap, *vendors, *out); err != nil {
		fmt.Fprintln(os.Stderr, "ouigen:", err)
		os.Exit(1)
	}
}

var rePrefix = regexp.MustCompile(`^([0-9A-F]{6})\s+(.+)$`)

func run(nmapPath, vendorsPath, out string) error {
	aliases, err := loadAliases(vendorsPath)
	if err != nil {
		return err
	}
	f, err := os.Open(nmapPath)
	if err != nil {
		return err
	}
	defer f.Close()
	var entries []fp.OUI
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := rePrefix.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		if v := vendorOf(m[2], aliases); v != "" {
			entries = append(entries, fp.OUI{Prefix: m[1], Vendor: v})
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Prefix < entries[j].Prefix })
	var sb strings.Builder
	sb.WriteString("{\n \"schema\": \"" + fp.SchemaOUI + "\",\n")
	sb.WriteString(" \"source\": \"IEEE OUI assignments as listed in nmap-mac-prefixes (facts only; NPSL file not copied), kept for the vendors of vendors.json by internal/ouigen\",\n")
	sb.WriteString(" \"ouis\": [\n")
	for i, e := range entries {
		fmt.Fprintf(&sb, "  {\"prefix\": %q, \"vendor\": %q}", e.Prefix, e.Vendor)
		if i < len(entries)-1 {
			sb.WriteString(",")
		}
		sb.WriteString("\n")
	}
	sb.WriteString(" ]\n}\n")
	return os.WriteFile(out, []byte(sb.String()), 0o644)
}

// loadAliases maps every normalised name and alias of a device vendor to
// the vendor.
func loadAliases(p string) (map[string]string, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	var f struct {
		Vendors []fp.Vendor `json:"vendors"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, v := range f.Vendors {
		if v.IsStack() {
			continue
		}
		for _, a := range append([]string{v.Name}, v.Aliases...) {
			out[fp.NormaliseName(a)] = v.Name
		}
	}
	return out, nil
}

// vendorOf returns the vendor whose name or alias (four letters or more,
// or the whole name) starts the assignee's name as whole words.
func vendorOf(org string, aliases map[string]string) string {
	k := fp.NormaliseName(org)
	if v, ok := aliases[k]; ok {
		return v
	}
	best, bestLen := "", 0
	for a, v := range aliases {
		if len(a) < 4 || len(a) <= bestLen {
			continue
		}
		if strings.HasPrefix(k, a+" ") {
			best, bestLen = v, len(a)
		}
	}
	return best
}
