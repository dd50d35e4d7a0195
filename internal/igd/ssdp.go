package igd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/probe/upnp"
)

// SearchTargets are the STs an IGD answers (UPnP IGD 1 and 2 device types
// and their WAN connection services).
var SearchTargets = []string{
	"urn:schemas-upnp-org:device:InternetGatewayDevice:1",
	"urn:schemas-upnp-org:device:InternetGatewayDevice:2",
	"urn:schemas-upnp-org:service:WANIPConnection:1",
	"urn:schemas-upnp-org:service:WANIPConnection:2",
	"urn:schemas-upnp-org:service:WANPPPConnection:1",
}

// maxDatagram caps one SSDP answer; maxAnswers caps the gateways kept.
const (
	maxDatagram = 8 << 10
	maxAnswers  = 16
)

// answer is one gateway's SSDP answer, deduplicated by LOCATION.
type answer struct {
	upnp.SearchResponse
	from netip.Addr
}

// MSearch returns the M-SEARCH request for one search target.
func MSearch(st string) []byte {
	return []byte("M-SEARCH * HTTP/1.1\r\n" +
		"HOST: 239.255.255.250:1900\r\n" +
		"MAN: \"ssdp:discover\"\r\n" +
		"MX: 1\r\n" +
		"ST: " + st + "\r\n" +
		"USER-AGENT: camwarden/1.0 UPnP/1.1 camwarden/1.0\r\n\r\n")
}

// search sends one M-SEARCH per target and collects IGD answers until
// opts.Wait has passed or ctx ends. An answer whose LOCATION is not on the
// answering host is dropped: camwarden talks only to the gateway itself.
func search(ctx context.Context, opts Options) ([]answer, error) {
	dst := opts.SSDP
	if opts.Gateway.IsValid() {
		dst = netip.AddrPortFrom(opts.Gateway, opts.SSDPPort)
	}
	network, laddr := "udp4", "0.0.0.0:0"
	if dst.Addr().Is6() && !dst.Addr().Is4In6() {
		network, laddr = "udp6", "[::]:0"
	}
	conn, err := opts.ListenPacket(ctx, network, laddr)
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	defer func() { _ = conn.Close() }()
	ctx, cancel := context.WithTimeout(ctx, opts.Wait)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { _ = conn.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	to := net.UDPAddrFromAddrPort(dst)
	for _, st := range SearchTargets {
		if _, err := conn.WriteTo(MSearch(st), to); err != nil {
			return nil, fmt.Errorf("send m-search to %s: %w", dst, err)
		}
	}
	return collect(ctx, opts, conn)
}

// collect reads answers until the deadline.
func collect(ctx context.Context, opts Options, conn net.PacketConn) ([]answer, error) {
	seen := map[string]bool{}
	var out []answer
	buf := make([]byte, maxDatagram)
	for len(out) < maxAnswers {
		n, from, err := conn.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, os.ErrDeadlineExceeded) {
				return out, nil
			}
			return out, fmt.Errorf("read ssdp answer: %w", err)
		}
		src, ok := udpSource(from)
		if !ok || (opts.Gateway.IsValid() && src != opts.Gateway.Unmap()) {
			continue
		}
		resp, err := upnp.ParseSearchResponse(buf[:n])
		if err != nil || !isIGDTarget(resp.ST) || seen[resp.Location] {
			continue
		}
		if _, err := sameHost(resp.Location, src); err != nil {
			opts.Logger.DebugContext(ctx, "igd answer dropped", "from", src, "err", err)
			continue
		}
		seen[resp.Location] = true
		out = append(out, answer{SearchResponse: resp, from: src})
	}
	return out, nil
}

func udpSource(a net.Addr) (netip.Addr, bool) {
	ua, ok := a.(*net.UDPAddr)
	if !ok {
		return netip.Addr{}, false
	}
	ap := ua.AddrPort()
	return ap.Addr().Unmap(), ap.IsValid()
}

func isIGDTarget(st string) bool {
	for _, t := range SearchTargets {
		if strings.EqualFold(st, t) {
			return true
		}
	}
	return false
}
