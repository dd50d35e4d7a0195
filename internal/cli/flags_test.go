package cli

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

func TestParsePorts(t *testing.T) {
	tests := []struct {
		spec    string
		want    []uint16
		wantErr string
	}{
		{"80", []uint16{80}, ""},
		{"554,80,80", []uint16{80, 554}, ""},
		{"8000-8002, 443", []uint16{443, 8000, 8001, 8002}, ""},
		{"65535", []uint16{65535}, ""},
		{"0", nil, `port "0": not a port number`},
		{"65536", nil, `port "65536": not a port number`},
		{"90-80", nil, `port "90-80": range end below start`},
		{"http", nil, `port "http": not a port number`},
		{",", nil, "is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.spec, func(t *testing.T) {
			got, err := parsePorts(tc.spec)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("parsePorts(%q) error = %v, want %q", tc.spec, err, tc.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tc.want) {
				t.Fatalf("parsePorts(%q) = %v, %v; want %v", tc.spec, got, err, tc.want)
			}
		})
	}
}

func TestParseInterspersed(t *testing.T) {
	tests := []struct {
		args      []string
		wantPos   []string
		wantPorts string
	}{
		{[]string{"127.0.0.1", "-p", "80"}, []string{"127.0.0.1"}, "80"},
		{[]string{"-p", "81", "a", "b"}, []string{"a", "b"}, "81"},
		{[]string{"a", "-p", "82", "b"}, []string{"a", "b"}, "82"},
		{[]string{"-p", "83", "--", "-weird"}, []string{"-weird"}, "83"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			fs := newFlagSet("t", &strings.Builder{})
			ports := fs.String("p", "", "")
			pos, err := parseInterspersed(fs, tc.args)
			if err != nil || !slices.Equal(pos, tc.wantPos) || *ports != tc.wantPorts {
				t.Fatalf("got %v %q %v; want %v %q", pos, *ports, err, tc.wantPos, tc.wantPorts)
			}
		})
	}
}

func addr(t *testing.T, s string) netip.Addr {
	t.Helper()
	a, err := netip.ParseAddr(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
