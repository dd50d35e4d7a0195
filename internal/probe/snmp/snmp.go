// Package snmp identifies SNMP agents with one polite SNMPv2c GET of
// sysDescr.0 and sysObjectID.0 (and the vendor MIB identity objects of
// IdentityOIDs) using the read community "public". Packets
// are built and parsed by gosnmp; the I/O is ours, over the injected
// dialer's UDP connection, so reads are capped in bytes and time.
package snmp

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
	"github.com/gosnmp/gosnmp"
)

const (
	// Protocol is the service protocol name.
	Protocol = "snmp"
	// DefaultCommunity is the read community tried.
	DefaultCommunity = "public"
	// OIDSysDescr and OIDSysObjectID are the two objects read (RFC 3418).
	OIDSysDescr    = ".1.3.6.1.2.1.1.1.0"
	OIDSysObjectID = ".1.3.6.1.2.1.1.2.0"
	// MaxPacket caps the size of an accepted answer.
	MaxPacket       = 8 << 10
	defaultTimeout  = 3 * time.Second
	defaultRetries  = 1
	maxDescr        = 512
	maxStrayPackets = 16 // answers with a foreign request ID tolerated per attempt
)

// ErrMalformed is returned for an answer gosnmp cannot decode.
var ErrMalformed = errors.New("snmp: malformed answer")

// Response is what an agent answered.
type Response struct {
	RequestID   uint32
	Community   string
	SysDescr    string // "" when the agent did not return it
	SysObjectID string // dotted OID, "" when absent
	// Private holds the IdentityOIDs the agent returned as text, by OID.
	Private map[string]string
	// ErrorStatus is the PDU's error-status (0: noError).
	ErrorStatus int
}

// Probe asks an SNMP agent for its description.
type Probe struct {
	Logger    *slog.Logger // nil means discard
	Community string       // "" means DefaultCommunity
	Retries   int          // extra attempts after the first; 0 means 1, negative means none
	// newRequestID is replaced in tests to replay captured answers.
	newRequestID func() uint32
}

// Name returns the protocol name.
func (Probe) Name() string { return Protocol }

// Probe sends a GET to t over UDP and waits for the answer until ctx's
// deadline (3 s without one), split between the attempts. A silent or
// closed port is ErrNoMatch with nothing recorded: over UDP the two look
// alike. An undecodable or oversized answer is malformed or too-large.
func (p Probe) Probe(ctx context.Context, d probe.Dialer, t probe.Target) (*probe.Service, error) {
	community := p.Community
	if community == "" {
		community = DefaultCommunity
	}
	req, reqID, err := p.request(ctx, community, true)
	if err != nil {
		return nil, err
	}
	conn, err := d.DialContext(ctx, "udp", t.Address())
	if err != nil {
		err = fmt.Errorf("snmp dial %s: %w", t.Address(), err)
		return probe.Failed(t, Protocol, err), err
	}
	defer func() { _ = conn.Close() }()
	stop := probe.ApplyDeadline(ctx, conn, defaultTimeout)
	defer stop()
	resp, raw, err := p.exchange(ctx, conn, req, reqID)
	trace := []probe.TraceEntry{{Dir: "send", Data: fmt.Sprintf("GET sysDescr.0 sysObjectID.0 and %d vendor identity objects, community %q", len(IdentityOIDs), community)}}
	if len(raw) > 0 {
		trace = append(trace, probe.TraceEntry{Dir: "recv", Data: probe.Printable(raw, maxDescr)})
	}
	if err == nil && resp.ErrorStatus != 0 {
		// An agent that refuses the whole GET for an object it lacks
		// (SNMPv1 manners) is asked for the system group alone.
		if req, reqID, err = p.request(ctx, community, false); err != nil {
			return nil, err
		}
		resp, raw, err = p.exchange(ctx, conn, req, reqID)
		trace = append(trace, probe.TraceEntry{Dir: "send", Data: fmt.Sprintf("GET sysDescr.0 sysObjectID.0 community %q", community)})
		if len(raw) > 0 {
			trace = append(trace, probe.TraceEntry{Dir: "recv", Data: probe.Printable(raw, maxDescr)})
		}
	}
	logger(p.Logger).DebugContext(ctx, "snmp get", "addr", t.Address(), "bytes", len(raw), "err", err)
	if err != nil {
		if errors.Is(err, probe.ErrNoMatch) {
			return nil, fmt.Errorf("snmp get %s: %w", t.Address(), err)
		}
		err = fmt.Errorf("snmp get %s: %w", t.Address(), err)
		s := probe.Failed(t, Protocol, err)
		if errors.Is(err, ErrMalformed) {
			s.Status = probe.StatusMalformed
		}
		s.Trace = trace
		return s, err
	}
	s := &probe.Service{Port: t.Port, Transport: "udp", Protocol: Protocol, Status: probe.StatusIdentified, Trace: trace}
	s.SetField(probe.FieldSNMPCommunity, community)
	s.SetField(probe.FieldSNMPSysDescr, probe.Printable([]byte(resp.SysDescr), maxDescr))
	s.SetField(probe.FieldSNMPSysObjectID, probe.Printable([]byte(resp.SysObjectID), 128))
	for _, o := range IdentityOIDs {
		if v := probe.Printable([]byte(resp.Private[o.OID]), maxPrivate); v != "" {
			s.AppendField(probe.FieldSNMPPrivate, PrivateLine(o.OID, v))
		}
	}
	return s, nil
}

