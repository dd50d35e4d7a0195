package snmp

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
	"github.com/gosnmp/gosnmp"
)

const (
	captureID    = 0x435a4cce // request ID of the captured exchange
	captureDescr = "Hikvision IP Camera DS-2CD2042WD-I (test lab, net-snmp)"
	captureOID   = ".1.3.6.1.4.1.39165.1.1"
)

// agent runs a fake SNMP agent on loopback UDP: answer gets each request
// (and its 1-based number) and returns the datagrams to send back.
func agent(t *testing.T, answer func(req []byte, n int) [][]byte) (probe.Target, *atomic.Int32) {
	t.Helper()
	var count atomic.Int32
	tgt := probetest.ServeUDP(t, func(req []byte) [][]byte { return answer(req, int(count.Add(1))) })
	return tgt, &count
}

// twoObjects answers req with the sysDescr and sysObjectID of the capture.
func twoObjects(t *testing.T, req []byte) []byte {
	g := &gosnmp.GoSNMP{Version: gosnmp.Version2c, Community: "public"}
	in, err := g.SnmpDecodePacket(req)
	if err != nil {
		t.Errorf("agent: bad request: %v", err)
		return nil
	}
	out := g.MkSnmpPacket(gosnmp.GetResponse, []gosnmp.SnmpPDU{
		{Name: OIDSysDescr, Type: gosnmp.OctetString, Value: []byte(captureDescr)},
		{Name: OIDSysObjectID, Type: gosnmp.ObjectIdentifier, Value: captureOID},
	}, 0, 0)
	out.RequestID = in.RequestID
	b, err := out.MarshalMsg()
	if err != nil {
		t.Errorf("agent: marshal: %v", err)
	}
	return b
}

func TestProbe(t *testing.T) {
	capture := probetest.Fixture(t, "netsnmp-5.9.3-sysdescr-response.bin")
	fixedID := func() uint32 { return captureID }
	tests := []struct {
		name       string
		answer     func(req []byte, n int) [][]byte
		fixedID    bool
		wantStatus probe.Status // "" means ErrNoMatch with no service
		wantDescr  string
		wantOID    string
		wantReqs   int32
	}{
		{name: "net-snmp capture replayed", fixedID: true, wantStatus: probe.StatusIdentified, wantDescr: captureDescr, wantReqs: 1,
			answer: func([]byte, int) [][]byte { return [][]byte{capture} }},
		{name: "both objects", wantStatus: probe.StatusIdentified, wantDescr: captureDescr, wantOID: captureOID, wantReqs: 1,
			answer: func(req []byte, _ int) [][]byte { return [][]byte{twoObjects(t, req)} }},
		{name: "answer to another request is ignored", wantStatus: probe.StatusIdentified, wantDescr: captureDescr, wantOID: captureOID, wantReqs: 1,
			answer: func(req []byte, _ int) [][]byte { return [][]byte{capture, twoObjects(t, req)} }},
		{name: "first request lost, retry answered", wantStatus: probe.StatusIdentified, wantDescr: captureDescr, wantOID: captureOID, wantReqs: 2,
			answer: func(req []byte, n int) [][]byte {
				if n == 1 {
					return nil
				}
				return [][]byte{twoObjects(t, req)}
			}},
		{name: "silent agent (wrong community)", wantReqs: 2,
			answer: func([]byte, int) [][]byte { return nil }},
		{name: "garbage answer", wantStatus: probe.StatusMalformed, wantReqs: 1,
			answer: func([]byte, int) [][]byte { return [][]byte{[]byte("HTTP/1.1 400 Bad Request\r\n\r\n")} }},
		{name: "oversized answer", wantStatus: probe.StatusTooLarge, wantReqs: 1,
			answer: func([]byte, int) [][]byte { return [][]byte{bytes.Repeat([]byte{0x30}, MaxPacket+100)} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tgt, count := agent(t, tc.answer)
			p := Probe{}
			if tc.fixedID {
				p.newRequestID = fixedID
			}
			ctx, cancel := context.WithTimeout(t.Context(), 600*time.Millisecond)
			defer cancel()
			s, err := p.Probe(ctx, &net.Dialer{}, tgt)
			if tc.wantStatus == "" {
				if !errors.Is(err, probe.ErrNoMatch) || s != nil {
					t.Fatalf("got %+v, %v; want ErrNoMatch", s, err)
				}
			} else {
				if s == nil || s.Status != tc.wantStatus {
					t.Fatalf("service %+v (err %v), want %q", s, err, tc.wantStatus)
				}
				if (err == nil) != (tc.wantStatus == probe.StatusIdentified) {
					t.Fatalf("err %v with status %q", err, s.Status)
				}
				if s.Fields[probe.FieldSNMPSysDescr] != tc.wantDescr || s.Fields[probe.FieldSNMPSysObjectID] != tc.wantOID {
					t.Fatalf("fields %v", s.Fields)
				}
				if tc.wantStatus == probe.StatusIdentified && (s.Fields[probe.FieldSNMPCommunity] != "public" || s.Transport != "udp") {
					t.Fatalf("service %+v", s)
				}
			}
			if got := count.Load(); got != tc.wantReqs {
				t.Fatalf("agent saw %d requests, want %d", got, tc.wantReqs)
			}
		})
	}
}

