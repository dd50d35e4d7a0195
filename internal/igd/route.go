package igd

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// RouteTable is where Linux lists IPv4 routes.
const RouteTable = "/proc/net/route"

// ErrNoDefaultRoute is returned when the route table has no IPv4 default
// route with a gateway.
var ErrNoDefaultRoute = errors.New("igd: no default route")

// DefaultGateway returns the IPv4 gateway of the default route, read from
// RouteTable through readFile (os.ReadFile in production).
func DefaultGateway(readFile func(string) ([]byte, error)) (netip.Addr, error) {
	b, err := readFile(RouteTable)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("read route table: %w", err)
	}
	return ParseRouteTable(b)
}

// ParseRouteTable parses the text of /proc/net/route: a header line, then
// "Iface Destination Gateway Flags ..." with addresses in little-endian hex.
func ParseRouteTable(b []byte) (netip.Addr, error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for first := true; sc.Scan(); first = false {
		f := strings.Fields(sc.Text())
		if first || len(f) < 4 || f[1] != "00000000" {
			continue
		}
		gw, err := hex.DecodeString(f[2])
		flags, err2 := hex.DecodeString(fmt.Sprintf("%08s", f[3]))
		if err != nil || err2 != nil || len(gw) != 4 || len(flags) != 4 {
			continue
		}
		const rtfUp, rtfGateway = 0x1, 0x2
		if fl := binary.BigEndian.Uint32(flags); fl&rtfUp == 0 || fl&rtfGateway == 0 {
			continue
		}
		var a [4]byte
		binary.BigEndian.PutUint32(a[:], binary.LittleEndian.Uint32(gw))
		return netip.AddrFrom4(a), nil
	}
	return netip.Addr{}, ErrNoDefaultRoute
}
