package probe

// Field keys that probes write into Service.Fields and fingerprint rules
// read. A key is "<protocol>.<what>"; values are the device's own text,
// made printable and truncated by the probe. Fields marked "one a line"
// are multi-valued (Service.AppendField, FieldValues): rules are tried on
// each value.
const (
	FieldHTTPStatus        = "http.status"           // "200", "401"...
	FieldHTTPServer        = "http.server"           // Server headers of every reply, one a line (the root page's first)
	FieldHTTPTitle         = "http.title"            // <title> of the root page
	FieldHTTPWWWAuth       = "http.www_authenticate" // raw WWW-Authenticate headers of every 401 on any path, one a line
	FieldHTTPAuthScheme    = "http.auth_scheme"      // "Basic", "Digest" of the root page's challenge
	FieldHTTPRealm         = "http.realm"            // realms of every 401 on any path, one a line (the root page's first)
	FieldHTTPLocation      = "http.location"         // redirect target of /
	FieldHTTPCookies       = "http.cookies"          // Set-Cookie names, comma separated
	FieldHTTPFaviconMD5    = "http.favicon_md5"      // hex MD5 of /favicon.ico (recog, Ingram)
	FieldHTTPFaviconMMH3   = "http.favicon_mmh3"     // Shodan-style murmur3 of base64 favicon
	FieldHTTPBodyHints     = "http.body_hints"       // what the catalogue's body rules found in the root page (and the page one redirect behind it), one a line
	FieldHTTPAPI           = "http.api"              // vendor API that answered: "isapi", "vapix", "dahua-cgi", "reolink-api"...
	FieldTLSSubject        = "tls.subject"
	FieldTLSIssuer         = "tls.issuer"
	FieldTLSSelfSigned     = "tls.self_signed"       // "true"/"false"
	FieldTLSNotAfter       = "tls.not_after"         // RFC 3339
	FieldRTSPServer        = "rtsp.server"           // Server headers of every reply, one a line
	FieldRTSPWWWAuth       = "rtsp.www_authenticate" // raw WWW-Authenticate headers, one a line
	FieldRTSPPublic        = "rtsp.public"
	FieldRTSPStatus        = "rtsp.describe_status" // status code of DESCRIBE without credentials
	FieldRTSPAuthScheme    = "rtsp.auth_scheme"
	FieldRTSPRealm         = "rtsp.realm"        // realms offered, one a line
	FieldRTSPPath          = "rtsp.path"         // path used for DESCRIBE
	FieldRTSPSDP           = "rtsp.sdp"          // SDP when DESCRIBE answered 200
	FieldRTSPContentBase   = "rtsp.content_base" // stream URL of a 200 DESCRIBE (Content-Base resolved, no user information)
	FieldRTSPRoute         = "rtsp.route"        // a well-known route (not "/") that answered DESCRIBE with other than 404
	FieldONVIFManufacturer = "onvif.manufacturer"
	FieldONVIFModel        = "onvif.model"
	FieldONVIFFirmware     = "onvif.firmware"
	FieldONVIFSerial       = "onvif.serial"
	FieldONVIFHardwareID   = "onvif.hardware_id"
	FieldONVIFDeviceTime   = "onvif.device_time"      // UTC from GetSystemDateAndTime, RFC 3339
	FieldONVIFInfoAuth     = "onvif.info_auth"        // "open" or "required" for GetDeviceInformation
	FieldONVIFHTTPAuth     = "onvif.http_auth"        // "required" when the device service answers HTTP 401 before any SOAP
	FieldONVIFWWWAuth      = "onvif.www_authenticate" // WWW-Authenticate of the device service's 401
	FieldONVIFRealm        = "onvif.realm"            // realm of that challenge
	FieldTelnetBanner      = "telnet.banner"
	FieldTelnetPrompt      = "telnet.prompt"
	FieldSSHBanner         = "ssh.banner"
	FieldFTPBanner         = "ftp.banner"
	FieldSNMPSysDescr      = "snmp.sysdescr"
	FieldSNMPSysObjectID   = "snmp.sysobjectid"
	FieldSNMPCommunity     = "snmp.community" // community that answered
	FieldSNMPPrivate       = "snmp.private"   // vendor MIB identity objects that answered, "OID=value" one a line (snmp.IdentityOIDs)
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
	FieldUPnPFirmware      = "upnp.firmware" // firmwareVersion element (Belkin WeMo and others)
	FieldUPnPUSN           = "upnp.usn"      // USN of the first answer
	FieldWSDName           = "wsd.name"      // WS-Discovery onvif name/ scope
	FieldWSDHardware       = "wsd.hardware"  // WS-Discovery onvif hardware/ scope
	FieldWSDEndpoint       = "wsd.endpoint"  // WS-Discovery EndpointReference address
	FieldWSDScopes         = "wsd.scopes"    // values of every onvif:// scope, one a line
	FieldSDKVendor         = "sdk.vendor"    // vendor whose SDK port this is ("hikvision", "dahua", "xiongmai")
)

// The stream the password check opened (without a password, or with a
// credential that worked): its SDP, Content-Base (resolved, no user
// information) and path, and how it was opened ("without a password",
// "read after login with the factory default"...). Identification reads
// them again after the check (fingerprint.Refresh).
const (
	FieldRTSPStreamSDP    = "rtsp.stream_sdp"
	FieldRTSPStreamBase   = "rtsp.stream_content_base"
	FieldRTSPStreamRoute  = "rtsp.stream_route"
	FieldRTSPStreamOpened = "rtsp.stream_opened"
)
