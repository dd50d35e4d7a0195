package lab

// deviceTable is the lab's devices in address order (.2 upwards). Identity
// strings are real where a capture or fingerprint exists (see
// responses/SOURCES.md); where none exists the value follows the vendor's
// documented format and its comment says so.
func deviceTable() []deviceDef {
	return append(append(cameraTable(), routerTable()...), captureTable()...)
}

func cameraTable() []deviceDef {
	return []deviceDef{
		{
			// Real model/firmware pair from hikvision_next (facts only); V5.2.0
			// build 140721 is inside the CVE-2017-7921 range and the catalogue
			// has no newer release for this model.
			Name: "hikvision-ipc-legacy", Type: "camera", Vendor: "Hikvision", Model: "DS-2CD2532F-IWS",
			Firmware: "V5.2.0", Serial: "DS-2CD2532F-IWS20140721CCCH400000001", Hardware: "0x0",
			Users: map[string]string{"admin": "12345"}, Lock: hikvisionLock,
			Extra: map[string]string{"BUILD": "build 140721", "DEVNAME": "IP CAMERA", "DEVTYPE": "IPCamera",
				"UUID": "c8e3b8e9-59b0-00b0-0000-e0b0f0b0f0a1", "MAC": "c0:56:e3:00:00:01"},
			HTTP: []httpProfile{hikvisionHTTP("App-webs/", "DS-2CD2532F-IWS", false, onvifAuth)},
			RTSP: hikvisionRTSP("DS-2CD2532F-IWS"),
			SDK:  []sdkPort{{8000, "hikvision-sdk"}},
			// The realm names the model; the version is only in ISAPI
			// deviceInfo and ONVIF, both behind the factory login.
			Planted: map[string]string{"identity.after_login": "firmware", "auth.http": "default", "auth.rtsp": "default", "auth.onvif": "default",
				"firmware": "vulnerable", "firmware.findings": "FW-VULNERABLE", "firmware.cves": "CVE-2017-7921",
				"exposure.sdk": "on", "lockout": "5/30m"},
		},
		{
			// Realm "IP Camera(<code>)" as a real Hikvision camera sends it on
			// RTSP (blakeblackshear/frigate#9006: "IP Camera(L4906)"; the
			// C2189 capture of shared/data field-captures/hikvision), used
			// here for HTTP too; recog's realm "hikvision" is its DVRs'.
			// ISAPI and ONVIF both need credentials, so neither model nor
			// version is visible without them.
			Name: "hikvision-ipc-locked-down", Type: "camera", Vendor: "Hikvision", Model: "DS-2CD2042WD-I",
			Firmware: "V5.4.5", Serial: "DS-2CD2042WD-I20170123AAWR700000002", Hardware: "0x0",
			Users: map[string]string{"admin": "Vx7!mRq2pLw9"}, Lock: hikvisionLock,
			Extra: map[string]string{"BUILD": "build 170123", "DEVNAME": "IP CAMERA", "DEVTYPE": "IPCamera",
				"UUID": "c8e3b8e9-59b0-00b0-0000-e0b0f0b0f0a2", "MAC": "c0:56:e3:00:00:02"},
			HTTP: []httpProfile{hikvisionHTTP("webserver", "IP Camera(00002)", false, onvifAuth)},
			RTSP: hikvisionRTSP("IP Camera(00002)"),
			SDK:  []sdkPort{{8000, "hikvision-sdk"}},
			Planted: map[string]string{"identity.hidden": "model,firmware", "auth.http": "strong", "auth.rtsp": "strong", "auth.onvif": "required",
				"firmware": "unreadable", "firmware.findings": "FW-UNKNOWN", "exposure.sdk": "on", "lockout": "5/30m"},
		},
		{
			// Real NVR model/firmware pair from hikvision_next (facts only);
			// the download centre has V4.62.225 build 240123 for this model.
			Name: "hikvision-nvr", Type: "nvr", Vendor: "Hikvision", Model: "DS-7608NXI-I2/8P/S",
			Firmware: "V4.62.210", Serial: "DS-7608NXI-I2/8P/S0820230619CCRRJ00000003", Hardware: "0x0",
			Users: map[string]string{"admin": "Admin123"}, Lock: hikvisionLock,
			Extra: map[string]string{"BUILD": "build 230619", "DEVNAME": "nvr", "DEVTYPE": "NVR",
				"UUID": "484a3831-3130-0000-0000-000c0000f003", "MAC": "e0:44:cf:00:00:03"},
			HTTP: []httpProfile{hikvisionHTTP("DNVRS-Webs", "DS-7608NXI-I2/8P/S", false, onvifOpen)},
			RTSP: hikvisionRTSP("DS-7608NXI-I2/8P/S"),
			SDK:  []sdkPort{{8000, "hikvision-sdk"}},
			Planted: map[string]string{"auth.http": "weak", "auth.rtsp": "weak", "auth.onvif": "none",
				"firmware": "outdated", "firmware.findings": "FW-OUTDATED", "exposure.sdk": "on", "lockout": "5/30m"},
		},
		{
			// Version and build date from a real getSoftwareVersion sample
			// (dahua-cgi-samples, facts), shown after login;
			// IPC-HFW3441T is in the IPC-HX3XXX series of CVE-2021-33044
			// (builds before 2021-06-01, KEV) but not of CVE-2021-33045
			// (before 2020-05-01). Busybox telnet with the root/vizxv
			// factory login (changeme telnet/dahua, facts).
			Name: "dahua-ipc", Type: "camera", Vendor: "Dahua", Model: "IPC-HFW3441T",
			Firmware: "2.800.0000016.0.R", BuildDate: "2020-06-05", Serial: "4G0219PAZ00004", Hardware: "IPC-HFW3441T",
			Hostname: "Dahua",
			Users:    map[string]string{"admin": "admin", "root": "vizxv"}, Lock: dahuaLock,
			HTTP:   []httpProfile{dahuaHTTP("4G0219PAZ00004", false, onvifAuth)},
			RTSP:   dahuaRTSP("4G0219PAZ00004"),
			Telnet: busyboxTelnet("", "Dahua"),
			SDK:    []sdkPort{{37777, "dahua-sdk"}},
			// magicBox (CGI and RPC2) and ONVIF want the login, as on current
			// Dahua firmware: model and version are read after it.
			Planted: map[string]string{"identity.after_login": "model,firmware", "auth.http": "default", "auth.rtsp": "default", "auth.telnet": "default",
				"auth.onvif": "default", "firmware": "vulnerable", "firmware.findings": "FW-VULNERABLE", "firmware.cves": "CVE-2021-33044",
				"exposure.telnet": "on", "exposure.sdk": "on", "lockout": "5/30m"},
		},
		{
			// Model/serial shape from the Lorex/Dahua NVR getSystemInfo sample;
			// the 4.x version follows Dahua's documented version format (no
			// real NVR version capture exists).
			Name: "dahua-nvr", Type: "nvr", Vendor: "Dahua", Model: "DHI-NVR4108HS-8P-4KS2",
			Firmware: "4.001.0000000.3.R", BuildDate: "2019-12-18", Serial: "ND0219110N00005", Hardware: "DHI-NVR4108HS-8P-4KS2",
			Users: map[string]string{"admin": "Nvr#2024secure"}, Lock: dahuaLock,
			HTTP: []httpProfile{dahuaHTTP("ND0219110N00005", true, onvifAuth)},
			RTSP: dahuaRTSP("ND0219110N00005"),
			SDK:  []sdkPort{{37777, "dahua-sdk"}},
			Planted: map[string]string{"auth.http": "strong", "auth.rtsp": "strong", "auth.onvif": "required",
				"firmware": "uncatalogued", "firmware.findings": "", "exposure.sdk": "on", "lockout": "5/30m"},
		},
		{
			// getSystemInfo shape from the real Amcrest IP4M-1041B sample
			// (koush/scrypted, MIT); version in Amcrest's format.
			Name: "amcrest-ipc", Type: "camera", Vendor: "Amcrest", Model: "IP4M-1041B",
			Firmware: "V2.800.00AC006.0.R", BuildDate: "2020-03-24", Serial: "AMC0006F1E2D3C4B5A", Hardware: "IPC-AW46WN-S2",
			Users: map[string]string{"admin": "admin"}, Lock: dahuaLock,
			HTTP: []httpProfile{dahuaHTTP("AMC0006F1E2D3C4B5A", true, onvifOpen)},
			RTSP: dahuaRTSP("AMC0006F1E2D3C4B5A"),
			SDK:  []sdkPort{{37777, "dahua-sdk"}},
			Planted: map[string]string{"auth.http": "default", "auth.rtsp": "default", "auth.onvif": "none",
				"firmware": "uncatalogued", "firmware.findings": "", "exposure.sdk": "on", "lockout": "5/30m"},
		},
		axisM1065(), axisM1014(), reolinkRLC411WS(), foscamFI9821P(), xiongmaiIPC(),
		univiewIPC(), hanwhaXNV(), panasonicWVS(), sonySNC(), boschFlexidome(), tplinkVIGI(),
		ubiquitiUVC(), vivotekFD(), hikvisionCurrent(),
	}
}

