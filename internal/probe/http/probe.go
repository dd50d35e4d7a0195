package http

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	nethttp "net/http"
	"sync"
	"time"

	"github.com/camwarden/camwarden/internal/login/identity"
	"github.com/camwarden/camwarden/internal/probe"
)

// Ports where HTTP is expected (8000 is the Hikvision SDK, not HTTP).
var Ports = []uint16{80, 81, 88, 443, 5000, 8080, 8081, 8443, 8899, 9000, 49152}

// tlsFirstPorts are tried with TLS before plain HTTP.
var tlsFirstPorts = []uint16{443, 8443}

func init() {
	probe.Register(probe.Spec{Probe: &Probe{}, Transport: "tcp", Ports: Ports, Fallback: true, Order: 10})
}

// DefaultRequestTimeout bounds one request when the context allows more.
const DefaultRequestTimeout = 5 * time.Second

// Probe identifies HTTP and HTTPS services. The zero value is ready to use.
type Probe struct {
	Logger         *slog.Logger  // nil: discard
	RequestTimeout time.Duration // per request; 0: DefaultRequestTimeout
	// Markers are the body rules run over pages; nil loads the embedded
	// catalogue's on first use.
	Markers *Markers

	once    sync.Once
	markers *Markers
}

// bodyMarkers returns p.Markers or, once, the catalogue's.
func (p *Probe) bodyMarkers() *Markers {
	if p.Markers != nil {
		return p.Markers
	}
	p.once.Do(func() {
		m, err := LoadMarkers()
		if err != nil {
			p.logger().Error("http body markers unavailable", "err", err)
		}
		p.markers = m
	})
	return p.markers
}

// Name returns "http".
func (p *Probe) Name() string { return "http" }

func (p *Probe) logger() *slog.Logger {
	if p.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return p.Logger
}

// session is one probe run against one target over plain HTTP or TLS.
type session struct {
	p        *Probe
	client   *nethttp.Client
	base     string
	svc      *probe.Service
	location string // Location of the first redirect followed
}

// Probe fetches / (trying TLS too when the answer is not plain HTTP), then
// the favicon and the vendor identity endpoints.
func (p *Probe) Probe(ctx context.Context, d probe.Dialer, t probe.Target) (*probe.Service, error) {
	order := []bool{false, true}
	for _, port := range tlsFirstPorts {
		if t.Port == port {
			order = []bool{true, false}
		}
	}
	var firstErr error
	allNotHTTP := true
	for i, useTLS := range order {
		s := p.newSession(d, t, useTLS)
		root, err := s.get(ctx, nethttp.MethodGet, "/", "", nil)
		if root != nil && i == 0 && !useTLS && wantsTLS(root) {
			ts := p.newSession(d, t, true)
			if troot, terr := ts.get(ctx, nethttp.MethodGet, "/", "", nil); troot != nil {
				return ts.finish(ctx, troot, terr)
			}
		}
		if root != nil {
			return s.finish(ctx, root, err)
		}
		if firstErr == nil {
			firstErr = err
		}
		allNotHTTP = allNotHTTP && notHTTP(err)
		if st := classify(err); st == probe.StatusTimeout || st == probe.StatusTooLarge || ctx.Err() != nil {
			break // a slow or flooding peer is not retried
		}
	}
	if allNotHTTP {
		return nil, fmt.Errorf("http get / on %s: %v: %w", t.Address(), firstErr, probe.ErrNoMatch)
	}
	svc := probe.Failed(t, "http", firstErr)
	svc.Status = classify(firstErr)
	return svc, fmt.Errorf("http get / on %s: %w", t.Address(), firstErr)
}

// wantsTLS reports a plain answer that says "this port speaks HTTPS", as
// nginx ("The plain HTTP request was sent to HTTPS port") and Go servers
// ("Client sent an HTTP request to an HTTPS server") send.
func wantsTLS(r *Reply) bool {
	return r.Resp.StatusCode == nethttp.StatusBadRequest && bytes.Contains(bytes.ToLower(r.Body), []byte("https"))
}

