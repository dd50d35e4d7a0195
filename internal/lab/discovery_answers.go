package lab

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// discoveryDef is a lab device as the discovery protocols see it.
type discoveryDef struct {
	deviceDef
	// MAC is the address the device states (AA:BB:CC:DD:EE:FF).
	MAC string
	// WSD answers WS-Discovery Probes with the gSOAP ProbeMatches capture.
	WSD bool
	// SADPActivated, when set, makes the device answer SADP inquiries with
	// that activation state (false: no admin password set yet).
	SADPActivated *bool
	// DHIP answers Dahua DHDiscover.search.
	DHIP bool
}

// discoveryProtocol is one protocol a discovery device answers.
type discoveryProtocol struct {
	name   string
	group  netip.AddrPort
	answer func(req []byte, d *device) [][]byte
}

// protocols lists the protocols def answers, in manifest order.
func (def discoveryDef) protocols() []discoveryProtocol {
	var out []discoveryProtocol
	if def.WSD {
		out = append(out, discoveryProtocol{ProtoWSDiscovery, WSDiscoveryGroup, answerWSD})
	}
	if def.SSDP != nil {
		out = append(out, discoveryProtocol{ProtoSSDP, SSDPGroup,
			func(req []byte, d *device) [][]byte { return answerSSDP(req, d, d.def.SSDP) }})
	}
	if def.SADPActivated != nil {
		out = append(out, discoveryProtocol{ProtoSADP, SADPGroup, answerSADP})
	}
	if def.DHIP {
		out = append(out, discoveryProtocol{ProtoDHIP, DHIPGroup, answerDHIP})
	}
	return out
}

// discoveryTable is the discovery lab: real lab devices (identity from
// deviceTable) plus one factory-new Hikvision camera that SADP reports as
// not activated.
func discoveryTable() []discoveryDef {
	byName := map[string]deviceDef{}
	for _, d := range deviceTable() {
		byName[d.Name] = d
	}
	// The factory-new camera is the locked-down model and firmware
	// (DS-2CD2042WD-I V5.4.5) before anyone set its password.
	fresh := byName["hikvision-ipc-locked-down"]
	fresh.Name, fresh.Serial = "hikvision-ipc-not-activated", "DS-2CD2042WD-I20170123AAWR700000099"
	fresh.Planted = nil
	return []discoveryDef{
		{deviceDef: byName["hikvision-ipc-current"], MAC: "C0:56:E3:00:00:23", WSD: true, SADPActivated: new(true)},
		{deviceDef: fresh, MAC: "C0:56:E3:00:00:99", SADPActivated: new(false)},
		{deviceDef: byName["hikvision-nvr"], MAC: "E0:44:CF:00:00:03", SADPActivated: new(true)},
		{deviceDef: byName["dahua-ipc"], MAC: "08:ED:ED:00:00:05", WSD: true, DHIP: true},
		{deviceDef: byName["amcrest-ipc"], MAC: "00:65:1E:00:00:07", DHIP: true},
		{deviceDef: byName["axis-m1065"], MAC: "AC:CC:12:34:56:78", WSD: true},
		{deviceDef: byName["axis-m1014"], MAC: "AC:CC:8E:27:0A:D8"},
		{deviceDef: byName["buffalo-wsr1166dhp"], MAC: "40:16:7E:00:00:01"},
	}
}

// answerWSD answers a WS-Discovery Probe (SOAP envelope whose body is a
// Probe) with the gSOAP ProbeMatches capture, relating to its MessageID.
func answerWSD(req []byte, d *device) [][]byte {
	id, ok := wsdProbeID(req)
	if !ok {
		return nil
	}
	return [][]byte{[]byte(d.render(response("onvif-gsoap-probematches.xml"), map[string]string{
		"MESSAGE_ID": newUUID(), "RELATES_TO": xmlEscape(id), "WSD_UUID": deviceUUID(d),
		"WSD_NAME": url.PathEscape(d.def.Vendor), "WSD_HARDWARE": url.PathEscape(d.def.Model),
	}))}
}

// wsdProbeID returns the MessageID of a Probe, read with encoding/xml
// (strict, no directives).
func wsdProbeID(req []byte) (string, bool) {
	dec := xml.NewDecoder(bytes.NewReader(req))
	var id string
	var inID, probe bool
	for range 256 {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.Directive:
			return "", false
		case xml.StartElement:
			inID = t.Name.Local == "MessageID"
			probe = probe || (t.Name.Local == "Probe" && t.Name.Space == "http://schemas.xmlsoap.org/ws/2005/04/discovery")
		case xml.CharData:
			if inID && id == "" {
				id = strings.TrimSpace(string(t))
			}
		case xml.EndElement:
			inID = false
		}
	}
	return id, probe && id != ""
}

// answerSADP answers an SADP inquiry (<Probe> with Types "inquiry"),
// echoing its Uuid.
func answerSADP(req []byte, d *device) [][]byte {
	var p struct {
		XMLName xml.Name `xml:"Probe"`
		Uuid    string   `xml:"Uuid"`
		Types   string   `xml:"Types"`
	}
	if bytes.Contains(req, []byte("<!")) || xml.Unmarshal(req, &p) != nil || strings.TrimSpace(p.Types) != "inquiry" {
		return nil
	}
	return [][]byte{[]byte(d.render(response("hikvision-sadp-probematch.xml"), map[string]string{
		"SADP_UUID": xmlEscape(strings.TrimSpace(p.Uuid)), "SADP_TYPE": sadpType(d.def.Type),
		"SADP_BUILD": d.vars["BUILD"], "MAC_DASH": strings.ToLower(strings.ReplaceAll(d.vars["MAC"], ":", "-")),
	}))}
}

// sadpType is the numeric device class SADP reports (values as seen in
// SADP answers of cameras and NVRs; facts only).
func sadpType(kind string) string {
	if kind == "nvr" {
		return "20101"
	}
	return "138603"
}

// DHIP framing: 32-byte header (little-endian header length 0x20, "DHIP",
// 8 bytes of session/id, the JSON length twice each followed by 4 zero
// bytes), then the JSON body.
const dhipHeaderLen = 32

// answerDHIP answers a DHDiscover.search with client.notifyDevInfo.
func answerDHIP(req []byte, d *device) [][]byte {
	if len(req) < dhipHeaderLen || string(req[4:8]) != "DHIP" {
		return nil
	}
	var m struct {
		Method string `json:"method"`
	}
	if json.Unmarshal(req[dhipHeaderLen:], &m) != nil || m.Method != "DHDiscover.search" {
		return nil
	}
	class := "IPC"
	if d.def.Type == "nvr" {
		class = "NVR"
	}
	body := d.render(response("dahua-dhip-notifydevinfo.json"), map[string]string{
		"DHIP_CLASS": class, "DHIP_VENDOR": d.def.Vendor, "MAC": strings.ToLower(d.vars["MAC"]),
	})
	b := make([]byte, dhipHeaderLen, dhipHeaderLen+len(body))
	binary.LittleEndian.PutUint32(b[0:], dhipHeaderLen)
	copy(b[4:], "DHIP")
	binary.LittleEndian.PutUint32(b[16:], uint32(len(body)))
	binary.LittleEndian.PutUint32(b[24:], uint32(len(body)))
	return [][]byte{append(b, body...)}
}

func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// deviceUUID is the device's stable endpoint UUID, derived from its MAC.
func deviceUUID(d *device) string {
	mac := strings.ToLower(strings.ReplaceAll(d.vars["MAC"], ":", ""))
	return "5f5a6e2c-0000-4000-8000-" + fmt.Sprintf("%012s", mac)
}
