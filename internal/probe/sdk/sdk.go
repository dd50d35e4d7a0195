// Package sdk records the vendor proprietary SDK and debug ports of cameras
// and recorders: Hikvision's SDK port (8000), Dahua's (37777), Xiongmai
// XMeye's NETIP/DVRIP port (34567) and Xiongmai's debug shell port (9527).
//
// These protocols are binary and undocumented; camwarden sends them no
// protocol bytes. A completed TCP connect on the hinted port is the whole
// observation: the exposure check uses it to flag management ports that
// should not be reachable from untrusted networks. Port 8000 is also a
// common web port (Reolink's ONVIF, many DVR web pages), so the Hikvision
// probe first asks "is this HTTP?" with one HEAD request and steps aside
// (ErrNoMatch) when an HTTP status line comes back.
package sdk

import (
	"context"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
)

// Protocol names of the SDK probes, as used in probe.Service.Protocol.
const (
	ProtocolHikvision  = "hikvision-sdk"
	ProtocolDahua      = "dahua-sdk"
	ProtocolXMeye      = "xmeye-sdk"
	ProtocolXMeyeDebug = "xmeye-debug"
	vendorHikvision    = "hikvision"
	vendorDahua        = "dahua"
	vendorXiongmai     = "xiongmai"
	sdkOrder           = 90 // after every other hinted probe of the same port
)

// Probe records one vendor SDK port as open when a TCP connection to it
// completes. It sends nothing and reads nothing.
type Probe struct {
	Protocol string       // service protocol name, e.g. "hikvision-sdk"
	Vendor   string       // value of probe.FieldSDKVendor, e.g. "hikvision"
	Logger   *slog.Logger // nil means discard
	// RejectHTTP makes the probe send one HEAD request and return
	// probe.ErrNoMatch when the port answers with HTTP.
	RejectHTTP bool
}

// httpCheckWait bounds how long RejectHTTP waits for an HTTP answer: a
// web server answers HEAD in milliseconds on a LAN; an SDK port stays
// silent or closes.
const httpCheckWait = time.Second

// Name returns the protocol name.
func (p Probe) Name() string { return p.Protocol }

// Probe connects to t over TCP and closes the connection at once. A
// completed connect is reported as identified; a failed one as the
// status of the failure (refused, timeout...).
func (p Probe) Probe(ctx context.Context, d probe.Dialer, t probe.Target) (*probe.Service, error) {
	conn, failed, err := probe.Connect(ctx, d, t, p.Protocol)
	if err != nil {
		return failed, err
	}
	defer conn.Close()
	if p.RejectHTTP && speaksHTTP(ctx, conn) {
		return nil, probe.ErrNoMatch
	}
	p.logger().DebugContext(ctx, "sdk port open", "protocol", p.Protocol, "addr", t.Address())
	s := &probe.Service{Port: t.Port, Transport: "tcp", Protocol: p.Protocol, Status: probe.StatusIdentified}
	s.SetField(probe.FieldSDKVendor, p.Vendor)
	payload := "tcp connect (no payload)"
	if p.RejectHTTP {
		payload = "HEAD / HTTP/1.0 (no HTTP answer)"
	}
	s.Trace = append(s.Trace, probe.TraceEntry{Dir: "send", Data: payload})
	return s, nil
}

// speaksHTTP sends one HEAD request and reports whether an HTTP status
// line came back within httpCheckWait.
func speaksHTTP(ctx context.Context, conn net.Conn) bool {
	ctx, cancel := context.WithTimeout(ctx, httpCheckWait)
	defer cancel()
	stop := probe.ApplyDeadline(ctx, conn, httpCheckWait)
	defer stop()
	if _, err := conn.Write([]byte("HEAD / HTTP/1.0\r\n\r\n")); err != nil {
		return false
	}
	buf := make([]byte, 5)
	n, _ := io.ReadFull(conn, buf)
	return string(buf[:n]) == "HTTP/"
}

func (p Probe) logger() *slog.Logger {
	if p.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return p.Logger
}

// Specs returns the registration of the four SDK probes.
func Specs() []probe.Spec {
	return []probe.Spec{
		{Probe: Probe{Protocol: ProtocolHikvision, Vendor: vendorHikvision, RejectHTTP: true}, Transport: "tcp", Ports: []uint16{8000}, Order: sdkOrder},
		{Probe: Probe{Protocol: ProtocolDahua, Vendor: vendorDahua}, Transport: "tcp", Ports: []uint16{37777}, Order: sdkOrder},
		{Probe: Probe{Protocol: ProtocolXMeye, Vendor: vendorXiongmai}, Transport: "tcp", Ports: []uint16{34567}, Order: sdkOrder},
		{Probe: Probe{Protocol: ProtocolXMeyeDebug, Vendor: vendorXiongmai}, Transport: "tcp", Ports: []uint16{9527}, Order: sdkOrder},
	}
}

func init() {
	for _, s := range Specs() {
		probe.Register(s)
	}
}
