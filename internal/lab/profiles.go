package lab

import "time"

// Vendor behaviour shared by the device table. Facts (headers, realms,
// paths, lockout policies) come from recog, nmap, changeme, hikvision_next
// and the vendors' documentation; bodies are in responses/.

var (
	onvifOpen = &onvifProfile{InfoOpen: true}
	onvifAuth = &onvifProfile{}
	digest    = []string{"digest"}
	basic     = []string{"basic"}
	// hikvisionLock: 5 failed logins lock the client out of the device
	// (every account) for 30 minutes and ISAPI reports
	// lockStatus/unlockTime.
	hikvisionLock = lockPolicy{Fails: 5, For: 30 * time.Minute}
	// dahuaLock: 5 failed logins of one account lock that account for 30
	// minutes (Dahua default; Security > Account Lockout locks the
	// account, see the credential catalogue's Dahua lockout facts).
	dahuaLock = lockPolicy{Fails: 5, For: 30 * time.Minute, PerAccount: true}
)

const rtspPublicLive555 = "OPTIONS, DESCRIBE, SETUP, TEARDOWN, PLAY, PAUSE, GET_PARAMETER, SET_PARAMETER"

// hikvisionHTTP is a Hikvision web server: digest realm, ISAPI behind
// digest with the userCheck 401 body, deviceInfo open only when isapiOpen.
func hikvisionHTTP(server, realm string, isapiOpen bool, onvif *onvifProfile) httpProfile {
	return httpProfile{
		Port: 80, Server: server, Realm: realm, Schemes: digest,
		Pages: []page{
			{Path: "/", Body: "@hikvision-ds2cd-root.html"},
			{Path: "/doc/page/login.asp", Body: "@hikvision-ds2cd-root.html"},
			{Path: "/ISAPI/System/deviceInfo", Auth: !isapiOpen, Type: "application/xml", Body: "@hikvision-ds2cd-isapi-deviceinfo.xml"},
			{Path: "/ISAPI/Security/userCheck", Auth: true, Type: "application/xml", Body: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<userCheck>\n<statusValue>200</statusValue>\n<statusString>OK</statusString>\n</userCheck>\n"},
		},
		Unauthorized: page{Type: "application/xml", Body: "@hikvision-ds2cd-isapi-401.xml"},
		LockedBody:   "@hikvision-ds2cd-isapi-401-locked.xml",
		ONVIF:        onvif,
	}
}

// hikvisionRTSP is the Hikvision RTSP server (retina capture: no Server
// header) with digest on every DESCRIBE.
func hikvisionRTSP(realm string) *rtspProfile {
	return &rtspProfile{
		Port: 554, Public: "OPTIONS, DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, SET_PARAMETER, GET_PARAMETER",
		Auth: "digest", Realm: realm,
		Routes: map[string]string{
			"/Streaming/Channels/101": "hikvision-ds2cd-describe.sdp",
			"/Streaming/Channels/1":   "hikvision-ds2cd-describe.sdp",
		},
	}
}

// dahuaHTTP is a Dahua web server: digest realm "Login to <serial>",
// magicBox.cgi open or protected.
func dahuaHTTP(serial string, magicOpen bool, onvif *onvifProfile) httpProfile {
	return httpProfile{
		Port: 80, Realm: "Login to " + serial, Schemes: digest,
		Pages: []page{
			{Path: "/", Body: "@dahua-ipc-root.html"},
			{Path: "/cgi-bin/magicBox.cgi?action=getSystemInfo", Auth: !magicOpen, Type: "text/plain;charset=utf-8", Body: "@dahua-ipc-getsysteminfo.txt"},
			{Path: "/cgi-bin/magicBox.cgi?action=getSoftwareVersion", Auth: !magicOpen, Type: "text/plain;charset=utf-8", Body: "@dahua-ipc-getsoftwareversion.txt"},
		},
		Unauthorized: page{Type: "text/plain", Body: "Error\r\nInvalid Authority!\r\n"},
		ONVIF:        onvif,
		APIs:         []vendorAPI{dahuaRPC2},
	}
}

// dahuaRTSP is "Rtsp Server/3.0" (retina dahua_options.txt).
func dahuaRTSP(serial string) *rtspProfile {
	return &rtspProfile{
		Port: 554, Server: "Rtsp Server/3.0",
		Public: "OPTIONS, DESCRIBE, ANNOUNCE, SETUP, PLAY, RECORD, PAUSE, TEARDOWN, SET_PARAMETER, GET_PARAMETER",
		Auth:   "digest", Realm: "Login to " + serial,
		Routes: map[string]string{"/cam/realmonitor": "dahua-ipc-describe.sdp"},
	}
}

// genericHTTP is a login page titled title with the device's realm on
// protected paths; most ONVIF-first vendors look like this unauthenticated.
func genericHTTP(port uint16, server, realm string, schemes []string, onvif *onvifProfile) httpProfile {
	return httpProfile{
		Port: port, Server: server, Realm: realm, Schemes: schemes,
		Pages:        []page{{Path: "/", Body: "@generic-login-root.html"}},
		Unauthorized: page{Body: "<html><body><h1>401 Unauthorized</h1></body></html>"},
		ONVIF:        onvif,
	}
}

// digestRTSP is an RTSP server with one route and digest auth.
func digestRTSP(server, realm, route, sdp string) *rtspProfile {
	return &rtspProfile{
		Port: 554, Server: server, Public: rtspPublicLive555, Auth: "digest", Realm: realm,
		Routes: map[string]string{route: sdp}, Date: true,
	}
}

// openRTSP is an RTSP server that streams without credentials.
func openRTSP(server, route, sdp string) *rtspProfile {
	r := digestRTSP(server, "", route, sdp)
	r.Auth = "none"
	return r
}
