package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// row is one username/password fact read from a source file.
type row struct {
	vendor    string // canonical vendor, "" for generic lists
	username  string
	password  string
	protocols []string
	source    string // "<dir>/<file>:<where>"
}

var cameraProtocols = []string{"http", "rtsp", "onvif"}

// vendorOf maps a product/vendor column of DefaultCreds-Cheat-Sheet,
// the SecLists subset or the routersploit module extract to a canonical
// vendor and the protocol named in the product (empty = unknown).
func vendorOf(product string) (vendor, protocol string) {
	p := strings.ToLower(strings.TrimSpace(product))
	base, suffix, _ := strings.Cut(p, " (")
	switch {
	case strings.HasPrefix(suffix, "ssh"):
		protocol = "ssh"
	case strings.HasPrefix(suffix, "telnet"):
		protocol = "telnet"
	case strings.HasPrefix(suffix, "web"):
		protocol = "http"
	case strings.HasPrefix(suffix, "ftp"):
		protocol = "ftp"
	}
	table := map[string]string{
		"hikvision": "Hikvision", "hikvision network camera": "Hikvision", "w-box": "Hikvision",
		"dahua": "Dahua", "amcrest": "Amcrest", "lorex": "Lorex",
		"axis": "Axis", "axis communications": "Axis", "axis camera": "Axis",
		"reolink": "Reolink", "uniview": "Uniview",
		"samsung electronics": "Hanwha Vision", "samsung techwin": "Hanwha Vision", "samsung": "",
		"panasonic": "Panasonic i-PRO", "sony": "Sony", "bosch": "Bosch", "foscam": "Foscam",
		"tp-link": "TP-Link", "tp-link router": "TP-Link",
		"ubiquiti edgeos": "Ubiquiti", "ubiquiti edgerouter": "Ubiquiti", "ubiquiti": "Ubiquiti", "ubiquiti unifi": "Ubiquiti",
		"vivotek": "Vivotek", "geovision": "GeoVision", "avtech": "AVTECH", "mobotix": "Mobotix", "avigilon": "Avigilon",
		"trendnet": "TRENDnet", "trendnet internet camera": "TRENDnet",
		"mikrotik": "MikroTik", "mikrotik routeros": "MikroTik", "netgear": "NETGEAR", "netgear router": "NETGEAR",
		"asus": "ASUS", "asus router": "ASUS", "linksys": "Linksys", "linksys router": "Linksys",
		"d-link": "D-Link", "dlink": "D-Link", "d-link router": "D-Link",
		"buffalo": "Buffalo", "buffalo/melco": "Buffalo", "buffalo technology": "Buffalo", "nec": "NEC",
		"avm": "AVM", "huawei": "Huawei", "huawei technologies co": "Huawei", "zte": "ZTE",
		"zyxel": "Zyxel", "zyxel router": "Zyxel", "technicolor": "Technicolor", "arris": "ARRIS",
		"ip camera hi3516": "Xiongmai", "ip camera hi3518e": "Xiongmai",
	}
	// "samsung (web)" is the routersploit-style camera row; bare
	// "Samsung" rows are phones/printers and stay unmapped.
	if base == "samsung" && protocol == "http" {
		return "Hanwha Vision", protocol
	}
	return table[base], protocol
}

// literal turns a list's value into the literal string, rejecting
// descriptions such as "<create by default>" or "123 (or blank)".
func literal(s string) (string, bool) {
	switch strings.ToLower(s) {
	case "<blank>", "<n/a>":
		return "", true
	}
	if strings.ContainsAny(s, "<>()'\"") || strings.Contains(s, " button") || strings.Contains(s, "dont need") {
		return "", false
	}
	return s, true
}

func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return recs, nil
}