// hikvisionCurrent runs the newest firmware of the Hikvision download
// centre for its model (V5.7.23 build 260320, JoeyGE0/hikvision-fw-archive
// via the catalogue, facts only), so the firmware check reports nothing.
func hikvisionCurrent() deviceDef {
	return deviceDef{
		Name: "hikvision-ipc-current", Type: "camera", Vendor: "Hikvision", Model: "DS-2CD2386G2-IU",
		Firmware: "V5.7.23", Serial: "DS-2CD2386G2-IU20260320AAWRJ00000023", Hardware: "0x0",
		Users: map[string]string{"admin": "Qz4#tLm8!vRw2"}, Lock: hikvisionLock,
		Extra: map[string]string{"BUILD": "build 260320", "DEVNAME": "IP CAMERA", "DEVTYPE": "IPCamera",
			"UUID": "c8e3b8e9-59b0-00b0-0000-e0b0f0b0f023", "MAC": "c0:56:e3:00:00:23"},
		HTTP: []httpProfile{hikvisionHTTP("webserver", "DS-2CD2386G2-IU", false, onvifOpen),
			httpsOn(hikvisionHTTP("webserver", "DS-2CD2386G2-IU", false, nil), 443)},
		RTSP: hikvisionRTSP("DS-2CD2386G2-IU"),
		SDK:  []sdkPort{{8000, "hikvision-sdk"}},
		Planted: map[string]string{"auth.http": "strong", "auth.rtsp": "strong", "auth.onvif": "none",
			"firmware": "latest", "firmware.findings": "", "exposure.sdk": "on", "lockout": "5/30m"},
	}
}
