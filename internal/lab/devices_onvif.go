package lab

// ONVIF-first vendors: unauthenticated, their web pages say little and
// GetDeviceInformation gives vendor, model and firmware. Model/firmware
// pairs follow each vendor's documented version format; no recorded
// identity reply of these exact units exists in shared/data.

func reolinkRLC411WS() deviceDef {
	// Identity from reolinkapipy GetDevInfo (facts; GPL): RLC-411WS,
	// IPC_3816M, v2.0.0.1389_18081408. Reolink's ONVIF server is on 8000.
	return deviceDef{
		Name: "reolink-rlc411ws", Type: "camera", Vendor: "Reolink", Model: "RLC-411WS",
		Firmware: "v2.0.0.1389_18081408", Serial: "00000000000000", Hardware: "IPC_3816M",
		Users: map[string]string{"admin": ""},
		HTTP: []httpProfile{
			{
				Port: 80,
				Pages: []page{
					{Path: "/", Body: "@reolink-rlc411ws-root.html"},
					{Method: "POST", Path: "/api.cgi?cmd=GetDevInfo", Type: "application/json", Body: "@reolink-rlc411ws-please-login.json"},
				},
				APIs: []vendorAPI{reolinkAPI},
			},
			{Port: 8000, ONVIF: onvifOpen},
		},
		RTSP: &rtspProfile{
			Port: 554, Public: rtspPublicLive555, Auth: "digest", Realm: "LIVE555 Streaming Media", Date: true,
			Routes: map[string]string{"/h264Preview_01_main": "reolink-rlc411ws-describe.sdp"},
		},
		Planted: map[string]string{"auth.http": "default", "auth.rtsp": "default", "auth.onvif": "none",
			"firmware": "eol", "firmware.findings": "FW-EOL", "lockout": "none"},
	}
}

func foscamFI9821P() deviceDef {
	// Foscam serves its web UI and CGIProxy.fcgi on port 88; the lab also
	// answers ONVIF there (the real unit uses 888, outside the scan ports).
	// Firmware 2.11.1.120 is the last the CVE-2018-6830/6831/6832 records
	// list as affected for the FI9821P: planted vulnerable.
	return deviceDef{
		Name: "foscam-fi9821p", Type: "camera", Vendor: "Foscam", Model: "FI9821P",
		Firmware: "2.11.1.120", Serial: "FICN0000000001", Hardware: "1.4.1.10",
		Users: map[string]string{"admin": ""},
		HTTP: []httpProfile{{
			Port: 88, Server: "lighttpd/1.4.35",
			Pages: []page{
				{Path: "/", Body: "@foscam-fi9821p-root.html"},
			},
			APIs:  []vendorAPI{foscamCGI},
			ONVIF: onvifOpen,
		}},
		RTSP: &rtspProfile{
			Port: 554, Public: rtspPublicLive555, Auth: "digest", Realm: "LIVE555 Streaming Media", Date: true,
			Routes: map[string]string{"/videoMain": "foscam-fi9821p-describe.sdp"},
		},
		Planted: map[string]string{"auth.http": "default", "auth.cleartext": "http", "auth.rtsp": "default", "auth.onvif": "none",
			"firmware": "vulnerable", "firmware.findings": "FW-VULNERABLE",
			"firmware.cves": "CVE-2018-6830,CVE-2018-6831,CVE-2018-6832", "lockout": "none"},
	}
}

func xiongmaiIPC() deviceDef {
	// "NETSurveillance WEB" (Ingram/recog), RTSP "H264DVR 1.0" (retina),
	// ONVIF on 8899, DVRIP 34567 and the 9527 debug port; telnet root/xmhdipc
	// (routersploit defaults, facts).
	return deviceDef{
		Name: "xiongmai-ipc", Type: "camera", Vendor: "Xiongmai", Model: "IPG-53H20PL-S",
		Firmware: "V4.02.R11.00035520.10010.131900.00000", Serial: "e3a1b2c3d4e5f601", Hardware: "53H20L",
		Users: map[string]string{"admin": "", "root": "xmhdipc"},
		HTTP: []httpProfile{
			{Port: 80, Pages: []page{{Path: "/", Body: "@xiongmai-nbd80-root.html"}}},
			{Port: 8899, ONVIF: onvifOpen},
		},
		RTSP: &rtspProfile{
			Port: 554, Server: "H264DVR 1.0", Public: "OPTIONS, DESCRIBE, SETUP, TEARDOWN, PLAY, PAUSE, GET_PARAMETER, SET_PARAMETER",
			Auth:   "none",
			Routes: map[string]string{"/user=admin_password=_channel=1_stream=0.sdp": "xiongmai-h264dvr-describe.sdp"},
		},
		Telnet: busyboxTelnet("", "LocalHost"),
		SDK:    []sdkPort{{9527, "xmeye-debug"}, {34567, "xmeye-sdk"}},
		Planted: map[string]string{"auth.http": "default", "auth.rtsp": "none", "auth.telnet": "default",
			"auth.http.unverifiable": "the NETSurveillance web UI logs in over DVRIP (port 34567) from its plugin; no HTTP login exists",
			"auth.onvif":             "none", "firmware": "uncatalogued", "firmware.findings": "", "exposure.telnet": "on", "exposure.sdk": "on",
			"lockout": "none"},
	}
}

func onvifCamera(name, vendor, model, firmware, serial string, web httpProfile, rtsp *rtspProfile, planted map[string]string) deviceDef {
	web.ONVIF = onvifOpen
	return deviceDef{
		Name: name, Type: "camera", Vendor: vendor, Model: model, Firmware: firmware, Serial: serial,
		Hardware: model, Users: map[string]string{"admin": "Str0ng!" + serial},
		Extra: map[string]string{"TITLE": vendor + " " + model},
		HTTP:  []httpProfile{web}, RTSP: rtsp, Planted: planted,
	}
}

