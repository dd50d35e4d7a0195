package lan

import (
	"net/netip"
	"testing"

	"github.com/camwarden/camwarden/internal/probe/probetest"
)

var fuzzFrom = netip.MustParseAddr("127.82.0.9")

// fuzzParser checks that a parser never panics and keeps its caps.
func fuzzParser(f *testing.F, parse parser, seeds ...[]byte) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := parse(fuzzFrom, b)
		if err != nil && len(got) != 0 {
			t.Fatalf("error %v with %d results", err, len(got))
		}
		for _, g := range got {
			if g.Address != fuzzFrom || len(g.Name) > maxField*4 || len(g.Model) > maxField*4 || len(g.XAddrs) > 8 || len(g.Scopes) > 32 {
				t.Fatalf("unbounded or misattributed result %+v", g)
			}
		}
	})
}

func FuzzParseProbeMatches(f *testing.F) {
	fuzzParser(f, ParseProbeMatches, probetest.Fixture(f, "onvif-gsoap-probematches.xml"))
}

func FuzzParseSSDP(f *testing.F) {
	fuzzParser(f, ParseSSDP, probetest.Fixture(f, "axis-m1014-ssdp-msearch-response.txt"))
}

func FuzzParseSADP(f *testing.F) {
	fuzzParser(f, ParseSADP, probetest.Fixture(f, "hikvision-ds2cd2042wd-sadp-inactive.xml"))
}

func FuzzParseDHIP(f *testing.F) {
	fuzzParser(f, ParseDHIP, dhipFrame(probetest.Fixture(f, "dahua-ipc-hfw1320s-dhip.json")))
}

func FuzzParseMDNS(f *testing.F) {
	fuzzParser(f, ParseMDNS, mdnsAnswer(f))
}

func FuzzParseARP(f *testing.F) {
	f.Add([]byte("IP address HW type Flags HW address Mask Device\n10.80.1.20 0x1 0x2 c0:56:e3:12:34:56 * eth0\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, n := range ParseARP(b) {
			if len(n.MAC) != 17 || !n.Address.IsValid() {
				t.Fatalf("bad neighbour %+v", n)
			}
		}
	})
}
