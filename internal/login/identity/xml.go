package identity

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/camwarden/camwarden/internal/probe"
)

// Limits of the lenient XML reader.
const (
	maxXMLTokens = 20000
	maxXMLDepth  = 64
)

// ErrDoctype is returned for XML carrying a DOCTYPE: device XML never
// needs one and it is how entity bombs arrive.
var ErrDoctype = errors.New("identity: xml with doctype refused")

// xmlDoc is what the lenient reader keeps of an XML reply: the root's
// local name, the elements seen, and the first text of the wanted leaves
// by local name.
type xmlDoc struct {
	root   string
	seen   map[string]bool
	leaves map[string]string
}

// readXML reads b leniently (a cut envelope, a missing end tag or an
// unknown entity does not lose what came before), refusing any DOCTYPE;
// encoding/xml never fetches external entities. A syntax error after some
// wanted leaves were read ends the document without failing it.
func readXML(b []byte, want ...string) (xmlDoc, error) {
	doc := xmlDoc{seen: map[string]bool{}, leaves: map[string]string{}}
	dec := xml.NewDecoder(bytes.NewReader(capped(b)))
	dec.Strict = false
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var text strings.Builder
	cur, depth := "", 0
	for n := 0; n < maxXMLTokens; n++ {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if len(doc.leaves) > 0 {
				break
			}
			return doc, fmt.Errorf("decode xml: %w", err)
		}
		switch v := tok.(type) {
		case xml.Directive:
			if bytes.HasPrefix(bytes.ToUpper(bytes.TrimSpace(v)), []byte("DOCTYPE")) {
				return doc, ErrDoctype
			}
		case xml.StartElement:
			if depth++; depth > maxXMLDepth {
				return doc, errors.New("decode xml: nested too deep")
			}
			if doc.root == "" {
				doc.root = v.Name.Local
			}
			doc.seen[v.Name.Local] = true
			cur = v.Name.Local
			text.Reset()
		case xml.CharData:
			if text.Len() < MaxValue*2 {
				text.Write(v)
			}
		case xml.EndElement:
			depth--
			if v.Name.Local == cur && contains(want, cur) {
				if _, dup := doc.leaves[cur]; !dup {
					doc.leaves[cur] = strings.TrimSpace(text.String())
				}
			}
			cur = ""
		}
	}
	if doc.root == "" {
		return doc, errors.New("decode xml: no element")
	}
	return doc, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ParseISAPI reads a Hikvision /ISAPI/System/deviceInfo reply. ISAPI is
// Hikvision's and its OEMs' API: the vendor is the manufacturer element
// when present, else Hikvision with a lower confidence.
func ParseISAPI(b []byte) ([]probe.Claim, error) {
	doc, err := readXML(b, "model", "firmwareVersion", "firmwareReleasedDate", "serialNumber",
		"macAddress", "deviceType", "manufacturer")
	if err != nil {
		return nil, fmt.Errorf("isapi deviceInfo: %w", err)
	}
	l := doc.leaves
	if doc.root != "DeviceInfo" || (l["model"] == "" && l["firmwareVersion"] == "") {
		return nil, fmt.Errorf("isapi deviceInfo: root %q without model or firmware", probe.Printable([]byte(doc.root), 32))
	}
	const src = "ISAPI deviceInfo"
	out := claims(src, 0.9, probe.AttrModel, l["model"], probe.AttrFirmware, l["firmwareVersion"],
		probe.AttrBuildDate, l["firmwareReleasedDate"], probe.AttrSerial, l["serialNumber"],
		probe.AttrMAC, l["macAddress"], probe.AttrType, hikvisionKind(l["deviceType"]))
	vendor := l["manufacturer"]
	if vendor == "" {
		vendor = "Hikvision"
	}
	return append(out, claims(src, 0.7, probe.AttrVendor, vendor)...), nil
}

// hikvisionKind maps an ISAPI deviceType (IPCamera, IPDome, NVR, DVR...)
// to a device kind.
func hikvisionKind(t string) string {
	u := strings.ToUpper(t)
	switch {
	case strings.Contains(u, "NVR"), strings.Contains(u, "DVR"):
		return "nvr"
	case strings.HasPrefix(u, "IP"):
		return "camera"
	}
	return ""
}

// ParseONVIFDeviceInformation reads an ONVIF GetDeviceInformation reply
// (the SOAP envelope, or only its body as some captures and devices cut
// it). A SOAP fault is an error.
func ParseONVIFDeviceInformation(b []byte) ([]probe.Claim, error) {
	doc, err := readXML(b, "Manufacturer", "Model", "FirmwareVersion", "SerialNumber", "HardwareId")
	if err != nil {
		return nil, fmt.Errorf("onvif GetDeviceInformation: %w", err)
	}
	l := doc.leaves
	if doc.seen["Fault"] || !doc.seen["GetDeviceInformationResponse"] || (l["Model"] == "" && l["FirmwareVersion"] == "") {
		return nil, errors.New("onvif GetDeviceInformation: no device information")
	}
	const src = "ONVIF GetDeviceInformation"
	out := claims(src, 0.9, probe.AttrModel, l["Model"], probe.AttrFirmware, l["FirmwareVersion"],
		probe.AttrSerial, l["SerialNumber"], probe.AttrHardware, l["HardwareId"])
	return append(out, claims(src, 0.8, probe.AttrVendor, l["Manufacturer"])...), nil
}

// ParseFoscamDevInfo reads a Foscam CGIProxy.fcgi?cmd=getDevInfo reply
// (Foscam IPCamera CGI User Guide: CGI_Result with result 0, productName,
// serialNo, firmwareVer, hardwareVer, mac).
func ParseFoscamDevInfo(b []byte) ([]probe.Claim, error) {
	doc, err := readXML(b, "result", "productName", "serialNo", "firmwareVer", "hardwareVer", "mac")
	if err != nil {
		return nil, fmt.Errorf("foscam getDevInfo: %w", err)
	}
	l := doc.leaves
	if code, err := strconv.Atoi(l["result"]); doc.root != "CGI_Result" || err != nil || code != 0 {
		return nil, fmt.Errorf("foscam getDevInfo: result %q", probe.Printable([]byte(l["result"]), 16))
	}
	const src = "Foscam getDevInfo"
	out := claims(src, 0.9, probe.AttrModel, l["productName"], probe.AttrFirmware, l["firmwareVer"],
		probe.AttrHardware, l["hardwareVer"], probe.AttrSerial, l["serialNo"], probe.AttrMAC, l["mac"])
	if len(out) == 0 {
		return nil, errors.New("foscam getDevInfo: no device information")
	}
	return append(out, claims(src, 0.7, probe.AttrVendor, "Foscam")...), nil
}