// request builds the BER GET packet: the system group objects, and the
// vendor identity objects when vendor is set.
func (p Probe) request(ctx context.Context, community string, vendor bool) ([]byte, uint32, error) {
	id := p.newRequestID
	if id == nil {
		id = randomID
	}
	reqID := id() & 0x7fffffff
	g := &gosnmp.GoSNMP{Version: gosnmp.Version2c, Community: community, Context: ctx}
	vars := []gosnmp.SnmpPDU{{Name: OIDSysDescr, Type: gosnmp.Null}, {Name: OIDSysObjectID, Type: gosnmp.Null}}
	if vendor {
		for _, o := range IdentityOIDs {
			vars = append(vars, gosnmp.SnmpPDU{Name: o.OID, Type: gosnmp.Null})
		}
	}
	pkt := g.MkSnmpPacket(gosnmp.GetRequest, vars, 0, 0)
	pkt.RequestID = reqID
	b, err := pkt.MarshalMsg()
	if err != nil {
		return nil, 0, fmt.Errorf("snmp build request: %w", err)
	}
	return b, reqID, nil
}

// exchange sends req up to 1+Retries times, each attempt getting an equal
// share of the time left, and returns the first matching answer.
func (p Probe) exchange(ctx context.Context, conn net.Conn, req []byte, reqID uint32) (Response, []byte, error) {
	attempts := 1 + defaultRetries
	if p.Retries > 0 {
		attempts = 1 + p.Retries
	} else if p.Retries < 0 {
		attempts = 1
	}
	end, ok := ctx.Deadline()
	if !ok {
		end = time.Now().Add(defaultTimeout)
	}
	buf := make([]byte, MaxPacket+1)
	for i := range attempts {
		if _, err := conn.Write(req); err != nil {
			return Response{}, nil, noMatchIfClosed(err)
		}
		share := time.Until(end) / time.Duration(attempts-i)
		_ = conn.SetReadDeadline(time.Now().Add(share))
		resp, raw, err := readAnswer(conn, buf, reqID)
		if err == nil || !isTimeout(err) {
			return resp, raw, err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return Response{}, nil, fmt.Errorf("%w: no answer from a udp port (silent or closed)", probe.ErrNoMatch)
}

// readAnswer reads datagrams until one carries reqID.
func readAnswer(conn net.Conn, buf []byte, reqID uint32) (Response, []byte, error) {
	for range maxStrayPackets {
		n, err := conn.Read(buf)
		if err != nil {
			return Response{}, nil, noMatchIfClosed(err)
		}
		raw := buf[:n]
		if n > MaxPacket {
			return Response{}, raw[:MaxPacket], probe.ErrTooLarge
		}
		resp, err := ParseResponse(raw)
		if err != nil {
			return Response{}, raw, err
		}
		if resp.RequestID == reqID {
			return resp, raw, nil
		}
	}
	return Response{}, nil, fmt.Errorf("%w: too many answers to other requests", ErrMalformed)
}

// ParseResponse decodes an SNMP v1/v2c GetResponse with gosnmp's decoder.
// Any decoding failure, including a panic inside the decoder, is
// ErrMalformed.
func ParseResponse(b []byte) (resp Response, err error) {
	defer func() {
		if r := recover(); r != nil {
			resp, err = Response{}, fmt.Errorf("%w: decoder panic: %v", ErrMalformed, r)
		}
	}()
	pkt, err := (&gosnmp.GoSNMP{Version: gosnmp.Version2c}).SnmpDecodePacket(b)
	if err != nil {
		return Response{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if pkt.Version == gosnmp.Version3 || pkt.PDUType != gosnmp.GetResponse {
		return Response{}, fmt.Errorf("%w: not a v1/v2c GetResponse (pdu %v)", ErrMalformed, pkt.PDUType)
	}
	resp = Response{RequestID: pkt.RequestID, Community: pkt.Community, ErrorStatus: int(pkt.Error)}
	for _, v := range pkt.Variables {
		switch v.Name {
		case OIDSysDescr:
			if b, ok := v.Value.([]byte); ok && v.Type == gosnmp.OctetString {
				resp.SysDescr = string(b)
			}
		case OIDSysObjectID:
			if s, ok := v.Value.(string); ok && v.Type == gosnmp.ObjectIdentifier {
				resp.SysObjectID = s
			}
		default:
			if b, ok := v.Value.([]byte); ok && v.Type == gosnmp.OctetString && isIdentityOID(v.Name) {
				if resp.Private == nil {
					resp.Private = map[string]string{}
				}
				resp.Private[v.Name] = string(b)
			}
		}
	}
	return resp, nil
}

func noMatchIfClosed(err error) error {
	if probe.Classify(err) == probe.StatusRefused {
		return fmt.Errorf("%w: udp port closed: %w", probe.ErrNoMatch, err)
	}
	return err
}

func isTimeout(err error) bool { return probe.Classify(err) == probe.StatusTimeout }

func randomID() uint32 {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return binary.BigEndian.Uint32(b[:])
}

func logger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}

func init() {
	probe.Register(probe.Spec{Probe: Probe{}, Transport: "udp", Ports: []uint16{161}, Order: 60})
}