func (p *Probe) newSession(d probe.Dialer, t probe.Target, useTLS bool) *session {
	proto := "http"
	if useTLS {
		proto = "https"
	}
	s := &session{p: p, client: NewClient(d, t), base: BaseURL(t, useTLS),
		svc: &probe.Service{Port: t.Port, Transport: "tcp", Protocol: proto, TLS: useTLS}}
	follow := s.client.CheckRedirect
	s.client.CheckRedirect = func(req *nethttp.Request, via []*nethttp.Request) error {
		if s.location == "" && req.Response != nil {
			s.location = req.Response.Header.Get("Location")
		}
		return follow(req, via)
	}
	return s
}

// finish records the root reply and, when it was read cleanly, asks for
// the favicon and the vendor endpoints.
func (s *session) finish(ctx context.Context, root *Reply, rootErr error) (*probe.Service, error) {
	markers := s.p.bodyMarkers()
	recordRoot(s.svc, root, markers)
	if s.location != "" {
		s.svc.SetField(probe.FieldHTTPLocation, probe.Printable([]byte(s.location), fieldMax))
	}
	if rootErr != nil {
		s.svc.Status = classify(rootErr)
		s.svc.Error = rootErr.Error()
		return s.svc, fmt.Errorf("http read / body on %s: %w", s.base, rootErr)
	}
	s.svc.Status = probe.StatusIdentified
	s.followPage(ctx, root, markers)
	s.favicon(ctx)
	s.vendorAPIs(ctx)
	return s.svc, nil
}

