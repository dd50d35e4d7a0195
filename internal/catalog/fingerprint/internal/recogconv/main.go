// Command recogconv converts the Rapid7 Recog fingerprint XML files
// (BSD-2-Clause) into camwarden rules for the vendors in vendors.json.
// Regexes and examples are reused as the licence allows; each rule cites
// the Recog file and fingerprint description. Run from this directory:
//
//	go run . -recog /work/shared/data/recog -out ../../data/rules-recog.json
package main

import (
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	fp "github.com/camwarden/camwarden/internal/catalog/fingerprint"
)

type recogFile struct {
	Fingerprints []recogFP `xml:"fingerprint"`
}

type recogFP struct {
	Pattern     string         `xml:"pattern,attr"`
	Flags       string         `xml:"flags,attr"`
	Description string         `xml:"description"`
	Examples    []recogExample `xml:"example"`
	Params      []recogParam   `xml:"param"`
}

type recogExample struct {
	Text  string     `xml:",chardata"`
	Attrs []xml.Attr `xml:",any,attr"`
}

type recogParam struct {
	Pos   int    `xml:"pos,attr"`
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// source file -> camwarden field and base confidence of a match.
var files = []struct {
	name, field string
	conf        float64
}{
	{"http_servers.xml", "http.server", 0.6},
	{"html_title.xml", "http.title", 0.5},
	{"http_wwwauth.xml", "http.www_authenticate", 0.6},
	{"favicons.xml", "http.favicon_md5", 0.7},
	{"rtsp_servers.xml", "rtsp.server", 0.6},
	{"snmp_sysdescr.xml", "snmp.sysdescr", 0.8},
	{"telnet_banners.xml", "telnet.banner", 0.6},
	{"ftp_banners.xml", "ftp.banner", 0.6},
	{"ssh_banners.xml", "ssh.banner", 0.5},
	{"x509_subjects.xml", "tls.subject", 0.6},
}

var deviceTypes = map[string]string{
	"ip camera": fp.TypeCamera, "web cam": fp.TypeCamera, "video encoder": fp.TypeCamera,
	"camera": fp.TypeCamera, "webcam": fp.TypeCamera,
	"dvr": fp.TypeNVR, "nvr": fp.TypeNVR,
	"router": fp.TypeRouter, "broadband router": fp.TypeRouter, "wap": fp.TypeRouter,
	"wireless router": fp.TypeRouter, "firewall": fp.TypeRouter, "gateway": fp.TypeRouter,
	"cable modem": fp.TypeRouter, "dsl modem": fp.TypeRouter,
}

// stackTypes gives a type hint for stacks whose Recog entries carry none.
var stackTypes = map[string]string{"MiniUPnP": fp.TypeRouter, "OpenWrt": fp.TypeRouter}

// stackOverrides are Recog fingerprints that give a device vendor for a
// string a software stack writes on devices of many brands. camwarden
// keeps each as that stack's type hint (never a vendor claim), and says
// where the fact comes from.
var stackOverrides = []struct {
	file, pattern, stack, why string
	refs                      []string
}{
	{
		file: "rtsp_servers.xml", pattern: `^HiIpcam\/V\d+R\d+ VodServer\/[\d\.]+$`, stack: "HiSilicon",
		why: "HiIpcam VodServer is the RTSP server of HiSilicon's IP camera SDK, shipped by many brands: " +
			"nmap-service-probes (NPSL, fact) names it 'HiLinux IP camera rtspd' with no vendor; Recog's Foscam is one of them",
		refs: []string{"nmap/nmap-service-probes.camera-iot-extract"},
	},
}

func main() {
	dir := flag.String("recog", "/work/shared/data/recog", "recog xml directory")
	vendors := flag.String("vendors", "../../data/vendors.json", "vendors.json")
	out := flag.String("out", "../../data/rules-recog.json", "output file")
	flag.Parse()
	if err := run(*dir, *vendors, *out); err != nil {
		fmt.Fprintln(os.Stderr, "recogconv:", err)
		os.Exit(1)
	}
}

func run(dir, vendorsPath, out string) error {
	alias, stacks, err := loadVendors(vendorsPath)
	if err != nil {
		return err
	}
	var rules []fp.Rule
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f.name))
		if err != nil {
			return err
		}
		var rf recogFile
		if err := xml.Unmarshal(b, &rf); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		kept, skipped := 0, 0
		for i, r := range rf.Fingerprints {
			rule, ok := convert(f.name, f.field, f.conf, i, r, alias, stacks)
			if !ok {
				continue
			}
			if _, err := regexp.Compile(rule.Pattern); err != nil {
				skipped++
				continue
			}
			rules = append(rules, rule)
			kept++
		}
		fmt.Fprintf(os.Stderr, "%s: kept %d, uncompilable %d\n", f.name, kept, skipped)
	}
	doc := map[string]any{"schema": fp.SchemaRules, "rules": rules}
	b, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(b, '\n'), 0o644)
}

