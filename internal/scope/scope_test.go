package scope

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// fakeResolver answers from a map; unknown names fail like NXDOMAIN. No
// DNS traffic is ever sent by these tests.
type fakeResolver map[string][]string

func (r fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	list, ok := r[host]
	if !ok {
		return nil, fmt.Errorf("lookup %s: no such host", host)
	}
	out := make([]netip.Addr, len(list))
	for i, s := range list {
		out[i] = netip.MustParseAddr(s)
	}
	return out, nil
}

// fakeFiles serves @file lists from memory.
type fakeFiles map[string]string

func (f fakeFiles) open(name string) (io.ReadCloser, error) {
	s, ok := f[name]
	if !ok {
		return nil, fmt.Errorf("open %s: %w", name, fs.ErrNotExist)
	}
	return io.NopCloser(strings.NewReader(s)), nil
}

func testOptions() Options {
	return Options{
		Resolver: fakeResolver{
			"nvr.lan":       {"192.168.1.20"},
			"cam-1.lan":     {"192.168.1.30", "fd00::30"},
			"localhost":     {"127.0.0.1", "::1"},
			"mapped.lan":    {"::ffff:10.1.1.1"},
			"example.com":   {"93.184.215.14"},
			"empty.lan":     {},
			"multicast.lan": {"239.255.255.250"},
		},
		OpenFile: fakeFiles{
			"hosts.txt":   "# cameras\n127.77.0.1\n\n127.77.0.5-6 # two NVRs\n127.77.0.9, 127.77.0.10\n",
			"exclude.txt": "127.77.0.6\n",
			"bad.txt":     "127.77.0.1\n127.77.0.300\n",
			"nested.txt":  "@hosts.txt\n",
			"empty.txt":   "# nothing\n",
		}.open,
	}
}