// get sends one request with the per-request timeout and traces it. A
// reply is returned whenever a status line and headers were read, even if
// the body then failed.
func (s *session) get(ctx context.Context, method, path, contentType string, body []byte) (*Reply, error) {
	timeout := s.p.RequestTimeout
	if timeout <= 0 {
		timeout = DefaultRequestTimeout
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := nethttp.NewRequestWithContext(rctx, method, s.base+path, rd)
	if err != nil {
		return nil, fmt.Errorf("build request %s: %w", path, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	s.trace("send", method+" "+path+" HTTP/1.1")
	reply, err := Do(s.client, req)
	if reply == nil {
		s.trace("recv", "error: "+err.Error())
		s.p.logger().DebugContext(ctx, "http request failed", "url", s.base+path, "err", err)
		return nil, err
	}
	s.trace("recv", reply.Resp.Proto+" "+reply.Resp.Status)
	recordReply(s.svc, reply)
	if reply.Resp.StatusCode != nethttp.StatusOK || path != "/" {
		// An error page or an API answer can name its maker too (the
		// ISAPI 401 body); pages are done by recordPage.
		for _, m := range s.p.bodyMarkers().Find(reply.Body) {
			s.svc.AppendField(probe.FieldHTTPBodyHints, m)
		}
	}
	return reply, err
}

// followPage fetches, once, the same-host page the root page sends a
// browser to by meta refresh or script (a login page, mostly) and keeps
// its title and body markers.
func (s *session) followPage(ctx context.Context, root *Reply, markers *Markers) {
	base := root.Resp.Request.URL
	hop := NextHop(base, root.Body)
	if hop == "" {
		return
	}
	if s.svc.Fields[probe.FieldHTTPLocation] == "" {
		s.svc.SetField(probe.FieldHTTPLocation, probe.Printable([]byte(hop), fieldMax))
	}
	if r, err := s.get(ctx, nethttp.MethodGet, hop, "", nil); r != nil && err == nil {
		recordPage(s.svc, r, markers)
	}
}

// traceMax bounds the trace of one service.
const traceMax = 24

func (s *session) trace(dir, line string) {
	if len(s.svc.Trace) < traceMax {
		s.svc.Trace = append(s.svc.Trace, probe.TraceEntry{Dir: dir, Data: probe.Printable([]byte(line), 160)})
	}
}

// favicon hashes /favicon.ico when it is a real icon (not an HTML page
// served for every path).
func (s *session) favicon(ctx context.Context) {
	r, err := s.get(ctx, nethttp.MethodGet, "/favicon.ico", "", nil)
	if err != nil || r.Resp.StatusCode != nethttp.StatusOK || len(r.Body) == 0 {
		return
	}
	if bytes.HasPrefix(bytes.TrimSpace(r.Body), []byte("<")) {
		return
	}
	s.svc.SetField(probe.FieldHTTPFaviconMD5, FaviconMD5(r.Body))
	s.svc.SetField(probe.FieldHTTPFaviconMMH3, FaviconMMH3(r.Body))
}

// Vendor identity endpoints and the FieldHTTPAPI value each proves.
const (
	pathISAPI        = "/ISAPI/System/deviceInfo"
	pathDahuaSystem  = "/cgi-bin/magicBox.cgi?action=getSystemInfo"
	pathDahuaVersion = "/cgi-bin/magicBox.cgi?action=getSoftwareVersion"
	pathAxis         = "/axis-cgi/basicdeviceinfo.cgi"
	pathReolink      = "/api.cgi?cmd=GetDevInfo"
	pathAVTECH       = "/cgi-bin/nobody/Machine.cgi?action=get_capability"
	bodyAxis         = `{"apiVersion":"1.0","method":"getAllUnrestrictedProperties"}`
	bodyReolink      = `[{"cmd":"GetDevInfo","action":0,"param":{}}]`
)

// vendorAPIs asks the unauthenticated identity endpoints in turn and stops
// at the first one that answers in its vendor's format.
func (s *session) vendorAPIs(ctx context.Context) {
	steps := []func(context.Context) bool{s.isapi, s.dahua, s.axis, s.reolink, s.avtech}
	for _, step := range steps {
		if ctx.Err() != nil || step(ctx) {
			return
		}
	}
}

func (s *session) ok200(ctx context.Context, method, path, ct string, body []byte) []byte {
	r, err := s.get(ctx, method, path, ct, body)
	if err != nil || r.Resp.StatusCode != nethttp.StatusOK {
		return nil
	}
	return r.Body
}

func (s *session) isapi(ctx context.Context) bool {
	cl := openClaims(s.ok200(ctx, nethttp.MethodGet, pathISAPI, "", nil), identity.ParseISAPI, SourceISAPI)
	if !has(cl, probe.AttrModel) {
		return false
	}
	s.svc.SetField(probe.FieldHTTPAPI, "isapi")
	s.svc.Claims = append(s.svc.Claims, cl...)
	return true
}

// dahua asks getSystemInfo, and getSoftwareVersion only when the first
// proved the API (a model or a serial).
func (s *session) dahua(ctx context.Context) bool {
	cl := openClaims(s.ok200(ctx, nethttp.MethodGet, pathDahuaSystem, "", nil), identity.ParseDahuaCGI, SourceDahua)
	if !has(cl, probe.AttrModel, probe.AttrSerial) {
		return false
	}
	ver := openClaims(s.ok200(ctx, nethttp.MethodGet, pathDahuaVersion, "", nil), identity.ParseDahuaCGI, SourceDahua)
	for _, c := range ver {
		if c.Attr == probe.AttrFirmware || c.Attr == probe.AttrBuildDate {
			cl = append(cl, c)
		}
	}
	s.svc.SetField(probe.FieldHTTPAPI, "dahua-cgi")
	s.svc.Claims = append(s.svc.Claims, cl...)
	return true
}

func (s *session) axis(ctx context.Context) bool {
	cl := openClaims(s.ok200(ctx, nethttp.MethodPost, pathAxis, "application/json", []byte(bodyAxis)),
		identity.ParseAxisBasicDeviceInfo, SourceAxis)
	if cl == nil {
		return false
	}
	s.svc.SetField(probe.FieldHTTPAPI, "vapix")
	s.svc.Claims = append(s.svc.Claims, cl...)
	return true
}

func (s *session) reolink(ctx context.Context) bool {
	b := s.ok200(ctx, nethttp.MethodPost, pathReolink, "application/json", []byte(bodyReolink))
	cl := openClaims(b, identity.ParseReolinkDevInfo, SourceReolink)
	if cl == nil && !reolinkLoginRequired(b) {
		return false
	}
	s.svc.SetField(probe.FieldHTTPAPI, "reolink-api")
	s.svc.Claims = append(s.svc.Claims, cl...)
	return true
}

func (s *session) avtech(ctx context.Context) bool {
	cl := openClaims(s.ok200(ctx, nethttp.MethodGet, pathAVTECH, "", nil), identity.ParseAVTECHCapability, SourceAVTECH)
	if cl == nil {
		return false
	}
	s.svc.SetField(probe.FieldHTTPAPI, "avtech-cgi")
	s.svc.Claims = append(s.svc.Claims, cl...)
	return true
}
