package lan

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
)

// DHIP framing (Dahua discovery on udp/37810): a 32-byte header — little-
// endian header length 0x20, the magic "DHIP", 8 bytes of session/id, then
// the JSON length twice (each followed by 4 zero bytes) — and the JSON.
const dhipHeaderLen = 32

var dhipMagic = []byte("DHIP")

// DHIPSearch is the DHDiscover.search request; built from the documented
// format (no licence-compatible capture of the request exists).
func DHIPSearch() []byte {
	return dhipFrame([]byte(`{"method":"DHDiscover.search","params":{"mac":"","uni":1}}`))
}

func dhipFrame(body []byte) []byte {
	b := make([]byte, dhipHeaderLen, dhipHeaderLen+len(body))
	binary.LittleEndian.PutUint32(b[0:], dhipHeaderLen)
	copy(b[4:], dhipMagic)
	binary.LittleEndian.PutUint32(b[16:], uint32(len(body)))
	binary.LittleEndian.PutUint32(b[24:], uint32(len(body)))
	return append(b, body...)
}

type dhipMessage struct {
	MAC    string `json:"mac"`
	Method string `json:"method"`
	Params struct {
		DeviceInfo struct {
			DeviceType  string          `json:"DeviceType"`
			DeviceClass string          `json:"DeviceClass"`
			SerialNo    string          `json:"SerialNo"`
			Vendor      string          `json:"Vendor"`
			Version     string          `json:"Version"`
			MachineName string          `json:"MachineName"`
			HTTPPort    json.RawMessage `json:"HttpPort"`
			Port        json.RawMessage `json:"Port"`
		} `json:"deviceInfo"`
	} `json:"params"`
}

// ParseDHIP parses a DHIP discovery answer (client.notifyDevInfo).
func ParseDHIP(from netip.Addr, b []byte) ([]Found, error) {
	if len(b) < dhipHeaderLen || !bytes.Equal(b[4:8], dhipMagic) {
		return nil, fmt.Errorf("%w: dhip: no DHIP header", ErrMalformed)
	}
	n := binary.LittleEndian.Uint32(b[16:20])
	body := b[dhipHeaderLen:]
	if uint64(n) < uint64(len(body)) {
		body = body[:n]
	}
	var m dhipMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("%w: dhip json: %w", ErrMalformed, err)
	}
	if m.Method != "client.notifyDevInfo" {
		return nil, fmt.Errorf("%w: dhip method %q", ErrMalformed, clean(m.Method))
	}
	di := m.Params.DeviceInfo
	f := Found{Address: from, Protocol: DHIP, Vendor: clean(di.Vendor), Model: clean(di.DeviceType),
		Serial: clean(di.SerialNo), Firmware: clean(di.Version), Name: clean(di.MachineName),
		MAC: normaliseMAC(m.MAC), DeviceType: clean(di.DeviceClass)}
	f.Ports = ports(map[string]string{"http": rawNumber(di.HTTPPort), "sdk": rawNumber(di.Port)})
	return []Found{f}, nil
}

func rawNumber(r json.RawMessage) string {
	var n uint16
	if json.Unmarshal(r, &n) != nil {
		return ""
	}
	return strconv.Itoa(int(n))
}
