package main

import "strings"

// row is one username/password fact of the catalogue's entries: a
// record with the canonical vendor and the protocols it applies to.
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

func protocolsFor(proto string) []string {
	if proto == "" {
		return cameraProtocols
	}
	return []string{proto}
}

// vendorRows are the rows of the vendor lists (DefaultCreds-Cheat-Sheet,
// the SecLists subset) whose product names a catalogue vendor.
func vendorRows(recs []record) []row {
	var out []row
	for _, r := range recs {
		v, proto := vendorOf(r.product)
		if v == "" {
			continue
		}
		out = append(out, row{vendor: v, username: r.username, password: r.password, protocols: protocolsFor(proto), source: r.cite("")})
	}
	return out
}

// moduleRows are the rows of routersploit's camera modules whose module
// directory names a catalogue vendor (its "samsung" modules are cameras).
func moduleRows(recs []record) []row {
	var out []row
	for _, r := range recs {
		v, _ := vendorOf(r.product)
		if r.product == "samsung" {
			v = "Hanwha Vision"
		}
		if v == "" {
			continue
		}
		out = append(out, row{vendor: v, username: r.username, password: r.password, protocols: []string{r.protocol}, source: r.cite("")})
	}
	return out
}

// pairRows are a dictionary's rows, of no vendor, for protocols; mark
// follows each citation.
func pairRows(recs []record, protocols []string, mark string) []row {
	out := make([]row, 0, len(recs))
	for _, r := range recs {
		out = append(out, row{username: r.username, password: r.password, protocols: protocols, source: r.cite(mark)})
	}
	return out
}