// walkAll collects a small scope's targets as "addr" or "addr=hostname".
func walkAll(t *testing.T, s *Scope) []string {
	t.Helper()
	var got []string
	err := s.Walk(t.Context(), func(tg Target) bool {
		e := tg.Addr.String()
		if tg.Hostname != "" {
			e += "=" + tg.Hostname
		}
		got = append(got, e)
		return len(got) < 1000
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return got
}

func TestParseTokens(t *testing.T) {
	tests := []struct {
		name     string
		targets  []string
		excludes []string
		public   bool
		want     []string
	}{
		{"ipv4", []string{"127.0.0.1"}, nil, false, []string{"127.0.0.1"}},
		{"ipv6", []string{"fd00::1"}, nil, false, []string{"fd00::1"}},
		{"ipv6 loopback", []string{"::1"}, nil, false, []string{"::1"}},
		{"ipv4-mapped ipv6 is ipv4", []string{"::ffff:10.0.0.1"}, nil, false, []string{"10.0.0.1"}},
		{"cidr", []string{"127.77.0.0/30"}, nil, false, []string{"127.77.0.0", "127.77.0.1", "127.77.0.2", "127.77.0.3"}},
		{"cidr host bits masked", []string{"192.168.7.9/31"}, nil, false, []string{"192.168.7.8", "192.168.7.9"}},
		{"cidr /32", []string{"10.9.9.9/32"}, nil, false, []string{"10.9.9.9"}},
		{"ipv6 cidr", []string{"fd00::/126"}, nil, false, []string{"fd00::", "fd00::1", "fd00::2", "fd00::3"}},
		{"mapped cidr", []string{"::ffff:10.0.0.0/127"}, nil, false, []string{"10.0.0.0", "10.0.0.1"}},
		{"last-octet range", []string{"10.0.0.254-255"}, nil, false, []string{"10.0.0.254", "10.0.0.255"}},
		{"full range across octet", []string{"10.0.0.255-10.0.1.1"}, nil, false, []string{"10.0.0.255", "10.0.1.0", "10.0.1.1"}},
		{"one-address range", []string{"10.0.0.7-7"}, nil, false, []string{"10.0.0.7"}},
		{"ipv6 range", []string{"fd00::fe-fd00::101"}, nil, false, []string{"fd00::fe", "fd00::ff", "fd00::100", "fd00::101"}},
		{"ipv6 short range hex", []string{"fd00::9-b"}, nil, false, []string{"fd00::9", "fd00::a", "fd00::b"}},
		{"hostname", []string{"nvr.lan"}, nil, false, []string{"192.168.1.20=nvr.lan"}},
		{"hostname upper case and dot", []string{"NVR.lan."}, nil, false, []string{"192.168.1.20=nvr.lan"}},
		{"hostname with hyphen, two families", []string{"cam-1.lan"}, nil, false, []string{"192.168.1.30=cam-1.lan", "fd00::30=cam-1.lan"}},
		{"hostname mapped answer", []string{"mapped.lan"}, nil, false, []string{"10.1.1.1=mapped.lan"}},
		{"hostname inside a cidr keeps its name", []string{"192.168.1.18/30", "nvr.lan"}, nil, false,
			[]string{"192.168.1.16", "192.168.1.17", "192.168.1.18", "192.168.1.19", "192.168.1.20=nvr.lan"}},
		{"comma separated", []string{"127.0.0.3,127.0.0.1 127.0.0.2"}, nil, false, []string{"127.0.0.1", "127.0.0.2", "127.0.0.3"}},
		{"overlaps merged and sorted", []string{"10.0.0.3-5", "10.0.0.1-4", "10.0.0.5", "10.0.0.6"}, nil, false,
			[]string{"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"}},
		{"ipv4 before ipv6", []string{"fd00::1", "10.0.0.1"}, nil, false, []string{"10.0.0.1", "fd00::1"}},
		{"file", []string{"@hosts.txt"}, nil, false,
			[]string{"127.77.0.1", "127.77.0.5", "127.77.0.6", "127.77.0.9", "127.77.0.10"}},
		{"exclude address", []string{"127.77.0.0/30"}, []string{"127.77.0.2"}, false, []string{"127.77.0.0", "127.77.0.1", "127.77.0.3"}},
		{"exclude file", []string{"@hosts.txt"}, []string{"@exclude.txt"}, false,
			[]string{"127.77.0.1", "127.77.0.5", "127.77.0.9", "127.77.0.10"}},
		{"exclude hostname", []string{"192.168.1.19-20"}, []string{"nvr.lan"}, false, []string{"192.168.1.19"}},
		{"exclude wider than targets", []string{"10.0.0.1", "10.0.0.2"}, []string{"0.0.0.0/0"}, false, nil},
		{"exclude public block is fine", []string{"10.0.0.1"}, []string{"8.8.8.0/24", "::/0"}, false, []string{"10.0.0.1"}},
		{"exclude cuts the middle", []string{"10.0.0.1-10.0.0.5"}, []string{"10.0.0.2-3"}, false, []string{"10.0.0.1", "10.0.0.4", "10.0.0.5"}},
		{"public allowed", []string{"192.0.2.1-2"}, nil, true, []string{"192.0.2.1", "192.0.2.2"}},
		{"public hostname allowed", []string{"example.com"}, nil, true, []string{"93.184.215.14=example.com"}},
		{"private edges", []string{"172.16.0.0", "172.31.255.255", "100.64.0.0", "100.127.255.255", "169.254.0.1", "fe80::1", "fc00::1"}, nil, false,
			[]string{"100.64.0.0", "100.127.255.255", "169.254.0.1", "172.16.0.0", "172.31.255.255", "fc00::1", "fe80::1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions()
			opts.Excludes = tt.excludes
			opts.AllowPublic = tt.public
			s, err := Parse(t.Context(), tt.targets, opts)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := walkAll(t, s)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("Walk = %q, want %q", got, tt.want)
			}
			if s.Size() != uint64(len(tt.want)) {
				t.Errorf("Size = %d, want %d", s.Size(), len(tt.want))
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const pub = "scanning hosts you do not own may be illegal; pass --allow-public if you are authorised"
	tests := []struct {
		name     string
		targets  []string
		excludes []string
		public   bool
		want     string
	}{
		{"bad octet", []string{"10.0.0.300"}, nil, false, `target "10.0.0.300": invalid IPv4 address`},
		{"three octets", []string{"10.0.0"}, nil, false, `target "10.0.0": invalid IPv4 address`},
		{"bare number", []string{"1234"}, nil, false, `target "1234": invalid IPv4 address`},
		{"bad ipv6", []string{"fd00:::1"}, nil, false, `target "fd00:::1": invalid IPv6 address`},
		{"zone", []string{"fe80::1%eth0"}, nil, false, `target "fe80::1%eth0": IPv6 zones are not supported; give the address without %zone`},
		{"bad cidr bits", []string{"10.0.0.0/33"}, nil, false, `target "10.0.0.0/33": invalid CIDR prefix`},
		{"bad cidr addr", []string{"nvr.lan/24"}, nil, false, `target "nvr.lan/24": invalid CIDR prefix`},
		{"short mapped cidr", []string{"::ffff:0:0/95"}, nil, false, `target "::ffff:0:0/95": IPv4-mapped prefix shorter than /96`},
		{"bad range start", []string{"10.0.0.256-3"}, nil, false, `target "10.0.0.256-3": invalid range start`},
		{"bad range end", []string{"10.0.0.1-256"}, nil, false, `target "10.0.0.1-256": invalid range end`},
		{"empty range end", []string{"10.0.0.1-"}, nil, false, `target "10.0.0.1-": invalid range end`},
		{"reversed range", []string{"10.0.0.9-3"}, nil, false, `target "10.0.0.9-3": range end is before its start`},
		{"mixed range", []string{"10.0.0.1-fd00::1"}, nil, false, `target "10.0.0.1-fd00::1": range mixes IPv4 and IPv6`},
		{"garbage", []string{"cam_1!"}, nil, false, `target "cam_1!": not an address, CIDR, range or hostname`},
		{"leading hyphen", []string{"-x"}, nil, false, `target "-x": not an address, CIDR, range or hostname`},
		{"public address", []string{"8.8.8.8"}, nil, false, `target "8.8.8.8": public address: ` + pub},
		{"public ipv6", []string{"2001:db8::1"}, nil, false, `target "2001:db8::1": public address: ` + pub},
		{"range with one public", []string{"10.0.0.0-11.0.0.0"}, nil, false, `target "10.0.0.0-11.0.0.0": contains public address 11.0.0.0: ` + pub},
		{"cidr straddling private", []string{"172.0.0.0/8"}, nil, false, `target "172.0.0.0/8": contains public address 172.0.0.0: ` + pub},
		{"range just past rfc1918", []string{"172.31.255.255-172.32.0.0"}, nil, false, `target "172.31.255.255-172.32.0.0": contains public address 172.32.0.0: ` + pub},
		{"public hostname", []string{"example.com"}, nil, false, `target "example.com": resolves to 93.184.215.14: public address: ` + pub},
		{"multicast", []string{"239.255.255.250"}, nil, true, `target "239.255.255.250": multicast address cannot be scanned`},
		{"multicast ipv6", []string{"ff02::1"}, nil, true, `target "ff02::1": multicast address cannot be scanned`},
		{"broadcast", []string{"255.255.255.255"}, nil, true, `target "255.255.255.255": reserved or broadcast address cannot be scanned`},
		{"unspecified", []string{"0.0.0.0"}, nil, true, `target "0.0.0.0": unspecified address cannot be scanned`},
		{"unspecified ipv6", []string{"::"}, nil, true, `target "::": unspecified address cannot be scanned`},
		{"everything", []string{"0.0.0.0/0"}, nil, true, `target "0.0.0.0/0": contains unspecified address 0.0.0.0, which cannot be scanned`},
		{"range into multicast", []string{"223.255.255.0-224.0.0.5"}, nil, true, `target "223.255.255.0-224.0.0.5": contains multicast address 224.0.0.0, which cannot be scanned`},
		{"multicast hostname", []string{"multicast.lan"}, nil, true, `target "multicast.lan": resolves to 239.255.255.250: multicast address cannot be scanned`},
		{"ipv6 too wide", []string{"fd00::/63"}, nil, false, `target "fd00::/63": IPv6 block larger than a /64 is refused; split it into /64s or smaller`},
		{"unknown host", []string{"nope.lan"}, nil, false, `target "nope.lan": cannot resolve hostname: lookup nope.lan: no such host`},
		{"host without addresses", []string{"empty.lan"}, nil, false, `target "empty.lan": hostname resolved to no addresses`},
		{"missing file", []string{"@missing.txt"}, nil, false, `target "@missing.txt": cannot read target file: open missing.txt: file does not exist`},
		{"empty at", []string{"@"}, nil, false, `target "@": missing file name after @`},
		{"bad line in file", []string{"@bad.txt"}, nil, false, `target "127.77.0.300": invalid IPv4 address (bad.txt line 2)`},
		{"nested file", []string{"@nested.txt"}, nil, false, `target "@hosts.txt": nested @file lists are not allowed (nested.txt line 1)`},
		{"no targets", nil, nil, false, `scope: no targets given`},
		{"only commas", []string{" , "}, nil, false, `scope: no targets given`},
		{"empty file", []string{"@empty.txt"}, nil, false, `scope: no targets given`},
		{"bad exclude", []string{"10.0.0.1"}, []string{"10.0.0.x"}, false, `target "10.0.0.x": cannot resolve hostname: lookup 10.0.0.x: no such host`},
		{"bad exclude address", []string{"10.0.0.1"}, []string{"10.0.0.999"}, false, `target "10.0.0.999": invalid IPv4 address`},
		{"bad exclude file", []string{"10.0.0.1"}, []string{"@missing.txt"}, false, `target "@missing.txt": cannot read target file: open missing.txt: file does not exist`},
		{"bad token after good ones", []string{"10.0.0.1", "10.0.0.2,8.8.4.4"}, nil, false, `target "8.8.4.4": public address: ` + pub},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions()
			opts.Excludes = tt.excludes
			opts.AllowPublic = tt.public
			s, err := Parse(t.Context(), tt.targets, opts)
			if err == nil {
				t.Fatalf("Parse succeeded with %v, want error %q", s, tt.want)
			}
			if s != nil {
				t.Errorf("Parse returned a scope with its error")
			}
			var te *TargetError
			if !errors.As(err, &te) {
				t.Fatalf("error %T is not a *TargetError", err)
			}
			if err.Error() != tt.want {
				t.Fatalf("error\n got %s\nwant %s", err, tt.want)
			}
		})
	}
}

func TestTargetErrorUnwrap(t *testing.T) {
	_, err := Parse(t.Context(), []string{"@missing.txt"}, testOptions())
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("errors.Is(%v, fs.ErrNotExist) = false", err)
	}
}

func TestOverlaps(t *testing.T) {
	sc, err := Parse(t.Context(), []string{"10.81.1.2-10.81.1.20", "192.168.7.9"}, Options{Excludes: []string{"10.81.1.10"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		prefix string
		want   bool
	}{
		{"10.81.1.0/24", true},
		{"10.81.1.100/24", true}, // an interface address with its length: masked first
		{"10.81.2.0/24", false},
		{"10.81.1.10/32", false}, // excluded
		{"10.0.0.0/8", true},
		{"192.168.7.0/24", true},
		{"192.168.8.0/24", false},
		{"::ffff:10.81.1.0/120", true},
		{"fd00::/64", false},
	} {
		if got := sc.Overlaps(netip.MustParsePrefix(tc.prefix)); got != tc.want {
			t.Errorf("Overlaps(%s) = %v, want %v", tc.prefix, got, tc.want)
		}
	}
}
