package lab

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"strings"
	"time"
)

// onvifProfile is how a device's ONVIF device service answers.
// GetSystemDateAndTime is always open (ONVIF Core requires it);
// GetDeviceInformation is open only when InfoOpen is set.
type onvifProfile struct {
	InfoOpen bool
}

// onvifNotAuthorized is the SOAP 1.2 fault ONVIF Core §5.12 prescribes for
// a missing or wrong WS-UsernameToken. No real recording of it exists in
// shared/data, so it is written from the documented format.
const onvifNotAuthorized = `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error"><SOAP-ENV:Body><SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Sender</SOAP-ENV:Value><SOAP-ENV:Subcode><SOAP-ENV:Value>ter:NotAuthorized</SOAP-ENV:Value></SOAP-ENV:Subcode></SOAP-ENV:Code><SOAP-ENV:Reason><SOAP-ENV:Text xml:lang="en">Sender not Authorized</SOAP-ENV:Text></SOAP-ENV:Reason></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>`

// onvifActionNotSupported answers requests the lab does not simulate.
const onvifActionNotSupported = `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error"><SOAP-ENV:Body><SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Receiver</SOAP-ENV:Value><SOAP-ENV:Subcode><SOAP-ENV:Value>ter:ActionNotSupported</SOAP-ENV:Value></SOAP-ENV:Subcode></SOAP-ENV:Code><SOAP-ENV:Reason><SOAP-ENV:Text xml:lang="en">Optional Action Not Implemented</SOAP-ENV:Text></SOAP-ENV:Reason></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>`

const soapType = "application/soap+xml; charset=utf-8"

func (h *httpDevice) serveONVIF(w http.ResponseWriter, r *http.Request, body []byte) {
	req := string(body)
	if h.serveONVIFExtra(w, r, req) {
		return
	}
	pg := page{Type: soapType}
	switch {
	case r.URL.Path != "/onvif/device_service":
		pg.Status, pg.Body = http.StatusNotFound, ""
	case strings.Contains(req, "GetSystemDateAndTime"):
		pg.Body = "@onvif-gsoap-GetSystemDateAndTime.xml"
		h.write(w, &pg, deviceTimeVars(time.Now()))
		return
	case strings.Contains(req, "GetDeviceInformation"):
		if !h.p.ONVIF.InfoOpen && !h.usernameTokenOK(req) {
			pg.Status, pg.Body = http.StatusBadRequest, onvifNotAuthorized
			break
		}
		pg.Body = "@onvif-gsoap-GetDeviceInformation.xml"
	default:
		pg.Status, pg.Body = http.StatusBadRequest, onvifActionNotSupported
	}
	h.write(w, &pg, nil)
}

// usernameTokenOK verifies a WS-Security UsernameToken PasswordDigest
// (Base64(SHA1(nonce + created + password))) through the auth model.
func (h *httpDevice) usernameTokenOK(req string) bool {
	user := xmlText(req, "Username")
	if user == "" {
		return false
	}
	nonce, created, digest := xmlText(req, "Nonce"), xmlText(req, "Created"), xmlText(req, "Password")
	return h.d.auth.verify("onvif", user, func(pw string) bool {
		return wsseDigest(nonce, created, pw) == digest
	}) == authOK
}

// xmlText returns the text of the first element with local name name, or
// "". encoding/xml never resolves external entities.
func xmlText(doc, name string) string {
	dec := xml.NewDecoder(strings.NewReader(doc))
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == name {
			var s string
			if dec.DecodeElement(&s, &se) != nil {
				return ""
			}
			return strings.TrimSpace(s)
		}
	}
}

func wsseDigest(nonceB64, created, password string) string {
	nonce, err := base64.StdEncoding.DecodeString(nonceB64)
	if err != nil {
		return ""
	}
	h := sha1.New()
	h.Write(nonce)
	h.Write([]byte(created))
	h.Write([]byte(password))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}
