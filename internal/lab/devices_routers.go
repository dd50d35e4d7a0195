package lab

// routerTable is the lab's home routers: a MikroTik with the management
// services RouterOS enables by default, and a Buffalo AirStation whose
// miniupnpd answers unicast SSDP as an Internet Gateway Device.
func routerTable() []deviceDef {
	return []deviceDef{mikrotikHAP(), buffaloWSR()}
}

// mikrotikHAP: sysDescr "RouterOS <board>" and sysObjectID under
// enterprise 14988 (recog snmp_sysdescr/sysobjid), FTP "(MikroTik x.y)"
// greeting (recog ftp_banners), "ROSSSH" (nmap), telnet "Login:" prompt.
func mikrotikHAP() deviceDef {
	return deviceDef{
		Name: "mikrotik-hap-ac2", Type: "router", Vendor: "MikroTik", Model: "RBD52G-5HacD2HnD",
		Firmware: "6.48.6", Serial: "D4450B000001",
		Users: map[string]string{"admin": ""},
		Extra: map[string]string{"TITLE": "RouterOS router configuration page"},
		HTTP:  []httpProfile{genericHTTP(80, "", "RouterOS", basic, nil)},
		Telnet: &telnetProfile{
			Port: 23, Preamble: []byte("\xff\xfd\x18\xff\xfd\x20\xff\xfd\x23\xff\xfd\x27\r\nMikroTik v6.48.6 (stable)\r\n"),
			Login: "Login: ", Password: "Password: ", Fail: "\r\nLogin failed, incorrect username or password\r\n\r\n",
			Shell: "\r\n\r\n  MMM      MMM       KKK\r\n[admin@MikroTik] > ",
		},
		SSH:  "SSH-2.0-ROSSSH",
		FTP:  "MikroTik FTP server (MikroTik 6.48.6) ready",
		SNMP: &snmpProfile{Community: "public", SysDescr: "RouterOS RBD52G-5HacD2HnD", SysObjectID: ".1.3.6.1.4.1.14988.1"},
		Planted: map[string]string{"auth.http": "default", "auth.telnet": "default", "auth.ssh": "default", "auth.snmp": "default",
			"auth.http.unverifiable": "RouterOS 6 WebFig logs in from JavaScript with its own key exchange, not Basic/Digest",
			"firmware":               "uncatalogued", "firmware.findings": "",
			"exposure.telnet": "on", "exposure.ftp": "on", "exposure.snmp": "public", "lockout": "none"},
	}
}

// buffaloWSR: miniupnpd replies and root description of our peers lab
// capture, with the AirStation's identity; its control URL answers the
// read-only port mapping actions with routerMappings (igd.go). Its modelNumber carries a
// version-like string, but UPnP does not say that it is the firmware, so
// a correct scan reports no firmware (identity.hidden). The catalogue
// knows Buffalo vulnerabilities for WSR-1166DHP (CVE-2021-20090, fixed in
// 1.16), so the unread version is FW-UNKNOWN ("hidden").
func buffaloWSR() deviceDef {
	return deviceDef{
		Name: "buffalo-wsr1166dhp", Type: "router", Vendor: "Buffalo", Model: "WSR-1166DHP",
		Firmware: "1.15", Serial: "40167E000001",
		Users: map[string]string{"admin": "password"},
		Extra: map[string]string{"TITLE": "AirStation"},
		HTTP: []httpProfile{
			genericHTTP(80, "httpd", "AirStation", basic, nil),
			{Port: 5000, Server: "Linux/3.10.104 UPnP/1.1 MiniUPnPd/2.3.1", APIs: []vendorAPI{igdAPI},
				Pages: []page{{Path: "/rootDesc.xml", Type: `text/xml; charset="utf-8"`, Body: "@buffalo-wsr1166dhp-rootdesc.xml"}}},
		},
		SSDP: &ssdpProfile{Replies: []string{"@buffalo-wsr1166dhp-ssdp-rootdevice.txt",
			"@buffalo-wsr1166dhp-ssdp-igd.txt", "@buffalo-wsr1166dhp-ssdp-wanipconn.txt"}},
		Planted: map[string]string{"identity.hidden": "firmware", "auth.http": "default",
			"auth.http.unverifiable": "the AirStation web login is a form posting an MD5 of the password with a per-page token, not Basic/Digest",
			"firmware":               "hidden", "firmware.findings": "FW-UNKNOWN", "exposure.upnp": "igd",
			"lockout": "none"},
	}
}
