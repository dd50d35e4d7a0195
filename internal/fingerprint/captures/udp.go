package captures

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"

	"github.com/gosnmp/gosnmp"
)

// ssdpAnswers turns a captured M-SEARCH answer (raw, or one Home Assistant
// JSON header dict a line; a NOTIFY's NT becomes the answer's ST) into
// answer datagrams whose LOCATION points at location.
func ssdpAnswers(b []byte, location string) ([][]byte, error) {
	var heads [][]string
	if t := strings.TrimSpace(string(b)); strings.HasPrefix(t, "{") {
		for _, l := range strings.Split(t, "\n") {
			if h := haHeaders(strings.TrimSpace(l)); h != nil {
				heads = append(heads, h)
			}
		}
	} else {
		for _, m := range splitMessages(b) {
			heads = append(heads, m.header)
		}
	}
	var out [][]byte
	for _, h := range heads {
		var sb strings.Builder
		sb.WriteString("HTTP/1.1 200 OK\r\n")
		for _, line := range h {
			k, v, _ := strings.Cut(line, ":")
			switch strings.ToUpper(strings.TrimSpace(k)) {
			case "LOCATION":
				line = k + ": " + location
			case "NT":
				line = "ST: " + strings.TrimSpace(v)
			case "HOST", "NTS":
				continue
			}
			sb.WriteString(line + "\r\n")
		}
		sb.WriteString("\r\n")
		out = append(out, []byte(sb.String()))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no ssdp answer in the capture")
	}
	return out, nil
}

// neutralSSDP is the answer served for a device whose capture holds only
// its description: it names nothing but where the description is.
func neutralSSDP(location string) [][]byte {
	return [][]byte{[]byte("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\nST: upnp:rootdevice\r\n" +
		"USN: uuid:00000000-0000-0000-0000-000000000000::upnp:rootdevice\r\nLOCATION: " + location + "\r\n\r\n")}
}

// descFake serves a UPnP description on any path (or 404 without one).
type descFake struct{ desc []byte }

func (f *descFake) serve(c net.Conn) {
	req, err := http.ReadRequest(bufio.NewReader(c))
	if err != nil {
		return
	}
	_ = req.Body.Close()
	m := message{start: "HTTP/1.1 404 Not Found"}
	if f.desc != nil {
		m = message{start: "HTTP/1.1 200 OK", header: []string{`Content-Type: text/xml; charset="utf-8"`}, body: f.desc}
	}
	_, _ = c.Write(m.encode("", "Connection: close"))
}

var reSnmprec = regexp.MustCompile(`^\.?([\d.]+)\|(\d+x?)\|(.*)$`)

// snmpAgent answers SNMP GETs from an snmpsim recording ("oid|type|value"):
// OCTET STRING (4) and OBJECT IDENTIFIER (6) values; any other object is
// noSuchObject, as an agent without it answers.
type snmpAgent struct{ values map[string]gosnmp.SnmpPDU }

func newSNMPAgent(b []byte) *snmpAgent {
	a := &snmpAgent{values: map[string]gosnmp.SnmpPDU{}}
	for _, l := range strings.Split(string(b), "\n") {
		m := reSnmprec.FindStringSubmatch(strings.TrimSpace(l))
		if m == nil {
			continue
		}
		oid := "." + m[1]
		switch m[2] {
		case "4":
			a.values[oid] = gosnmp.SnmpPDU{Name: oid, Type: gosnmp.OctetString, Value: []byte(m[3])}
		case "6":
			a.values[oid] = gosnmp.SnmpPDU{Name: oid, Type: gosnmp.ObjectIdentifier, Value: "." + strings.TrimPrefix(m[3], ".")}
		}
	}
	return a
}

func (a *snmpAgent) answer(req []byte) [][]byte {
	in, err := (&gosnmp.GoSNMP{}).SnmpDecodePacket(req)
	if err != nil || in.PDUType != gosnmp.GetRequest {
		return nil
	}
	out := &gosnmp.SnmpPacket{Version: in.Version, Community: in.Community, PDUType: gosnmp.GetResponse, RequestID: in.RequestID}
	for _, v := range in.Variables {
		pdu, ok := a.values[v.Name]
		if !ok {
			pdu = gosnmp.SnmpPDU{Name: v.Name, Type: gosnmp.NoSuchObject}
		}
		out.Variables = append(out.Variables, pdu)
	}
	b, err := out.MarshalMsg()
	if err != nil {
		return nil
	}
	return [][]byte{b}
}

// telnetText is what the device sent in a session transcript before the
// first login prompt: the client's own lines (the command, "Trying...",
// "Connected to...", "Escape character is...") are dropped.
func telnetText(b []byte) []byte {
	lines := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	for len(lines) > 0 {
		l := lines[0]
		if strings.Contains(l, "telnet ") || strings.HasPrefix(l, "Trying ") ||
			strings.HasPrefix(l, "Connected to ") || strings.HasPrefix(l, "Escape character") {
			lines = lines[1:]
			continue
		}
		break
	}
	text := strings.Join(lines, "\r\n")
	if i := strings.Index(strings.ToLower(text), "login:"); i >= 0 {
		text = text[:i+len("login:")] + " "
	}
	return []byte(text)
}
