package lab

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ONVIF paths of the media service: the usual one, and the single path of
// the recorded gSOAP camera whose GetCapabilities the lab serves.
const (
	onvifMediaPath    = "/onvif/media_service"
	onvifServicesPath = "/onvif/services"
)

// serveONVIFExtra answers GetCapabilities (pre-auth, ONVIF Core), GetUsers
// on the device service, and GetProfiles/GetStreamUri on the media
// service. GetUsers and the media calls answer without a WS-UsernameToken
// only on InfoOpen devices, like GetDeviceInformation. It reports whether
// it answered.
func (h *httpDevice) serveONVIFExtra(w http.ResponseWriter, r *http.Request, req string) bool {
	media := r.URL.Path == onvifMediaPath || r.URL.Path == onvifServicesPath
	device := r.URL.Path == "/onvif/device_service" || r.URL.Path == onvifServicesPath
	pg := page{Type: soapType}
	switch {
	case device && strings.Contains(req, "GetCapabilities"):
		pg.Body = "@onvif-gsoap-GetCapabilities.xml"
	case device && strings.Contains(req, "GetUsers"):
		pg.Body = "@onvif-gsoap-GetUsers.xml"
	case media && strings.Contains(req, "GetProfiles"):
		pg.Body = "@onvif-gsoap-GetProfiles.xml"
	case media && strings.Contains(req, "GetStreamUri"):
		pg.Body = "@onvif-gsoap-GetStreamUri.xml"
	case media && strings.Contains(req, "GetSystemDateAndTime"):
		pg.Body = "@onvif-gsoap-GetSystemDateAndTime.xml"
		h.write(w, &pg, deviceTimeVars(time.Now()))
		return true
	case media:
		pg.Status, pg.Body = http.StatusBadRequest, onvifActionNotSupported
	default:
		return false
	}
	if pg.Body != "@onvif-gsoap-GetCapabilities.xml" && !h.p.ONVIF.InfoOpen && !h.usernameTokenOK(req) {
		pg.Status, pg.Body = http.StatusBadRequest, onvifNotAuthorized
	}
	h.write(w, &pg, map[string]string{"PORT": strconv.Itoa(int(h.d.port(h.p.Port))), "STREAMURI": h.streamURI()})
	return true
}

// streamURI is the device's main RTSP route (the first in sorted order).
func (h *httpDevice) streamURI() string {
	rt := h.d.def.RTSP
	if rt == nil || len(rt.Routes) == 0 {
		return "rtsp://" + h.d.addr.String() + ":" + strconv.Itoa(int(h.d.port(554))) + "/"
	}
	routes := make([]string, 0, len(rt.Routes))
	for k := range rt.Routes {
		routes = append(routes, k)
	}
	slices.Sort(routes)
	return "rtsp://" + h.d.addr.String() + ":" + strconv.Itoa(int(h.d.port(rt.Port))) + routes[0]
}
