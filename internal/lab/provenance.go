package lab

// provenance says, device by device, what the lab's replies are built
// from (see Provenance): paths under ../shared/data (its SOURCES.md and
// field-captures/SOURCES.md give origin and licence) or responses/<file>
// (responses/SOURCES.md). TestProvenance checks that every device has an
// entry and that every file exists.
var provenance = map[string]Provenance{
	"hikvision-ipc-legacy": hikvisionProvenance,
	"hikvision-ipc-locked-down": {Kind: ProvenanceDocumented,
		Sources: []string{"retina/hikvision_describe.txt",
			"field-captures/hikvision/hikvision-nvr-ERI-K104-P4_http-401_ISAPI-System-status.txt",
			"field-captures/hikvision/hikvision-ipcam_realm-IPCamera-C2189_rtsp-describe-200_TRUNCATED.txt",
			"responses/hikvision-ds2cd-isapi-401.xml", "responses/hikvision-ds2cd-root.html"},
		Note: "realm in the recorded 'IP Camera(<code>)' form (the C2189 capture, frigate#9006) with our code; " +
			"ISAPI 401 in the recorded userCheck form; SDP copied; root page written from fingerprint facts"},
	"hikvision-nvr":         hikvisionProvenance,
	"hikvision-ipc-current": hikvisionProvenance,
	"dahua-ipc":             dahuaProvenance,
	"dahua-nvr":             dahuaProvenance,
	"amcrest-ipc":           dahuaProvenance,
	"axis-m1065": {Kind: ProvenanceCapture,
		Sources: []string{"axis-kane610/test_basic_device_info__GET_ALL_PROPERTIES_RESPONSE.json",
			"axis-kane610/test_rtsp__response_L40.txt", "axis-kane610/test_rtsp__response_L48.txt",
			"axis-kane610/test_rtsp__response_L56.txt"},
		Note: "basicdeviceinfo answer and GStreamer RTSP replies copied (version and serial are placeholders); root page written"},
	"axis-m1014": {Kind: ProvenanceCapture,
		Sources: []string{"axis-discovery-ssdp-js/axis-m1014_ssdp-msearch-response.txt", "axis-discovery-ssdp-js/axis-m1014_rootdesc1.xml"},
		Note:    "SSDP answer and description copied (LOCATION and URLs point at the lab); FTP greeting from recog's Axis examples; param.cgi in the documented root.Brand listing"},
	"reolink-rlc411ws": {Kind: ProvenanceDocumented,
		Sources: []string{"retina/reolink_describe.txt", "reolinkapipy/GetDevInfo.json", "agsh-onvif/serverMockup/GetDeviceInformation.xml",
			"field-captures/reolink/reolink_rtsp-options-200_and-describe-401_live555.txt"},
		Note: "SDP copied; RTSP OPTIONS list and LIVE555 realm as recorded; api.cgi 'please login first' and identity in the recorded GetDevInfo shape (GPL: own text); ONVIF envelope of the agsh recording with this unit's values"},
	"foscam-fi9821p": {Kind: ProvenanceDocumented,
		Sources: []string{"retina/foscam_describe.txt", "agsh-onvif/serverMockup/GetDeviceInformation.xml", "responses/foscam-fi9821p-cgiproxy-denied.xml"},
		Note:    "SDP copied; CGIProxy.fcgi answer in Foscam's documented CGI_Result form; ONVIF envelope of the agsh recording"},
	"xiongmai-ipc": {Kind: ProvenanceDocumented,
		Sources: []string{"retina/h264dvr_describe.txt", "ingram/rules.csv", "agsh-onvif/serverMockup/GetDeviceInformation.xml"},
		Note:    "SDP and 'H264DVR 1.0' server copied; NETSurveillance WEB page written from the Ingram/recog title; ONVIF envelope of the agsh recording"},
	"uniview-ipc":        onvifProvenance("retina/ipcam_describe.txt", "realm constructed"),
	"hanwha-xnv6080r":    onvifProvenance("gortsplib-sdp/issue_mediamtx_3583_Wisenet_NVR.sdp", "realm 'iPOLiS' from nndefaccts' iPolis realm"),
	"panasonic-wvs2131l": onvifProvenance("field-captures/panasonic-ipro/panasonic_rtsp-MediaInput-h264_fragments_TRUNCATED.txt", "realm 'Panasonic network device' as recorded"),
	"sony-sncwr630":      onvifProvenance("gortsplib-sdp/issue_mediamtx_85_SONY_SNC_WR630.sdp", "realm constructed"),
	"bosch-flexidome":    onvifProvenance("", "realm constructed"),
	"tplink-vigi-c300hp": onvifProvenance("field-captures/tp-link-tapo/tplink_rtsp-describe-401_stream1.txt", "realm 'TP-LINK IP-Camera' and RTSP OPTIONS list as recorded (field-captures/tp-link-vigi); SDP of retina tplink_sdp.txt"),
	"vivotek-fd8169a":    onvifProvenance("retina/ipcam_describe.txt", "realm constructed"),
	"ubiquiti-uvc-g3": {Kind: ProvenanceCapture,
		Sources: []string{"retina/ubiquiti_sdp.txt"},
		Note:    "the open stream's SDP copied (its session name is the camera's MAC); title 'UniFi Video' from nndefaccts; realm constructed"},
	"mikrotik-hap-ac2": {Kind: ProvenanceConstructed,
		Sources: []string{"recog/snmp_sysdescr.xml", "recog/ftp_banners.xml", "nmap/nmap-service-probes.camera-iot-extract"},
		Note:    "banners written from recog examples and nmap facts"},
	"buffalo-wsr1166dhp": {Kind: ProvenanceConstructed,
		Sources: []string{"responses/buffalo-wsr1166dhp-rootdesc.xml", "responses/buffalo-wsr1166dhp-ssdp-igd.txt"},
		Note:    "miniupnpd replies recorded from our own peer, with the AirStation's identity put in"},
	"tapo-c211": {Kind: ProvenanceCapture,
		Sources: []string{"field-captures/tp-link-tapo/tapo-c211_fw1.3.9_rtsp-options-200.txt",
			"field-captures/tp-link-tapo/tapo-c211_fw1.3.9_rtsp-describe-401_TRUNCATED.txt", "retina/tplink_sdp.txt"},
		Note: "OPTIONS and the Basic 401 as recorded (the capture is cut after the Basic challenge, so no Digest one is sent); the SDP behind the login is retina's TP-Link"},
	"hisilicon-oem-av0": {Kind: ProvenanceCapture,
		Sources: []string{"field-captures/generic-oem-hisilicon/av0_0-camera_rtsp-options-200_describe-401_realm-RTSPD.txt", "retina/ipcam_describe.txt"},
		Note:    "OPTIONS ('Cseq' spelling) and the RTSPD Digest 401 as recorded; the lab's challenge has a space after the comma and its own nonce; the SDP behind the login is retina's generic ipcam"},
}

