package lab

// axisM1065 uses the real basicdeviceinfo answer (Kane610/axis, MIT) and
// the real GStreamer RTSP replies (realm AXIS_<serial>). Its AXIS OS 9.80.1
// is inside the 9.80 ranges of three Axis CVE records (fixed in 9.80.84,
// 9.80.89 and 9.80.90): planted vulnerable.
func axisM1065() deviceDef {
	return deviceDef{
		Name: "axis-m1065", Type: "camera", Vendor: "Axis", Model: "M1065-LW",
		Firmware: "9.80.1", Serial: "ACCC12345678", Hardware: "70E",
		Users: map[string]string{"root": "Axis-Strong-88"},
		HTTP: []httpProfile{{
			Port: 80, Realm: "AXIS_ACCC12345678", Schemes: digest,
			Pages: []page{
				{Path: "/", Body: "@axis-m1065lw-root.html"},
				{Method: "POST", Path: "/axis-cgi/basicdeviceinfo.cgi", Contains: "getAllUnrestrictedProperties",
					Type: "application/json", Body: "@axis-m1065lw-basicdeviceinfo.json"},
				{Method: "POST", Path: "/axis-cgi/basicdeviceinfo.cgi", Auth: true,
					Type: "application/json", Body: "@axis-m1065lw-basicdeviceinfo.json"},
			},
			Unauthorized: page{Body: "<HTML><HEAD><TITLE>401 Unauthorized</TITLE></HEAD><BODY><H1>401 Unauthorized</H1></BODY></HTML>"},
			ONVIF:        onvifAuth,
		}},
		RTSP: &rtspProfile{
			Port: 554, Server: "GStreamer RTSP server", Date: true,
			Public: "OPTIONS, DESCRIBE, ANNOUNCE, GET_PARAMETER, PAUSE, PLAY, RECORD, SETUP, SET_PARAMETER, TEARDOWN",
			Auth:   "digest", Realm: "AXIS_ACCC12345678",
			Routes: map[string]string{"/axis-media/media.amp": "axis-m1065lw-describe.sdp"},
		},
		Planted: map[string]string{"auth.http": "strong", "auth.rtsp": "strong", "auth.onvif": "required",
			"firmware": "vulnerable", "firmware.findings": "FW-VULNERABLE",
			"firmware.cves": "CVE-2024-47260,CVE-2024-47262,CVE-2024-8772", "lockout": "none"},
	}
}

// axisM1014 is the real AXIS M1014 of axis-discovery-ssdp-js (Apache-2.0):
// its M-SEARCH answer and root description served on libupnp's port
// 49152. The FTP greeting follows the recog ftp_banners Axis examples.
func axisM1014() deviceDef {
	return deviceDef{
		Name: "axis-m1014", Type: "camera", Vendor: "Axis", Model: "M1014",
		Firmware: "5.50.5.7", Serial: "ACCC8E270AD8",
		Users: map[string]string{"root": "pass"},
		HTTP: []httpProfile{
			{
				Port: 80, Realm: "AXIS_ACCC8E270AD8", Schemes: digest,
				Pages: []page{{Path: "/", Body: "@axis-m1065lw-root.html"},
					// VAPIX param.cgi behind digest, as firmware 5.x serves it; the
					// body follows the documented root.Brand listing (no capture).
					{Path: "/axis-cgi/param.cgi?action=list&group=root.Brand", Auth: true, Type: "text/plain",
						Body: "root.Brand.Brand=AXIS\r\nroot.Brand.ProdFullName=AXIS M1014 Network Camera\r\nroot.Brand.ProdNbr=M1014\r\nroot.Brand.ProdType=Network Camera\r\n"}},
				Unauthorized: page{Body: "<HTML><HEAD><TITLE>401 Unauthorized</TITLE></HEAD><BODY><H1>401 Unauthorized</H1></BODY></HTML>"},
			},
			{
				Port: 49152, Server: "Linux/2.6.35, UPnP/1.0, Portable SDK for UPnP devices/1.6.18",
				Pages: []page{{Path: "/rootdesc1.xml", Type: `text/xml; charset="utf-8"`, Body: "@axis-m1014-rootdesc1.xml"}},
			},
		},
		FTP:  "AXIS M1014 Network Camera 5.50.5.7 (2017) ready.",
		SSDP: &ssdpProfile{Replies: []string{"@axis-m1014-ssdp-msearch.txt"}},
		Planted: map[string]string{"auth.http": "default", "firmware": "uncatalogued", "firmware.findings": "", "exposure.ftp": "on",
			"lockout": "none"},
	}
}