// strongOnvif plants strong credentials, open ONVIF and the firmware
// check's expected state and finding IDs (see Manifest).
func strongOnvif(firmware, findings string) map[string]string {
	return map[string]string{"auth.http": "strong", "auth.rtsp": "strong", "auth.onvif": "none",
		"firmware": firmware, "firmware.findings": findings, "lockout": "none"}
}

// univiewIPC runs the firmware the CVE-2021-45039 record gives as its
// example (IPC_G6103-B6103.16.10.B25.201218); the record states no affected
// range, so the catalogue cannot say whether this unit is affected.
func univiewIPC() deviceDef {
	return onvifCamera("uniview-ipc", "Uniview", "IPC322LB-SF28-A", "IPC_G6103-B6103.16.10.B25.201218", "210235C3EN3193000001",
		genericHTTP(80, "", "Uniview", digest, nil),
		digestRTSP("", "Uniview", "/media/video1", "generic-ipcam-describe.sdp"), strongOnvif("uncatalogued", ""))
}

// hanwhaXNV shows a version in Wisenet's "x.yy.zz_YYYYMMDD_R" form, which
// the generic version scheme does not read: reported, never guessed.
func hanwhaXNV() deviceDef {
	return onvifCamera("hanwha-xnv6080r", "Hanwha Vision", "XNV-6080R", "2.21.02_20231017_R", "ZND7700000001",
		genericHTTP(80, "", "iPOLiS", digest, nil),
		digestRTSP("", "iPOLiS", "/profile2/media.smp", "hanwha-wisenet-describe.sdp"), strongOnvif("unparseable", "FW-UNKNOWN"))
}

func panasonicWVS() deviceDef {
	return onvifCamera("panasonic-wvs2131l", "Panasonic i-PRO", "WV-S2131L", "2.80", "BCA000001",
		genericHTTP(80, "", "Panasonic network device", basic, nil), nil, strongOnvif("uncatalogued", ""))
}

func sonySNC() deviceDef {
	d := onvifCamera("sony-sncwr630", "Sony", "SNC-WR630", "2.7.2", "5000001",
		genericHTTP(80, "", "Sony Network Camera SNC-WR630", basic, nil),
		openRTSP("", "/media/video1", "sony-sncwr630-describe.sdp"), strongOnvif("uncatalogued", ""))
	d.Planted["auth.rtsp"] = "none"
	return d
}

// boschFlexidome runs a 7.10 firmware, inside the CVE-2022-41677 range the
// Bosch PSIRT record gives for CPP4 to CPP7.3 cameras (up to 7.10 / 7.86).
func boschFlexidome() deviceDef {
	d := onvifCamera("bosch-flexidome", "Bosch", "FLEXIDOME IP 4000i IR", "7.10.0095", "044123456789",
		genericHTTP(80, "", "Bosch", digest, nil), nil, strongOnvif("vulnerable", "FW-VULNERABLE"))
	d.Planted["firmware.cves"] = "CVE-2022-41677"
	return d
}

func tplinkVIGI() deviceDef {
	return onvifCamera("tplink-vigi-c300hp", "TP-Link", "VIGI C300HP-4", "1.0.5 Build 220307 Rel.53425n", "Y223C0000001",
		genericHTTP(80, "", "TP-LINK IP-Camera", basic, nil),
		// Realm as TP-Link cameras send it on RTSP (field-captures tp-link-tapo).
		digestRTSP("", "TP-LINK IP-Camera", "/stream1", "tplink-vigi-describe.sdp"), strongOnvif("uncatalogued", ""))
}

func vivotekFD() deviceDef {
	return onvifCamera("vivotek-fd8169a", "Vivotek", "FD8169A", "FD8169A-VVTK-0102a", "0002D1000001",
		genericHTTP(80, "Boa/0.94.14rc21", "streaming_server", basic, nil),
		digestRTSP("", "streaming_server", "/live.sdp", "generic-ipcam-describe.sdp"), strongOnvif("uncatalogued", ""))
}

// ubiquitiUVC exposes no version anywhere: UniFi Protect cameras answer
// RTSP share links without credentials (retina ubiquiti_sdp.txt) and SSH
// (dropbear); the model shows only in the page title.
func ubiquitiUVC() deviceDef {
	return deviceDef{
		Name: "ubiquiti-uvc-g3", Type: "camera", Vendor: "Ubiquiti", Model: "UVC-G3-Bullet",
		Firmware: "4.30.0", Serial: "68D79AE46148",
		Users: map[string]string{"ubnt": "ubnt"},
		Extra: map[string]string{"TITLE": "UniFi Video"},
		HTTP:  []httpProfile{genericHTTP(80, "", "UniFi", basic, nil)},
		RTSP:  openRTSP("", "/68D79AE46148_0", "ubiquiti-uvc-describe.sdp"),
		SSH:   "SSH-2.0-dropbear_2015.67",
		Planted: map[string]string{"identity.hidden": "model,firmware", "auth.http": "default", "auth.rtsp": "none", "auth.ssh": "default",
			"auth.http.unverifiable": "the UniFi camera web login is a JavaScript form, not Basic/Digest or a documented API",
			"auth.rtsp.unverifiable": "the open stream is a per-device share path (/<MAC>_0) no route list can know",
			"firmware":               "unreadable",
			"firmware.findings":      "FW-UNKNOWN", "lockout": "none"},
	}
}
