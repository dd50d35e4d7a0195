package sdk

import (
	"io"
	"net"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
)

// listen starts a loopback listener that counts the bytes each client sends
// before closing; the counts arrive on the returned channel.
func listen(t *testing.T) (probe.Target, <-chan int) {
	t.Helper()
	got := make(chan int, 4)
	tgt := probetest.Serve(t, func(c net.Conn) {
		n, _ := io.Copy(io.Discard, c)
		got <- int(n)
	})
	return tgt, got
}

func TestSDKProbes(t *testing.T) {
	for _, spec := range Specs() {
		p := spec.Probe.(Probe)
		t.Run(p.Name(), func(t *testing.T) {
			tgt, got := listen(t)
			s, err := p.Probe(t.Context(), &net.Dialer{}, tgt)
			if err != nil {
				t.Fatalf("probe: %v", err)
			}
			if s.Status != probe.StatusIdentified || s.Protocol != p.Protocol || s.Port != tgt.Port {
				t.Fatalf("service = %+v", s)
			}
			if s.Fields[probe.FieldSDKVendor] != p.Vendor || p.Vendor == "" {
				t.Fatalf("vendor field = %q, want %q", s.Fields[probe.FieldSDKVendor], p.Vendor)
			}
			select {
			case n := <-got:
				want := 0
				if p.RejectHTTP {
					want = len("HEAD / HTTP/1.0\r\n\r\n")
				}
				if n != want {
					t.Fatalf("probe sent %d bytes, want %d", n, want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("server never saw the connection close")
			}
		})
	}
}

func TestHikvisionSDKStepsAsideForHTTP(t *testing.T) {
	tgt := probetest.Serve(t, func(c net.Conn) {
		buf := make([]byte, 64)
		_, _ = c.Read(buf)
		// Reolink answers its ONVIF port 8000 like any web server.
		_, _ = c.Write([]byte("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"))
	})
	p := Specs()[0].Probe
	s, err := p.Probe(t.Context(), &net.Dialer{}, tgt)
	if err != probe.ErrNoMatch || s != nil {
		t.Fatalf("Probe() = %+v, %v; want nil, ErrNoMatch", s, err)
	}
}

func TestSDKClosedPort(t *testing.T) {
	// Nothing listens: the kernel answers RST.
	tgt := probetest.Closed(t, "tcp")
	p := Probe{Protocol: ProtocolDahua, Vendor: vendorDahua}
	s, err := p.Probe(t.Context(), &net.Dialer{}, tgt)
	if err == nil {
		t.Fatal("want an error for a closed port")
	}
	if s == nil || s.Status != probe.StatusRefused {
		t.Fatalf("service = %+v, want status refused", s)
	}
}

func TestSDKSpecsPorts(t *testing.T) {
	want := map[string]uint16{
		ProtocolHikvision: 8000, ProtocolDahua: 37777, ProtocolXMeye: 34567, ProtocolXMeyeDebug: 9527,
	}
	for _, s := range Specs() {
		t.Run(s.Probe.Name(), func(t *testing.T) {
			if len(s.Ports) != 1 || s.Ports[0] != want[s.Probe.Name()] || s.Transport != "tcp" || s.Fallback {
				t.Fatalf("spec = %+v, want port %d, tcp, no fallback", s, want[s.Probe.Name()])
			}
		})
	}
}
