package snmpauth

import (
	"bytes"
	"context"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
	"github.com/camwarden/camwarden/internal/probe/snmp"
)

// captureID is the request ID of the captured net-snmp exchange.
const captureID = 0x435a4cce

// agent is a fake SNMP agent on loopback UDP: answer returns the datagrams
// to send back for one decoded request (nil: stay silent, as an agent does
// for a wrong community).
func agent(t *testing.T, answer func(req *gosnmp.SnmpPacket) [][]byte) (probe.Target, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	tg := probetest.ServeUDP(t, func(b []byte) [][]byte {
		n.Add(1)
		req, err := (&gosnmp.GoSNMP{}).SnmpDecodePacket(b)
		if err != nil {
			return nil
		}
		return answer(req)
	})
	return tg, &n
}

// reply builds a GetResponse to req with gosnmp, with the captured sysDescr.
func reply(t *testing.T, req *gosnmp.SnmpPacket) []byte {
	g := &gosnmp.GoSNMP{Version: req.Version, Community: req.Community}
	p := g.MkSnmpPacket(gosnmp.GetResponse, []gosnmp.SnmpPDU{{Name: snmp.OIDSysDescr, Type: gosnmp.OctetString,
		Value: []byte("Hikvision IP Camera DS-2CD2042WD-I (camwarden test peer, net-snmp)")}}, 0, 0)
	p.RequestID = req.RequestID
	b, err := p.MarshalMsg()
	if err != nil {
		t.Error(err)
	}
	return b
}

func TestTry(t *testing.T) {
	capture := probetest.Fixture(t, "netsnmp-5.9.3-sysdescr-response.bin")
	tests := []struct {
		name       string
		community  string
		answer     func(t *testing.T, req *gosnmp.SnmpPacket) [][]byte
		want       login.Result
		wantScheme string
		wantStatus probe.Status
	}{
		{"captured net-snmp answer to public", "public", func(t *testing.T, req *gosnmp.SnmpPacket) [][]byte {
			if req.Version == gosnmp.Version2c && req.Community == "public" {
				return [][]byte{capture}
			}
			return nil
		}, login.Success, "community-v2c", ""},
		{"v1-only agent", "private", func(t *testing.T, req *gosnmp.SnmpPacket) [][]byte {
			if req.Version == gosnmp.Version1 && req.Community == "private" {
				return [][]byte{reply(t, req)}
			}
			return nil
		}, login.Success, "community-v1", ""},
		{"wrong community: silence", "secret", func(*testing.T, *gosnmp.SnmpPacket) [][]byte { return nil },
			login.Failure, "community", ""},
		{"stray garbage before the answer", "public", func(t *testing.T, req *gosnmp.SnmpPacket) [][]byte {
			return [][]byte{[]byte("HTTP/1.1 400 Bad Request\r\n\r\n"), reply(t, req)}
		}, login.Success, "community-v2c", ""},
		{"answer with another community is not ours", "public", func(t *testing.T, req *gosnmp.SnmpPacket) [][]byte {
			req.Community = "other"
			return [][]byte{reply(t, req)}
		}, login.Failure, "community", ""},
		{"only garbage", "public", func(*testing.T, *gosnmp.SnmpPacket) [][]byte {
			return [][]byte{[]byte("garbage")}
		}, login.Error, "community", probe.StatusMalformed},
		{"oversized answer", "public", func(*testing.T, *gosnmp.SnmpPacket) [][]byte {
			return [][]byte{bytes.Repeat([]byte{0x30}, snmp.MaxPacket+100)}
		}, login.Error, "community", probe.StatusTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tg, sent := agent(t, func(req *gosnmp.SnmpPacket) [][]byte { return tc.answer(t, req) })
			ids := []uint32{captureID, captureID + 1}
			var i atomic.Int32
			m := Method{newRequestID: func() uint32 { return ids[int(i.Add(1)-1)%2] }}
			ctx, cancel := context.WithTimeout(t.Context(), 400*time.Millisecond)
			defer cancel()
			o, err := m.Try(ctx, &net.Dialer{}, tg, login.Credential{Password: tc.community, Name: "test community"})
			if o.Result != tc.want || (err != nil) != (tc.want == login.Error) {
				t.Fatalf("result %v (status %q, err %v), want %v", o.Result, o.Status, err, tc.want)
			}
			if o.Scheme != tc.wantScheme && tc.want != login.Error {
				t.Errorf("scheme %q, want %q", o.Scheme, tc.wantScheme)
			}
			if tc.wantStatus != "" && o.Status != tc.wantStatus {
				t.Errorf("status %q, want %q", o.Status, tc.wantStatus)
			}
			// Try may return on the answer to v2c before the agent has
			// read the v1 datagram sent with it: poll with a deadline.
			for deadline := time.Now().Add(time.Second); sent.Load() < 2 && time.Now().Before(deadline); {
				time.Sleep(5 * time.Millisecond)
			}
			if got := sent.Load(); got < 2 || got > 4 {
				t.Errorf("agent got %d datagrams, want 2 (v2c+v1) to 4 (one resend)", got)
			}
		})
	}
}

func TestClosedPort(t *testing.T) {
	tg := probetest.Closed(t, "udp") // nothing listens: the kernel answers ICMP port unreachable
	o, err := Method{}.Try(t.Context(), &net.Dialer{}, tg, login.Credential{Password: "public"})
	if o.Result != login.Error || o.Status != probe.StatusRefused || err == nil {
		t.Fatalf("closed port: %v %q %v, want error refused", o.Result, o.Status, err)
	}
}

func TestNoCredentialSendsNothing(t *testing.T) {
	tg, sent := agent(t, func(*gosnmp.SnmpPacket) [][]byte { return nil })
	o, err := Method{}.NoCredential(t.Context(), &net.Dialer{}, tg)
	if err != nil || o.Result != login.Failure {
		t.Fatalf("NoCredential = %v, %v; want failure", o.Result, err)
	}
	if sent.Load() != 0 {
		t.Errorf("NoCredential sent %d datagrams", sent.Load())
	}
}

// datagramConn hands each queued datagram to one Read, then times out.
type datagramConn struct {
	net.Conn
	queue [][]byte
}

func (c *datagramConn) Read(b []byte) (int, error) {
	if len(c.queue) == 0 {
		return 0, timeoutError{}
	}
	n := copy(b, c.queue[0])
	c.queue = c.queue[1:]
	return n, nil
}

type timeoutError struct{}

func (timeoutError) Error() string { return "i/o timeout" }
func (timeoutError) Timeout() bool { return true }
func (timeoutError) Temporary() bool {
	return true
}

func FuzzReadAnswer(f *testing.F) {
	f.Add(probetest.Fixture(f, "netsnmp-5.9.3-sysdescr-response.bin"))
	f.Add(probetest.Fixture(f, "netsnmp-5.9.3-sysdescr-request.bin"))
	f.Add([]byte("garbage"))
	reqs := []request{{id: captureID, scheme: "community-v2c"}, {id: captureID + 1, scheme: "community-v1"}}
	f.Fuzz(func(t *testing.T, b []byte) {
		scheme, err := readAnswer(&datagramConn{queue: [][]byte{b}}, reqs, "public")
		if err != nil {
			return
		}
		resp, perr := snmp.ParseResponse(b)
		if perr != nil || resp.Community != "public" || (resp.RequestID != captureID && resp.RequestID != captureID+1) || scheme == "" {
			t.Fatalf("accepted %x as an answer (%+v, %v)", b, resp, perr)
		}
	})
}