// vendorRows reads the vendor/product lists (MIT): DefaultCreds-Cheat-Sheet
// and the SecLists camera subset. Line numbers are 1-based file lines.
func vendorRows(in inputs) ([]row, error) {
	var out []row
	for _, name := range []string{"defaultcreds-cheat-sheet/DefaultCreds-Cheat-Sheet.csv", "seclists/default-passwords.camera-dvr-subset.csv"} {
		p, ok := in.path(name)
		if !ok {
			continue
		}
		recs, err := readCSV(p)
		if err != nil {
			return nil, err
		}
		for i, rec := range recs[1:] {
			if len(rec) < 3 {
				continue
			}
			v, proto := vendorOf(rec[0])
			u, okU := literal(rec[1])
			p, okP := literal(rec[2])
			if v == "" || !okU || !okP {
				continue
			}
			out = append(out, row{vendor: v, username: u, password: p, protocols: protocolsFor(proto),
				source: fmt.Sprintf("%s:%d", name, i+2)})
		}
	}
	return out, nil
}

// moduleRows reads OUR extraction of routersploit's camera credential
// modules (BSD).
func moduleRows(in inputs) ([]row, error) {
	name := "routersploit/camera-creds-modules.defaults.extracted.csv"
	p, ok := in.path(name)
	if !ok {
		return nil, nil
	}
	recs, err := readCSV(p)
	if err != nil {
		return nil, err
	}
	var out []row
	for i, rec := range recs[1:] {
		if len(rec) < 5 {
			continue
		}
		v, _ := vendorOf(rec[0])
		if rec[0] == "samsung" {
			v = "Hanwha Vision"
		}
		if v == "" {
			continue
		}
		proto := "http"
		for _, p := range []string{"ftp", "ssh", "telnet"} {
			if strings.HasPrefix(rec[1], p+"_") {
				proto = p
			}
		}
		out = append(out, row{vendor: v, username: rec[3], password: rec[4], protocols: []string{proto},
			source: fmt.Sprintf("%s:%d", name, i+2)})
	}
	return out, nil
}

func protocolsFor(proto string) []string {
	if proto == "" {
		return cameraProtocols
	}
	return []string{proto}
}

// lines reads a text file and calls fn with each non-empty,
// non-comment line and its 1-based number.
func lines(path string, fn func(n int, line string)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimRight(sc.Text(), "\r")
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		fn(n, l)
	}
	return sc.Err()
}

// pairRows reads a "user:pass" per line list.
func pairRows(in inputs, name string, protocols []string) ([]row, error) {
	p, ok := in.path(name)
	if !ok {
		return nil, nil
	}
	var out []row
	err := lines(p, func(n int, l string) {
		u, p, ok := strings.Cut(l, ":")
		if ok {
			out = append(out, row{username: u, password: p, protocols: protocols, source: fmt.Sprintf("%s:%d", name, n)})
		}
	})
	return out, err
}

// miraiRows reads the 62 decoded Mirai pairs (facts), weight-ordered.
func miraiRows(in inputs) ([]row, error) {
	name := "mirai/mirai-scanner-credentials.csv"
	p, ok := in.path(name)
	if !ok {
		return nil, nil
	}
	recs, err := readCSV(p)
	if err != nil {
		return nil, err
	}
	var out []row
	for i, rec := range recs[1:] {
		out = append(out, row{username: rec[0], password: rec[1], protocols: []string{"telnet"},
			source: fmt.Sprintf("%s:%d (facts)", name, i+2)})
	}
	return out, nil
}

// cameradar is the MIT RTSP dictionary.
type cameradar struct {
	Usernames []string `json:"usernames"`
	Passwords []string `json:"passwords"`
}

func readCameradar(in inputs) (cameradar, error) {
	var c cameradar
	p, ok := in.path("cameradar/credentials.json")
	if !ok {
		return c, nil
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return c, err
	}
	return c, json.Unmarshal(b, &c)
}

// passwordLines reads a one-password-per-line list keeping line numbers.
func passwordLines(in inputs, name string) (map[string]string, []string, error) {
	src := map[string]string{}
	var order []string
	p, ok := in.path(name)
	if !ok {
		return src, nil, nil
	}
	err := lines(p, func(n int, l string) {
		if _, dup := src[l]; !dup {
			src[l] = fmt.Sprintf("%s:%d", name, n)
			order = append(order, l)
		}
	})
	return src, order, err
}
