package all

import (
	"slices"
	"testing"

	"github.com/camwarden/camwarden/internal/probe"
)

// agreed lists the registered probe names of the agreed protocol-name list
// with their transport and a port each must be hinted on. "https" is not a
// registered name: the http probe reports it for TLS ports.
var agreed = []struct {
	name      string
	transport string
	port      uint16
}{
	{"http", "tcp", 80},
	{"http", "tcp", 443}, // reported as https
	{"rtsp", "tcp", 554},
	{"onvif", "tcp", 0}, // layered over http: no ports of its own
	{"telnet", "tcp", 23},
	{"ssh", "tcp", 22},
	{"ftp", "tcp", 21},
	{"snmp", "udp", 161},
	{"upnp", "udp", 1900},
	{"hikvision-sdk", "tcp", 8000},
	{"dahua-sdk", "tcp", 37777},
	{"xmeye-sdk", "tcp", 34567},
	{"xmeye-debug", "tcp", 9527},
}

func TestAgreedProtocolsRegistered(t *testing.T) {
	byName := map[string]probe.Spec{}
	for _, s := range probe.Registered() {
		name := s.Probe.Name()
		if _, dup := byName[name]; dup {
			t.Fatalf("probe %q listed twice", name)
		}
		byName[name] = s
	}
	for _, a := range agreed {
		t.Run(a.name, func(t *testing.T) {
			s, ok := byName[a.name]
			if !ok {
				t.Fatalf("protocol %q is not registered", a.name)
			}
			if s.Transport != a.transport {
				t.Fatalf("transport %q, want %q", s.Transport, a.transport)
			}
			if a.port == 0 {
				if s.Over == "" {
					t.Fatalf("%q should be layered (Over set)", a.name)
				}
				return
			}
			if !slices.Contains(s.Ports, a.port) {
				t.Fatalf("ports %v lack %d", s.Ports, a.port)
			}
		})
	}
}
