package probe

// Field keys that probes write into Service.Fields and fingerprint rules
// read. A key is "<protocol>.<what>"; values are the device's own text,
// made printable and truncated by the probe.
const (
	FieldHTTPStatus        = "http.status"           // "200", "401"...
	FieldHTTPServer        = "http.server"           // Server header
	FieldHTTPTitle         = "http.title"            // <title> of the root page
	FieldHTTPWWWAuth       = "http.www_authenticate" // raw first WWW-Authenticate header
	FieldHTTPAuthScheme    = "http.auth_scheme"      // "Basic", "Digest"
	FieldHTTPRealm         = "http.realm"            // realm of the challenge
	FieldHTTPLocation      = "http.location"         // redirect target of /
	FieldHTTPCookies       = "http.cookies"          // Set-Cookie names, comma separated
	FieldHTTPFaviconMD5    = "http.favicon_md5"      // hex MD5 of /favicon.ico (recog, Ingram)
	FieldHTTPFaviconMMH3   = "http.favicon_mmh3"     // Shodan-style murmur3 of base64 favicon
	FieldHTTPBodyHints     = "http.body_hints"       // vendor markers found in the root page body
	FieldHTTPAPI           = "http.api"              // vendor API that answered: "isapi", "vapix", "dahua-cgi", "reolink-api"...
	FieldTLSSubject        = "tls.subject"
	FieldTLSIssuer         = "tls.issuer"
	FieldTLSSelfSigned     = "tls.self_signed" // "true"/"false"
	FieldTLSNotAfter       = "tls.not_after"   // RFC 3339
	FieldRTSPServer        = "rtsp.server"
	FieldRTSPPublic        = "rtsp.public"
	FieldRTSPStatus        = "rtsp.describe_status" // status code of DESCRIBE without credentials
	FieldRTSPAuthScheme    = "rtsp.auth_scheme"
	FieldRTSPRealm         = "rtsp.realm"
	FieldRTSPPath          = "rtsp.path"         // path used for DESCRIBE
	FieldRTSPSDP           = "rtsp.sdp"          // SDP when DESCRIBE answered 200
	FieldRTSPContentBase   = "rtsp.content_base" // stream URL of a 200 DESCRIBE (Content-Base resolved, no user information)
	FieldONVIFManufacturer = "onvif.manufacturer"
	FieldONVIFModel        = "onvif.model"
	FieldONVIFFirmware     = "onvif.firmware"
	FieldONVIFSerial       = "onvif.serial"
	FieldONVIFHardwareID   = "onvif.hardware_id"
	FieldONVIFDeviceTime   = "onvif.device_time" // UTC from GetSystemDateAndTime, RFC 3339
	FieldONVIFInfoAuth     = "onvif.info_auth"   // "open" or "required" for GetDeviceInformation
	FieldTelnetBanner      = "telnet.banner"
	FieldTelnetPrompt      = "telnet.prompt"
	FieldSSHBanner         = "ssh.banner"
	FieldFTPBanner         = "ftp.banner"
	FieldSNMPSysDescr      = "snmp.sysdescr"
	FieldSNMPSysObjectID   = "snmp.sysobjectid"
	FieldSNMPCommunity     = "snmp.community" // community that answered
	FieldUPnPServer        = "upnp.server"
	FieldUPnPLocation      = "upnp.location"
	FieldUPnPST            = "upnp.st"
	FieldUPnPManufacturer  = "upnp.manufacturer"
	FieldUPnPModelName     = "upnp.model_name"
	FieldUPnPModelNumber   = "upnp.model_number"
	FieldUPnPModelDesc     = "upnp.model_description"
	FieldUPnPSerial        = "upnp.serial"
	FieldUPnPFriendlyName  = "upnp.friendly_name"
	FieldUPnPDeviceType    = "upnp.device_type"
	FieldSDKVendor         = "sdk.vendor" // vendor whose SDK port this is ("hikvision", "dahua", "xiongmai")
)
