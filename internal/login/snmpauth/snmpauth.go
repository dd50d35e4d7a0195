// Package snmpauth tries SNMP communities: one attempt sends a GET of
// sysDescr.0 in SNMPv2c and in SNMPv1 with the community, and an answer to
// either is a success. Agents drop a request with a wrong community
// without a word (RFC 3584 section 5.2.1), so silence until the deadline
// is a failure; over UDP there is no lockout signal. Packets are built and
// decoded with gosnmp (internal/probe/snmp's ParseResponse); the I/O is
// ours, over the injected dialer, capped in bytes and time.
package snmpauth

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/gosnmp/gosnmp"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/snmp"
)

const (
	// AttemptTimeout bounds the wait for an answer; the requests are
	// sent again once, half-way through.
	AttemptTimeout = 2 * time.Second
	// Route is the object read.
	Route      = "GET sysDescr.0"
	maxPackets = 16 // datagrams read per attempt before giving up
)

// Method tries a community; Credential.Password is the community and
// Credential.Username is not used.
type Method struct {
	// newRequestID is replaced in tests to replay captured answers.
	newRequestID func() uint32
}

var _ login.Method = Method{}

// Name returns "snmp-community".
func (Method) Name() string { return "snmp-community" }

// Protocol returns "snmp".
func (Method) Protocol() string { return snmp.Protocol }

// NoCredential sends nothing: SNMP v1/v2c has no access without a
// community, so it always reports Failure. The communities themselves are
// the credentials Try checks.
func (Method) NoCredential(context.Context, probe.Dialer, probe.Target) (login.Outcome, error) {
	return login.Outcome{Result: login.Failure, Route: Route, Scheme: "community"}, nil
}

// request is one GET in one SNMP version.
type request struct {
	id     uint32
	scheme string
	pkt    []byte
}

// Try sends the GET with community c.Password in v2c and v1 and waits for
// an answer carrying one of the two request IDs.
func (m Method) Try(ctx context.Context, d probe.Dialer, t probe.Target, c login.Credential) (login.Outcome, error) {
	out := login.Outcome{Route: Route, Scheme: "community", Cleartext: true}
	reqs, err := m.requests(ctx, c.Password)
	if err != nil {
		return login.Errored(Route, "snmp build request", err)
	}
	ctx, cancel := context.WithTimeout(ctx, AttemptTimeout)
	defer cancel()
	conn, err := d.DialContext(ctx, "udp", t.Address())
	if err != nil {
		return login.Errored(Route, "snmp dial "+t.Address(), err)
	}
	defer func() { _ = conn.Close() }()
	stop := probe.ApplyDeadline(ctx, conn, AttemptTimeout)
	defer stop()
	end, _ := ctx.Deadline()
	var malformed error
	for round := range 2 {
		for _, r := range reqs {
			if _, err := conn.Write(r.pkt); err != nil {
				return login.Errored(Route, "snmp send "+t.Address(), err)
			}
		}
		wait := end
		if round == 0 {
			wait = time.Now().Add(time.Until(end) / 2)
		}
		_ = conn.SetReadDeadline(wait)
		scheme, err := readAnswer(conn, reqs, c.Password)
		switch {
		case err == nil:
			out.Result, out.Scheme = login.Success, scheme
			return out, nil
		case errors.Is(err, snmp.ErrMalformed) || errors.Is(err, probe.ErrTooLarge):
			malformed = err
		case probe.Classify(err) != probe.StatusTimeout:
			return login.Errored(Route, "snmp read "+t.Address(), err)
		}
		if ctx.Err() != nil {
			break
		}
	}
	if malformed != nil {
		o, err := login.Errored(Route, "snmp answer "+t.Address(), malformed)
		if errors.Is(malformed, snmp.ErrMalformed) {
			o.Status = probe.StatusMalformed
		}
		return o, err
	}
	out.Result = login.Failure // silence: the community is not accepted
	return out, nil
}

// requests builds the v2c and v1 GETs of sysDescr.0.
func (m Method) requests(ctx context.Context, community string) ([]request, error) {
	newID := m.newRequestID
	if newID == nil {
		newID = randomID
	}
	var out []request
	for _, v := range []struct {
		version gosnmp.SnmpVersion
		scheme  string
	}{{gosnmp.Version2c, "community-v2c"}, {gosnmp.Version1, "community-v1"}} {
		g := &gosnmp.GoSNMP{Version: v.version, Community: community, Context: ctx}
		pkt := g.MkSnmpPacket(gosnmp.GetRequest, []gosnmp.SnmpPDU{{Name: snmp.OIDSysDescr, Type: gosnmp.Null}}, 0, 0)
		pkt.RequestID = newID() & 0x7fffffff
		b, err := pkt.MarshalMsg()
		if err != nil {
			return nil, fmt.Errorf("marshal %s get: %w", v.scheme, err)
		}
		out = append(out, request{id: pkt.RequestID, scheme: v.scheme, pkt: b})
	}
	return out, nil
}

// readAnswer reads datagrams until one answers a request with the same
// community; it returns that request's scheme. Malformed datagrams are
// remembered and skipped: a stray packet must not hide the real answer.
func readAnswer(conn net.Conn, reqs []request, community string) (string, error) {
	buf := make([]byte, snmp.MaxPacket+1)
	var bad error
	for range maxPackets {
		n, err := conn.Read(buf)
		if err != nil {
			if bad != nil && probe.Classify(err) == probe.StatusTimeout {
				return "", bad
			}
			return "", err
		}
		if n > snmp.MaxPacket {
			bad = probe.ErrTooLarge
			continue
		}
		resp, err := snmp.ParseResponse(buf[:n])
		if err != nil {
			bad = err
			continue
		}
		for _, r := range reqs {
			if resp.RequestID == r.id && resp.Community == community {
				return r.scheme, nil
			}
		}
	}
	if bad != nil {
		return "", bad
	}
	return "", fmt.Errorf("%w: too many answers to other requests", snmp.ErrMalformed)
}

func randomID() uint32 {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return binary.BigEndian.Uint32(b[:])
}
