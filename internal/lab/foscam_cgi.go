package lab

import (
	"net/http"
)

// foscamCGI is Foscam's CGIProxy.fcgi driven by the device's auth model:
// every command carries usr/pwd in the query and answers a CGI_Result,
// result 0 with the command's fields after a good account, -2 for a
// missing or wrong one (responses/foscam-fi9821p-cgiproxy-denied.xml), -3
// (access denied) while the account is locked. No recorded exchange exists
// in shared/data: the answers follow the Foscam IPCamera CGI User Guide's
// documented format (getDevState, getDevInfo fields) with the lab device's
// identity.
func foscamCGI(h *httpDevice, w http.ResponseWriter, r *http.Request, _ []byte) bool {
	if r.URL.Path != "/cgi-bin/CGIProxy.fcgi" {
		return false
	}
	q := r.URL.Query()
	res := authMissing
	if q.Has("usr") {
		usr, pwd := q.Get("usr"), q.Get("pwd")
		res = h.d.auth.verify("http", usr, func(pw string) bool { return pw == pwd })
	}
	body := "@foscam-fi9821p-cgiproxy-denied.xml"
	switch {
	case res == authLocked:
		body = "<CGI_Result>\n    <result>-3</result>\n</CGI_Result>\n"
	case res != authOK:
	case q.Get("cmd") == "getDevState":
		body = "<CGI_Result>\n    <result>0</result>\n    <IOState>0</IOState>\n    <motionDetectAlarm>1</motionDetectAlarm>\n    <sdState>0</sdState>\n    <infraLedState>0</infraLedState>\n</CGI_Result>\n"
	case q.Get("cmd") == "getDevInfo":
		body = "<CGI_Result>\n    <result>0</result>\n    <productName>{{MODEL}}</productName>\n    <serialNo>{{SERIAL}}</serialNo>\n    <firmwareVer>{{FIRMWARE}}</firmwareVer>\n    <hardwareVer>{{HARDWARE}}</hardwareVer>\n</CGI_Result>\n"
	default:
		body = "<CGI_Result>\n    <result>-1</result>\n</CGI_Result>\n"
	}
	h.write(w, &page{Type: "text/xml", Body: body}, nil)
	return true
}
