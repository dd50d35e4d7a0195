package exposure

import (
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
)

// Service protocols this check reads (probe.Service.Protocol).
const (
	protoTelnet     = "telnet"
	protoFTP        = "ftp"
	protoSSH        = "ssh"
	protoSNMP       = "snmp"
	protoUPnP       = "upnp"
	protoONVIF      = "onvif"
	protoHTTP       = "http"
	protoHTTPS      = "https"
	protoHikSDK     = "hikvision-sdk"
	protoDahuaSDK   = "dahua-sdk"
	protoXMeyeSDK   = "xmeye-sdk"
	protoXMeyeDebug = "xmeye-debug"
)

// passive adds the findings that follow from the identified services
// alone; it sends nothing.
func passive(fs *findings, d *device.Device, now time.Time) {
	descPorts := upnpDescriptionPorts(d)
	hasTLS := false
	for i := range d.Services {
		if s := &d.Services[i]; s.Status == probe.StatusIdentified && isWeb(s) && s.TLS {
			hasTLS = true
		}
	}
	for i := range d.Services {
		s := &d.Services[i]
		if s.Status != probe.StatusIdentified {
			continue
		}
		switch s.Protocol {
		case protoTelnet:
			fs.add(IDTelnet, finding.SevHigh, s, map[string]string{
				"banner": s.Fields[probe.FieldTelnetBanner], "prompt": s.Fields[probe.FieldTelnetPrompt]})
		case protoFTP:
			fs.add(IDFTP, finding.SevMedium, s, map[string]string{"banner": s.Fields[probe.FieldFTPBanner]})
		case protoSNMP:
			snmp(fs, s)
		case protoUPnP:
			if !isGateway(d, s) {
				fs.add(IDUPnP, finding.SevLow, s, map[string]string{
					"server": s.Fields[probe.FieldUPnPServer], "location": s.Fields[probe.FieldUPnPLocation],
					"device_type": s.Fields[probe.FieldUPnPDeviceType]})
			}
		case protoONVIF:
			if s.Fields[probe.FieldONVIFInfoAuth] == "open" {
				fs.add(IDONVIFNoAuth, finding.SevMedium, s, map[string]string{
					"manufacturer": s.Fields[probe.FieldONVIFManufacturer], "model": s.Fields[probe.FieldONVIFModel],
					"firmware": s.Fields[probe.FieldONVIFFirmware], "request": "GetDeviceInformation without WS-Security"})
			}
		case protoHikSDK, protoDahuaSDK, protoXMeyeSDK:
			if !fs.sdkPlausible(s) {
				continue
			}
			fs.add(IDVendorSDK, finding.SevLow, s, map[string]string{"sdk": s.Protocol, "vendor": s.Fields[probe.FieldSDKVendor]})
		case protoXMeyeDebug:
			if !fs.sdkPlausible(s) {
				continue
			}
			fs.add(IDDebugPort, finding.SevHigh, s, map[string]string{"sdk": s.Protocol, "vendor": s.Fields[probe.FieldSDKVendor]})
		}
		if isWeb(s) && !s.TLS && !hasTLS && !descPorts[s.Port] {
			fs.add(IDHTTPNoTLS, finding.SevInfo, s, map[string]string{
				"status": s.Fields[probe.FieldHTTPStatus], "server": s.Fields[probe.FieldHTTPServer],
				"title": s.Fields[probe.FieldHTTPTitle]})
		}
		if isWeb(s) && s.TLS {
			tlsCert(fs, s, now)
		}
	}
}

// isWeb reports an HTTP or HTTPS service (ONVIF, layered on the same
// port, is not counted twice).
func isWeb(s *probe.Service) bool { return s.Protocol == protoHTTP || s.Protocol == protoHTTPS }

// snmp reports a community that answered; the community itself is a
// credential, so only the well-known factory ones are named.
func snmp(fs *findings, s *probe.Service) {
	c := s.Fields[probe.FieldSNMPCommunity]
	if c == "" {
		return
	}
	shown := "(not shown)"
	if c == "public" || c == "private" {
		shown = c + " (factory default)"
	}
	fs.add(IDSNMP, finding.SevMedium, s, map[string]string{
		"community": shown, "sysdescr": s.Fields[probe.FieldSNMPSysDescr]})
	if c == "private" {
		fs.raise(IDSNMP, finding.SevHigh)
	}
}

// tlsCert reports an expired or self-signed certificate (informational: a
// camera's own certificate is normally self-signed).
func tlsCert(fs *findings, s *probe.Service, now time.Time) {
	var why []string
	if s.Fields[probe.FieldTLSSelfSigned] == "true" {
		why = append(why, "self-signed")
	}
	if na, err := time.Parse(time.RFC3339, s.Fields[probe.FieldTLSNotAfter]); err == nil && now.After(na) {
		why = append(why, "expired")
	}
	if len(why) == 0 {
		return
	}
	fs.add(IDTLSCert, finding.SevInfo, s, map[string]string{
		"reason": strings.Join(why, ","), "subject": s.Fields[probe.FieldTLSSubject],
		"issuer": s.Fields[probe.FieldTLSIssuer], "not_after": s.Fields[probe.FieldTLSNotAfter]})
}

// isGateway reports an SSDP answer that belongs to a router: its Internet
// Gateway Device is the port-mapping check's business, not a camera's
// unused function.
func isGateway(d *device.Device, s *probe.Service) bool {
	if d.Kind() == device.KindRouter {
		return true
	}
	for _, v := range []string{s.Fields[probe.FieldUPnPDeviceType], s.Fields[probe.FieldUPnPST]} {
		if strings.Contains(v, "InternetGatewayDevice") || strings.Contains(v, "WANIPConnection") {
			return true
		}
	}
	return false
}

// upnpDescriptionPorts returns the TCP ports the device's SSDP LOCATION
// points at on its own address: they serve the UPnP description, not an
// admin interface.
func upnpDescriptionPorts(d *device.Device) map[uint16]bool {
	out := map[uint16]bool{}
	for i := range d.Services {
		loc := d.Services[i].Fields[probe.FieldUPnPLocation]
		if loc == "" {
			continue
		}
		u, err := url.Parse(loc)
		if err != nil {
			continue
		}
		host, port := u.Hostname(), u.Port()
		if ip := net.ParseIP(host); ip == nil || !ip.Equal(net.IP(d.Address.AsSlice())) {
			continue
		}
		if p, err := strconv.ParseUint(port, 10, 16); err == nil {
			out[uint16(p)] = true
		}
	}
	return out
}

// sdkMakers is the platform maker of each SDK protocol.
var sdkMakers = map[string]string{
	protoHikSDK: "hikvision", protoDahuaSDK: "dahua", protoXMeyeSDK: "xiongmai", protoXMeyeDebug: "xiongmai",
}

// sdkPlausible reports whether an open SDK port can be that SDK: the
// device's platform is unknown or is the SDK's maker.
func (f *findings) sdkPlausible(s *probe.Service) bool {
	return f.platform == "" || f.platform == sdkMakers[s.Protocol]
}
