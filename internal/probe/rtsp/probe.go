package rtsp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"strings"

	"github.com/camwarden/camwarden/internal/probe"
)

// Ports where RTSP is expected.
var Ports = []uint16{554, 8554, 10554}

func init() {
	probe.Register(probe.Spec{Probe: &Probe{}, Transport: "tcp", Ports: Ports, Fallback: true, Order: 30})
}

// Route is a well-known RTSP stream path and the vendor it belongs to.
type Route struct {
	Path       string
	Vendor     string
	ServerHint string // Server header text that makes this route go first
}

// Routes are tried with DESCRIBE, in order, when "/" answers 404.
// Sources: cameradar routes, nmap rtsp-urls.txt, retina captures.
var Routes = []Route{
	{"/Streaming/Channels/101", "hikvision", "Hikvision"},
	{"/cam/realmonitor?channel=1&subtype=0", "dahua", "Rtsp Server/"},
	{"/h264Preview_01_main", "reolink", ""},
	{"/live.sdp", "generic", "VLC"},
	{"/stream1", "tp-link", ""},
}

// MaxDescribes bounds the DESCRIBE requests of one probe.
const MaxDescribes = 4

// Probe identifies RTSP. The zero value is ready to use.
type Probe struct {
	Logger *slog.Logger // nil: discard
}

// Name returns "rtsp".
func (p *Probe) Name() string { return "rtsp" }

func (p *Probe) logger() *slog.Logger {
	if p.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return p.Logger
}

// fieldMax is the longest header text kept in a field.
const fieldMax = 256

// Probe sends OPTIONS, then DESCRIBE without credentials on "/" and, if
// that is 404, on up to three well-known routes.
func (p *Probe) Probe(ctx context.Context, d probe.Dialer, t probe.Target) (*probe.Service, error) {
	c := &Client{Dialer: d, Addr: t.Address()}
	defer c.Close()
	svc := &probe.Service{Port: t.Port, Transport: "tcp", Protocol: "rtsp"}
	base := "rtsp://" + hostPort(t)
	opts, err := p.do(ctx, c, svc, "OPTIONS", base+"/")
	if err != nil {
		if errors.Is(err, ErrNotRTSP) {
			return nil, fmt.Errorf("rtsp options %s: %v: %w", t.Address(), err, probe.ErrNoMatch)
		}
		return fail(svc, err)
	}
	recordServer(svc, opts)
	svc.SetField(probe.FieldRTSPPublic, probe.Printable([]byte(strings.Join(HeaderList(opts.Header, "Public"), ", ")), fieldMax))
	for _, path := range describePaths(opts.Header.Get("Server")) {
		resp, err := p.do(ctx, c, svc, "DESCRIBE", base+path)
		if err != nil {
			svc.SetField(probe.FieldRTSPPath, path)
			return fail(svc, err)
		}
		recordServer(svc, resp)
		recordDescribe(svc, base+path, path, resp)
		if resp.StatusCode != 404 {
			break
		}
	}
	svc.Status = probe.StatusIdentified
	return svc, nil
}

// fail marks svc with the status of err and returns both.
func fail(svc *probe.Service, err error) (*probe.Service, error) {
	svc.Status = probe.Classify(err)
	if errors.Is(err, ErrMalformed) {
		svc.Status = probe.StatusMalformed
	}
	svc.Error = err.Error()
	return svc, err
}

func hostPort(t probe.Target) string {
	host := t.Addr.String()
	if t.Hostname != "" {
		host = t.Hostname
	}
	return net.JoinHostPort(host, strconv.Itoa(int(t.Port)))
}

// describePaths returns "/" then the routes, those hinted by the Server
// header first, MaxDescribes in all.
func describePaths(server string) []string {
	paths := []string{"/"}
	var rest []string
	for _, r := range Routes {
		if r.ServerHint != "" && strings.Contains(server, r.ServerHint) {
			paths = append(paths, r.Path)
		} else {
			rest = append(rest, r.Path)
		}
	}
	paths = append(paths, rest...)
	return paths[:min(len(paths), MaxDescribes)]
}

// do sends one request and traces it.
func (p *Probe) do(ctx context.Context, c *Client, svc *probe.Service, method, url string) (*Response, error) {
	svc.Trace = append(svc.Trace, probe.TraceEntry{Dir: "send", Data: probe.Printable([]byte(method+" "+url+" RTSP/1.0"), 160)})
	resp, err := c.Do(ctx, &Request{Method: method, URL: url})
	if resp != nil {
		svc.Trace = append(svc.Trace, probe.TraceEntry{Dir: "recv", Data: probe.Printable([]byte(resp.Proto+" "+resp.Status), 160)})
	} else if err != nil {
		svc.Trace = append(svc.Trace, probe.TraceEntry{Dir: "recv", Data: probe.Printable([]byte("error: "+err.Error()), 160)})
	}
	if err != nil {
		p.logger().DebugContext(ctx, "rtsp request failed", "method", method, "url", url, "err", err)
	}
	return resp, err
}

// recordServer keeps the Server header of every answer (one a line).
func recordServer(svc *probe.Service, resp *Response) {
	svc.AppendField(probe.FieldRTSPServer, probe.Printable([]byte(strings.TrimSpace(resp.Header.Get("Server"))), fieldMax))
}

// recordDescribe writes the DESCRIBE outcome: status, path, the
// well-known route that answered, every challenge with its scheme and
// realm (a 401 may carry Basic and Digest), and for a 200 the SDP and the
// stream's base URL.
func recordDescribe(svc *probe.Service, url, path string, resp *Response) {
	svc.SetField(probe.FieldRTSPStatus, strconv.Itoa(resp.StatusCode))
	svc.SetField(probe.FieldRTSPPath, path)
	if path != "/" && resp.StatusCode != 404 {
		svc.SetField(probe.FieldRTSPRoute, probe.Printable([]byte(path), fieldMax))
	}
	for _, v := range resp.Header.Values("WWW-Authenticate") {
		svc.AppendField(probe.FieldRTSPWWWAuth, probe.Printable([]byte(strings.TrimSpace(v)), fieldMax))
	}
	var schemes []string
	for _, c := range ParseChallenges(resp.Header.Values("WWW-Authenticate")) {
		if !slices.Contains(schemes, c.Scheme) {
			schemes = append(schemes, c.Scheme)
		}
		svc.AppendField(probe.FieldRTSPRealm, probe.Printable([]byte(c.Realm()), fieldMax))
	}
	svc.SetField(probe.FieldRTSPAuthScheme, probe.Printable([]byte(strings.Join(schemes, ",")), 64))
	if resp.StatusCode == 200 {
		svc.SetField(probe.FieldRTSPSDP, CleanSDP(resp.Body))
		svc.SetField(probe.FieldRTSPContentBase, probe.Printable([]byte(resp.BaseURL(url)), fieldMax))
	}
}

// CleanSDP keeps an SDP readable: CRLF becomes LF and other control bytes
// are dropped.
func CleanSDP(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		if c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f) {
			sb.WriteByte(c)
		}
	}
	return sb.String()
}