var hikvisionProvenance = Provenance{Kind: ProvenanceDocumented,
	Sources: []string{"retina/hikvision_describe.txt", "hikvision_next/ISAPI/System.deviceInfo/ipc1.xml",
		"responses/hikvision-ds2cd-isapi-401.xml", "responses/hikvision-ds2cd-root.html"},
	Note: "SDP copied; ISAPI deviceInfo in the element set of the recorded answer with this unit's values; " +
		"userCheck 401 in Hikvision's documented form; the model as realm and the root page written from fingerprint facts"}

var dahuaProvenance = Provenance{Kind: ProvenanceCapture,
	Sources: []string{"retina/dahua_options.txt", "retina/dahua_describe_h264_aac_onvif.txt",
		"dahua-cgi-samples/scrypted-amcrest_IP4M-1041B_getSystemInfo.txt", "dahua-cgi-samples/rroller-dahua_lorex-nvr_getSystemInfo.txt",
		"dahua-cgi-samples/rroller-dahua_getSoftwareVersion.txt"},
	Note: "'Rtsp Server/3.0' replies and SDP copied; magicBox answers in the recorded key sets with this unit's values; " +
		"realm 'Login to <serial>' as recorded (nmap, retina#62); RPC2 and the 401 text written from the documented API"}

// onvifProvenance is an ONVIF-first camera: the ONVIF envelope of the agsh
// recording filled with the vendor's documented model and version, a
// recorded SDP where there is one, and a note on its realm.
func onvifProvenance(sdp, realm string) Provenance {
	src := []string{"agsh-onvif/serverMockup/GetDeviceInformation.xml"}
	if sdp != "" {
		src = append(src, sdp)
	}
	return Provenance{Kind: ProvenanceDocumented, Sources: src,
		Note: "ONVIF envelope of the agsh recording with the vendor's model and firmware format; " + realm + "; login page written"}
}