func loadVendors(p string) (map[string]string, map[string]bool, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, nil, err
	}
	var f struct {
		Vendors []fp.Vendor `json:"vendors"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, nil, err
	}
	alias, stacks := map[string]string{}, map[string]bool{}
	for _, v := range f.Vendors {
		for _, a := range append([]string{v.Name}, v.Aliases...) {
			alias[fp.NormaliseName(a)] = v.Name
		}
		stacks[v.Name] = v.IsStack()
	}
	return alias, stacks, nil
}

func param(r recogFP, name string) (recogParam, bool) {
	for _, p := range r.Params {
		if p.Name == name {
			return p, true
		}
	}
	return recogParam{}, false
}

func convert(file, field string, conf float64, i int, r recogFP, alias map[string]string, stacks map[string]bool) (fp.Rule, bool) {
	if len(r.Examples) == 0 {
		return fp.Rule{}, false
	}
	for _, o := range stackOverrides {
		if o.file == file && o.pattern == r.Pattern {
			return stackRule(file, field, i, r, o.stack, o.why, o.refs)
		}
	}
	vendor, vendorParam := "", ""
	for _, name := range []string{"hw.vendor", "os.vendor", "service.vendor"} {
		if p, ok := param(r, name); ok && p.Pos == 0 && !strings.Contains(p.Value, "{") {
			if v, ok := alias[fp.NormaliseName(p.Value)]; ok {
				vendor, vendorParam = v, name
				break
			}
		}
	}
	if vendor == "" {
		return fp.Rule{}, false
	}
	_, hwDev := param(r, "hw.device")
	_, osDev := param(r, "os.device")
	if vendorParam == "service.vendor" && !stacks[vendor] && !hwDev && !osDev {
		// A software vendor (PlayStation Media Server on a PC) says
		// nothing about the device.
		return fp.Rule{}, false
	}
	rule := fp.Rule{
		ID:      fmt.Sprintf("recog-%s-%d", strings.TrimSuffix(file, ".xml"), i),
		Field:   field,
		Pattern: convertPattern(r.Pattern, r.Flags),
		Vendor:  vendor,
		Source:  fmt.Sprintf("recog %s: %s", file, strings.TrimSpace(r.Description)),
		Refs:    []string{"recog/" + file},
	}
	for _, name := range []string{"hw.device", "os.device"} {
		if p, ok := param(r, name); ok && rule.Type == "" {
			rule.Type = deviceTypes[strings.ToLower(p.Value)]
		}
	}
	if stacks[vendor] {
		if rule.Type == "" {
			rule.Type = stackTypes[vendor]
		}
		if rule.Type == "" {
			return fp.Rule{}, false
		}
		conf = 0.2
	}
	modelKey, fwKey := "", ""
	if !stacks[vendor] {
		for _, name := range []string{"hw.model", "hw.product"} {
			p, ok := param(r, name)
			if !ok || rule.Model != "" || rule.ModelGroup != 0 {
				continue
			}
			if p.Pos > 0 {
				rule.ModelGroup, modelKey = p.Pos, name
			} else if !strings.Contains(p.Value, "{") {
				rule.Model = p.Value
			}
		}
		// Device firmware is os.version (or hw.version, as Recog writes
		// it for cameras) when that param's vendor is the device vendor.
		for _, prefix := range []string{"os", "hw"} {
			pv, ok := param(r, prefix+".vendor")
			if !ok || alias[fp.NormaliseName(pv.Value)] != vendor || rule.FirmwareGroup != 0 {
				continue
			}
			if p, ok := param(r, prefix+".version"); ok && p.Pos > 0 {
				rule.FirmwareGroup, fwKey = p.Pos, prefix+".version"
			}
		}
	}
	for _, name := range []string{"hw.certainty", "os.certainty", "service.certainty"} {
		if p, ok := param(r, name); ok {
			if c, err := strconv.ParseFloat(p.Value, 64); err == nil && c > 0 && c < 1 {
				conf *= max(c, 0.5)
			}
		}
	}
	rule.Confidence = conf
	for _, e := range r.Examples {
		ex, ok := example(e, modelKey, fwKey)
		if ok {
			rule.Examples = append(rule.Examples, ex)
		}
	}
	return rule, len(rule.Examples) > 0
}

// stackRule keeps a fingerprint as a stack's type hint (stackOverrides).
func stackRule(file, field string, i int, r recogFP, stack, why string, refs []string) (fp.Rule, bool) {
	rule := fp.Rule{
		ID:         fmt.Sprintf("recog-%s-%d", strings.TrimSuffix(file, ".xml"), i),
		Field:      field,
		Pattern:    convertPattern(r.Pattern, r.Flags),
		Vendor:     stack,
		Confidence: 0.2,
		Source:     fmt.Sprintf("recog %s: %s; kept as a %s stack hint: %s", file, strings.TrimSpace(r.Description), stack, why),
		Refs:       append([]string{"recog/" + file}, refs...),
	}
	for _, name := range []string{"hw.device", "os.device"} {
		if p, ok := param(r, name); ok && rule.Type == "" {
			rule.Type = deviceTypes[strings.ToLower(p.Value)]
		}
	}
	for _, e := range r.Examples {
		if ex, ok := example(e, "", ""); ok {
			rule.Examples = append(rule.Examples, ex)
		}
	}
	return rule, rule.Type != "" && len(rule.Examples) > 0
}

func example(e recogExample, modelKey, fwKey string) (fp.Example, bool) {
	ex := fp.Example{Text: e.Text}
	for _, a := range e.Attrs {
		switch a.Name.Local {
		case "_encoding":
			if a.Value != "base64" {
				return ex, false
			}
			b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(e.Text))
			if err != nil {
				return ex, false
			}
			ex.Text = string(b)
		case modelKey:
			ex.Model = a.Value
		case fwKey:
			ex.Firmware = a.Value
		}
	}
	return ex, true
}

// convertPattern turns a Ruby regex as Recog writes it into Go RE2
// syntax: Ruby's ^ and $ always match at line ends, \Z and \h do not
// exist in RE2, atomic groups become plain groups.
func convertPattern(p, flags string) string {
	p = strings.ReplaceAll(p, `\Z`, `$`)
	p = strings.ReplaceAll(p, `\h`, `[0-9A-Fa-f]`)
	p = strings.ReplaceAll(p, `(?>`, `(?:`)
	mode := "m"
	if strings.Contains(flags, "REG_ICASE") {
		mode += "i"
	}
	if strings.Contains(flags, "REG_MULTILINE") || strings.Contains(flags, "REG_DOT_NEWLINE") {
		mode += "s"
	}
	return "(?" + mode + ")" + p
}
