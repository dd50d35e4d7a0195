package igd

import (
	"bytes"
	"encoding/xml"
	"testing"

	"github.com/camwarden/camwarden/internal/probe/probetest"
)

func FuzzParseDescription(f *testing.F) {
	f.Add(probetest.Fixture(f, "miniupnpd-2.3.1-rootdesc.xml"))
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE root [<!ENTITY a "a">]><root>&a;</root>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseDescription(b)
		if err != nil {
			return
		}
		if s, ok := d.connectionService(); ok && s.ControlURL == "" {
			t.Fatalf("service without control url: %+v", s)
		}
	})
}

// listing extracts the CDATA port listing of the captured answer.
func listing(t testing.TB) []byte {
	_, b := body(t, "miniupnpd-2.3.1-getlistofportmappings-tcp.http")
	var env struct {
		Listing string `xml:"Body>GetListOfPortMappingsResponse>NewPortListing"`
	}
	if err := xml.Unmarshal(b, &env); err != nil {
		t.Fatalf("unmarshal listing: %v", err)
	}
	return []byte(env.Listing)
}

func TestParsePortListing(t *testing.T) {
	ms, err := ParsePortListing(listing(t), 100)
	if err != nil || len(ms) != 5 {
		t.Fatalf("%d mappings, err %v; want the 5 TCP mappings", len(ms), err)
	}
	want := map[uint16]string{18081: "10.79.1.103", 18000: "10.79.1.102", 10023: "10.79.1.101", 10554: "10.79.1.101", 18080: "10.79.1.100"}
	for _, m := range ms {
		if want[m.ExternalPort] != m.InternalClient.String() || m.Protocol != "tcp" || m.Source != "GetListOfPortMappings" {
			t.Errorf("unexpected mapping %+v", m)
		}
	}
	if ms, _ := ParsePortListing(listing(t), 2); len(ms) != 2 {
		t.Errorf("cap 2 kept %d", len(ms))
	}
}

func FuzzParsePortListing(f *testing.F) {
	f.Add(listing(f))
	f.Fuzz(func(t *testing.T, b []byte) {
		ms, _ := ParsePortListing(b, 16)
		if len(ms) > 16 {
			t.Fatalf("cap exceeded: %d", len(ms))
		}
		for _, m := range ms {
			if len(m.Description) > maxField*4 || len(m.InternalHost) > maxField*4 {
				t.Fatalf("unbounded field: %+v", m)
			}
		}
	})
}

func FuzzParseNATPMP(f *testing.F) {
	f.Add(probetest.Fixture(f, "miniupnpd-2.3.1-natpmp-external.bin"))
	f.Add(probetest.Fixture(f, "miniupnpd-2.3.1-pcp-announce.bin"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var n NATPMP
		readNATPMPAnswer(&n, b)
		if n.ExternalIP.IsValid() && (!n.Speaks || n.ResultCode != 0) {
			t.Fatalf("external address without a successful answer: %+v", n)
		}
		if n.PCP && !bytes.HasPrefix(b, []byte{2}) {
			t.Fatalf("pcp from a non-v2 datagram")
		}
	})
}
