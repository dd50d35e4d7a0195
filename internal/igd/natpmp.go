package igd

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/camwarden/camwarden/internal/probe"
)

// NAT-PMP (RFC 6886) and PCP (RFC 6887) constants. Only read-only requests
// are built: NAT-PMP opcode 0 (external address) and PCP ANNOUNCE.
const (
	natpmpVersion     = 0
	natpmpOpExternal  = 0
	natpmpReplyLen    = 12
	pcpVersion        = 2
	pcpOpAnnounce     = 0
	pcpHeaderLen      = 24
	pcpResponseBit    = 0x80
	maxNATPMPDatagram = 1100 // PCP messages are at most 1100 bytes
)

// ErrNATPMPMalformed is returned for an answer that is not NAT-PMP or PCP.
var ErrNATPMPMalformed = errors.New("igd: malformed nat-pmp/pcp answer")

// NATPMPRequest is the NAT-PMP external-address request (RFC 6886 3.2).
func NATPMPRequest() []byte { return []byte{natpmpVersion, natpmpOpExternal} }

// PCPAnnounce is a PCP ANNOUNCE request (RFC 6887 14.1) from client: it
// asks for nothing and changes nothing; an answer proves PCP is spoken.
func PCPAnnounce(client netip.Addr) []byte {
	b := make([]byte, pcpHeaderLen)
	b[0], b[1] = pcpVersion, pcpOpAnnounce
	a16 := client.As16() // an IPv4 client becomes IPv4-mapped, as the RFC wants
	copy(b[8:], a16[:])
	return b
}

// ParseNATPMPReply parses an answer to opcode 0 (RFC 6886 3.2).
func ParseNATPMPReply(b []byte) (result uint16, epoch uint32, ip netip.Addr, err error) {
	if len(b) < 8 || b[0] != natpmpVersion || b[1] != 128+natpmpOpExternal {
		return 0, 0, netip.Addr{}, fmt.Errorf("%w: %d bytes", ErrNATPMPMalformed, len(b))
	}
	result = binary.BigEndian.Uint16(b[2:4])
	epoch = binary.BigEndian.Uint32(b[4:8])
	if result != 0 {
		return result, epoch, netip.Addr{}, nil
	}
	if len(b) < natpmpReplyLen {
		return result, epoch, netip.Addr{}, fmt.Errorf("%w: success with %d bytes", ErrNATPMPMalformed, len(b))
	}
	return result, epoch, netip.AddrFrom4([4]byte(b[8:12])), nil
}

// ParsePCPReply parses the common header of a PCP answer (RFC 6887 7.2).
func ParsePCPReply(b []byte) (opcode, result uint8, epoch uint32, err error) {
	if len(b) < pcpHeaderLen || b[0] != pcpVersion || b[1]&pcpResponseBit == 0 {
		return 0, 0, 0, fmt.Errorf("%w: not a pcp answer (%d bytes)", ErrNATPMPMalformed, len(b))
	}
	return b[1] &^ pcpResponseBit, b[3], binary.BigEndian.Uint32(b[8:12]), nil
}

// addNATPMP asks Options.Gateway, else every IGD found, over NAT-PMP/PCP.
// With no IGD and no Gateway there is nobody to ask.
func addNATPMP(ctx context.Context, opts Options, gws []Gateway) []Gateway {
	if opts.Gateway.IsValid() {
		for i := range gws {
			if gws[i].Address == opts.Gateway.Unmap() {
				gws[i].NATPMP = askNATPMP(ctx, opts, gws[i].Address)
				return gws
			}
		}
		n := askNATPMP(ctx, opts, opts.Gateway.Unmap())
		if n.Speaks || n.PCP {
			gws = append(gws, Gateway{Address: opts.Gateway.Unmap(), ExternalIP: n.ExternalIP, NATPMP: n})
		}
		return gws
	}
	for i := range gws {
		gws[i].NATPMP = askNATPMP(ctx, opts, gws[i].Address)
		if !gws[i].ExternalIP.IsValid() && gws[i].NATPMP.ExternalIP.IsValid() {
			gws[i].ExternalIP = gws[i].NATPMP.ExternalIP
		}
	}
	return gws
}

// askNATPMP sends the two read-only requests to gw:5351 over one connected
// UDP socket and reads answers until both came or the timeout passed.
func askNATPMP(ctx context.Context, opts Options, gw netip.Addr) *NATPMP {
	n := &NATPMP{Address: gw}
	conn, err := opts.Dialer.DialContext(ctx, "udp", netip.AddrPortFrom(gw, opts.NATPMPPort).String())
	if err != nil {
		n.Error = fmt.Sprintf("dial: %v", err)
		return n
	}
	defer func() { _ = conn.Close() }()
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	stop := probe.ApplyDeadline(ctx, conn, opts.Timeout)
	defer stop()
	local := netip.IPv4Unspecified()
	if ua, ok := conn.LocalAddr().(*net.UDPAddr); ok {
		local = ua.AddrPort().Addr()
	}
	for _, req := range [][]byte{NATPMPRequest(), PCPAnnounce(local)} {
		if _, err := conn.Write(req); err != nil {
			n.Error = fmt.Sprintf("send: %v", err)
			return n
		}
	}
	buf := make([]byte, maxNATPMPDatagram)
	for !(n.Speaks && n.PCP) {
		k, err := conn.Read(buf)
		if err != nil {
			if !n.Speaks && !n.PCP {
				n.Error = fmt.Sprintf("no answer: %v", err)
			}
			return n
		}
		readNATPMPAnswer(n, buf[:k])
	}
	return n
}

// readNATPMPAnswer records one datagram; anything else is ignored.
func readNATPMPAnswer(n *NATPMP, b []byte) {
	if len(b) == 0 {
		return
	}
	switch b[0] {
	case natpmpVersion:
		// A NAT-PMP-only router answers the PCP request with "unsupported
		// version" (result 1); that must not hide the real answer.
		if res, epoch, ip, err := ParseNATPMPReply(b); err == nil && (res == 0 || !n.Speaks) {
			n.Speaks, n.ResultCode, n.Epoch, n.ExternalIP = true, res, epoch, ip
		}
	case pcpVersion:
		if _, res, epoch, err := ParsePCPReply(b); err == nil {
			n.PCP, n.PCPResult = true, res
			if !n.Speaks {
				n.Epoch = epoch
			}
		}
	}
}
