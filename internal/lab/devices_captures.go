package lab

// captureTable is the lab's devices built from field captures of brands
// and kinds the rest of the lab lacks; they answer exactly what the
// capture shows (see provenance.go), so what camwarden can and cannot
// tell from them is the truth about such devices.
func captureTable() []deviceDef {
	return []deviceDef{tapoC211(), hisiliconOEM()}
}

// tapoC211 is a TP-Link Tapo C211 (firmware 1.3.9 build 231019 as the
// capture's source states) seen on RTSP only, as Tapo cameras show
// themselves without their cloud app: OPTIONS without a Server header and
// a Basic challenge with realm "TP-Link IP-Camera". The RTSP account is
// one the owner creates (there is no factory default).
func tapoC211() deviceDef {
	return deviceDef{
		Name: "tapo-c211", Type: "camera", Vendor: "TP-Link", Model: "C211",
		Firmware: "1.3.9 Build 231019", Serial: "TAPO-LAB-C211-0001",
		Users: map[string]string{"camview": "Tp!c211-owner-set"},
		RTSP: &rtspProfile{
			Port: 554, Public: "OPTIONS, DESCRIBE, SETUP, TEARDOWN, PLAY, GET_PARAMETER, SET_PARAMETER",
			Auth: "basic", Realm: "TP-Link IP-Camera", Date: true,
			Routes: map[string]string{"/stream1": "tplink-vigi-describe.sdp"},
		},
		Planted: map[string]string{"identity.hidden": "model,firmware", "auth.rtsp": "strong",
			"firmware": "unreadable", "firmware.findings": "FW-UNKNOWN", "lockout": "none"},
	}
}

// hisiliconOEM is a no-name camera on HiSilicon SDK firmware (the av0_0
// stream path of VStarcam/Wanscam-type firmware): its RTSP server names
// no maker ("Cseq" spelling, Digest realm "RTSPD"), so a correct scan
// names no vendor either, and with no vendor there is nothing to look up
// in the firmware catalogue ("unidentified": no FW-* finding).
func hisiliconOEM() deviceDef {
	return deviceDef{
		Name: "hisilicon-oem-av0", Type: "camera", Vendor: "", Model: "", Firmware: "", Serial: "OEM-LAB-AV0-0001",
		Users: map[string]string{"admin": "Oem!set-by-owner-77"},
		RTSP: &rtspProfile{
			Port: 554, Public: "OPTIONS, DESCRIBE, SETUP, TEARDOWN, PLAY, PAUSE, GET_PARAMETER, SET_PARAMETER",
			Auth: "digest", Realm: "RTSPD", Date: true, CSeqHeader: "Cseq",
			Routes: map[string]string{"/tcp/av0_0": "generic-ipcam-describe.sdp"},
		},
		Planted: map[string]string{"identity.hidden": "vendor,model,firmware", "auth.rtsp": "strong",
			"firmware": "unidentified", "firmware.findings": "", "lockout": "none"},
	}
}