// TestRequestMatchesCapture checks that our GET is the packet snmpget sent,
// apart from asking for sysObjectID.0 too.
func TestRequestMatchesCapture(t *testing.T) {
	b, id, err := Probe{newRequestID: func() uint32 { return captureID }}.request(t.Context(), "public", false)
	if err != nil || id != captureID {
		t.Fatal(id, err)
	}
	in, err := (&gosnmp.GoSNMP{Version: gosnmp.Version2c}).SnmpDecodePacket(b)
	if err != nil {
		t.Fatal(err)
	}
	want, err := (&gosnmp.GoSNMP{Version: gosnmp.Version2c}).SnmpDecodePacket(probetest.Fixture(t, "netsnmp-5.9.3-sysdescr-request.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if in.Version != want.Version || in.Community != want.Community || in.PDUType != want.PDUType || in.RequestID != want.RequestID {
		t.Fatalf("request %+v, capture %+v", in, want)
	}
	if len(in.Variables) != 2 || in.Variables[0].Name != want.Variables[0].Name || in.Variables[1].Name != OIDSysObjectID {
		t.Fatalf("variables %+v", in.Variables)
	}
}

// TestVendorIdentityObjects: the vendor MIB identity objects asked with
// the system group are recorded when the agent has them (a Hikvision
// camera's HIK-DEVICE-MIB, values from a LibreNMS snmpsim recording of a
// DS-2CD2185FWD-I), and an agent that refuses the whole GET for objects it
// lacks (noSuchName, SNMPv1 manners) is asked for the system group alone.
func TestVendorIdentityObjects(t *testing.T) {
	hik := map[string]gosnmp.SnmpPDU{
		".1.3.6.1.4.1.39165.1.1.0": {Type: gosnmp.OctetString, Value: []byte("DS-2CD2185FWD-I")},
		".1.3.6.1.4.1.39165.1.3.0": {Type: gosnmp.OctetString, Value: []byte("V5.5.3 build 171025")},
	}
	answer := func(strict bool) func(req []byte, _ int) [][]byte {
		return func(req []byte, _ int) [][]byte {
			g := &gosnmp.GoSNMP{Version: gosnmp.Version2c, Community: "public"}
			in, err := g.SnmpDecodePacket(req)
			if err != nil {
				return nil
			}
			var vars []gosnmp.SnmpPDU
			errIndex := 0
			for i, v := range in.Variables {
				switch pdu, ok := hik[v.Name]; {
				case v.Name == OIDSysDescr:
					vars = append(vars, gosnmp.SnmpPDU{Name: v.Name, Type: gosnmp.OctetString, Value: []byte(captureDescr)})
				case ok:
					pdu.Name = v.Name
					vars = append(vars, pdu)
				case strict && errIndex == 0:
					errIndex = i + 1
					vars = append(vars, gosnmp.SnmpPDU{Name: v.Name, Type: gosnmp.Null})
				default:
					vars = append(vars, gosnmp.SnmpPDU{Name: v.Name, Type: gosnmp.NoSuchObject})
				}
			}
			out := g.MkSnmpPacket(gosnmp.GetResponse, vars, 0, 0)
			out.RequestID = in.RequestID
			if errIndex > 0 {
				out.Error, out.ErrorIndex = gosnmp.NoSuchName, uint8(errIndex)
			}
			b, _ := out.MarshalMsg()
			return [][]byte{b}
		}
	}
	for _, tc := range []struct {
		name    string
		strict  bool
		private string
		reqs    int32
	}{
		{"hikvision objects", false, "1.3.6.1.4.1.39165.1.1.0=DS-2CD2185FWD-I\n1.3.6.1.4.1.39165.1.3.0=V5.5.3 build 171025", 1},
		{"agent refusing unknown objects", true, "", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tgt, count := agent(t, answer(tc.strict))
			s, err := Probe{}.Probe(t.Context(), &net.Dialer{}, tgt)
			if err != nil || s.Status != probe.StatusIdentified {
				t.Fatalf("got %+v %v", s, err)
			}
			if s.Fields[probe.FieldSNMPPrivate] != tc.private || s.Fields[probe.FieldSNMPSysDescr] != captureDescr {
				t.Errorf("fields %q", s.Fields)
			}
			if count.Load() != tc.reqs {
				t.Errorf("%d requests, want %d", count.Load(), tc.reqs)
			}
		})
	}
}

func TestClosedPort(t *testing.T) {
	tgt := probetest.Closed(t, "udp") // the kernel answers ICMP port unreachable
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	start := time.Now()
	s, err := Probe{}.Probe(ctx, &net.Dialer{}, tgt)
	if !errors.Is(err, probe.ErrNoMatch) || s != nil {
		t.Fatalf("got %+v, %v; want ErrNoMatch", s, err)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Fatalf("closed port took %v; the ICMP error should end it early", d)
	}
}

func FuzzParseResponse(f *testing.F) {
	f.Add(probetest.Fixture(f, "netsnmp-5.9.3-sysdescr-response.bin"))
	f.Add(probetest.Fixture(f, "netsnmp-5.9.3-sysdescr-request.bin"))
	f.Fuzz(func(t *testing.T, in []byte) {
		resp, err := ParseResponse(in)
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("error %v is not ErrMalformed", err)
		}
		if err == nil && resp.SysObjectID != "" && !strings.HasPrefix(resp.SysObjectID, ".") {
			t.Fatalf("oid %q", resp.SysObjectID)
		}
	})
}
