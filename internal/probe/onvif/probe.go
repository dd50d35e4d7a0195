package onvif

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	nethttp "net/http"
	"strconv"
	"sync"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
	httpprobe "github.com/camwarden/camwarden/internal/probe/http"
)

func init() {
	probe.Register(probe.Spec{Probe: &Probe{}, Transport: "tcp", Over: "http", Order: 50})
	probe.Register(probe.Spec{Probe: &Probe{TLS: true}, Transport: "tcp", Over: "https", Order: 50})
}

// SourceDeviceInformation is the Source of the identity claims.
const SourceDeviceInformation = "onvif GetDeviceInformation"

// Probe identifies ONVIF on a port already known to speak HTTP (or HTTPS
// when TLS is set). Both variants report Protocol "onvif".
type Probe struct {
	TLS    bool
	Logger *slog.Logger // nil: discard
	// Markers are the catalogue's body rules, run over the pages of the
	// device service's refusals; nil loads the embedded catalogue's on
	// first use.
	Markers *httpprobe.Markers

	once    sync.Once
	markers *httpprobe.Markers
}

// bodyMarkers returns p.Markers or, once, the catalogue's.
func (p *Probe) bodyMarkers() *httpprobe.Markers {
	if p.Markers != nil {
		return p.Markers
	}
	p.once.Do(func() {
		m, err := httpprobe.LoadMarkers()
		if err != nil {
			p.logger().Error("onvif body markers unavailable", "err", err)
		}
		p.markers = m
	})
	return p.markers
}

// Name returns "onvif", or "onvif-tls" for the HTTPS variant (names are
// unique in the registry).
func (p *Probe) Name() string {
	if p.TLS {
		return "onvif-tls"
	}
	return "onvif"
}

func (p *Probe) logger() *slog.Logger {
	if p.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return p.Logger
}

const fieldMax = 256

// Probe asks GetSystemDateAndTime, which proves ONVIF (a SOAP fault does
// too), then GetDeviceInformation without credentials. A device service
// that demands HTTP authentication before any SOAP (Dahua, old Hikvision)
// is ONVIF too when its 401 is its own: written as SOAP, or not given to
// the same POST on a random path (a web server guarding every path says
// nothing about ONVIF).
func (p *Probe) Probe(ctx context.Context, d probe.Dialer, t probe.Target) (*probe.Service, error) {
	svc := &probe.Service{Port: t.Port, Transport: "tcp", Protocol: "onvif", TLS: p.TLS}
	env, rep, err := p.call(ctx, d, t, svc, DevicePath, ActionGetSystemDateAndTime, "<tds:GetSystemDateAndTime/>")
	if errors.Is(err, errHTTPAuth) && p.ownChallenge(ctx, d, t, svc, rep) {
		svc.Status = probe.StatusIdentified
		svc.SetField(probe.FieldONVIFHTTPAuth, "required")
		svc.SetField(probe.FieldONVIFInfoAuth, "required")
		p.recordRefusal(svc, rep)
		return svc, nil
	}
	if err != nil {
		return p.fail(ctx, svc, t, err)
	}
	if env.Fault == nil && env.Operation != "GetSystemDateAndTimeResponse" {
		return nil, fmt.Errorf("onvif %s: answer %q: %w", t.Address(), env.Operation, probe.ErrNoMatch)
	}
	svc.Status = probe.StatusIdentified
	svc.SetField(probe.FieldONVIFDeviceTime, deviceTime(env))
	info, rep, err := p.call(ctx, d, t, svc, DevicePath, ActionGetDeviceInformation, "<tds:GetDeviceInformation/>")
	switch {
	case errors.Is(err, errHTTPAuth) || (info != nil && info.Fault != nil && info.Fault.NotAuthorized()):
		svc.SetField(probe.FieldONVIFInfoAuth, "required")
		p.recordRefusal(svc, rep)
	case err == nil && info.Operation == "GetDeviceInformationResponse":
		svc.SetField(probe.FieldONVIFInfoAuth, "open")
		recordInfo(svc, info)
	case err != nil:
		p.logger().DebugContext(ctx, "onvif device information failed", "addr", t.Address(), "err", err)
	}
	return svc, nil
}

// ownChallenge reports whether an HTTP 401 to the device service is the
// device service's own: a SOAP-typed 401 with a challenge, or a challenge
// the same POST to a random path does not get.
func (p *Probe) ownChallenge(ctx context.Context, d probe.Dialer, t probe.Target, svc *probe.Service, rep *Reply) bool {
	if rep == nil || rep.StatusCode != nethttp.StatusUnauthorized || rep.Challenge == "" {
		return false
	}
	if isSOAPType(rep.ContentType) {
		return true
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	_, ctrl, err := p.call(ctx, d, t, svc, "/"+hex.EncodeToString(b), ActionGetSystemDateAndTime, "<tds:GetSystemDateAndTime/>")
	if ctrl == nil {
		p.logger().DebugContext(ctx, "onvif control request failed", "addr", t.Address(), "err", err)
		return false
	}
	return ctrl.StatusCode != nethttp.StatusUnauthorized && ctrl.StatusCode != nethttp.StatusForbidden
}

// recordRefusal keeps the WWW-Authenticate of a 401, its realm, and what
// the catalogue's body rules find in its page (an HTML refusal page names
// its maker as often as a root page does).
func (p *Probe) recordRefusal(svc *probe.Service, rep *Reply) {
	if rep == nil {
		return
	}
	if !bytes.Contains(rep.Body, []byte("Envelope")) {
		for _, m := range p.bodyMarkers().Find(rep.Body) {
			svc.AppendField(probe.FieldHTTPBodyHints, m)
		}
	}
	if rep.Challenge == "" {
		return
	}
	svc.SetField(probe.FieldONVIFWWWAuth, probe.Printable([]byte(rep.Challenge), fieldMax))
	if realm := challengeRealm(rep.Challenge); realm != "" {
		svc.SetField(probe.FieldONVIFRealm, probe.Printable([]byte(realm), fieldMax))
	}
}

// errHTTPAuth marks an HTTP 401/403 answer to a SOAP call.
var errHTTPAuth = errors.New("onvif: http authentication required")

// errNotSOAP marks an answer that is not a SOAP envelope at all.
var errNotSOAP = errors.New("onvif: answer is not soap")

// call sends one action to path, traces it and parses the answer.
func (p *Probe) call(ctx context.Context, d probe.Dialer, t probe.Target, svc *probe.Service, path, action, body string) (*Envelope, *Reply, error) {
	svc.Trace = append(svc.Trace, probe.TraceEntry{Dir: "send", Data: "POST " + path + " " + shortAction(action)})
	rep, err := callPath(ctx, d, t, p.TLS, path, action, body, nil, "")
	if rep == nil {
		svc.Trace = append(svc.Trace, probe.TraceEntry{Dir: "recv", Data: probe.Printable([]byte("error: "+err.Error()), 160)})
		return nil, nil, err
	}
	env, perr := ParseEnvelope(rep.Body)
	op := env.Operation
	if env.Fault != nil {
		op = "Fault " + env.Fault.Code
		for _, s := range env.Fault.Subcodes {
			op += " " + s
		}
	}
	if rep.Challenge != "" {
		op += " WWW-Authenticate: " + rep.Challenge
	}
	svc.Trace = append(svc.Trace, probe.TraceEntry{Dir: "recv", Data: probe.Printable([]byte("HTTP "+strconv.Itoa(rep.StatusCode)+" "+op), 160)})
	switch {
	case err != nil:
		return env, rep, err
	case perr == nil:
		return env, rep, nil
	case (rep.StatusCode == nethttp.StatusUnauthorized || rep.StatusCode == nethttp.StatusForbidden) &&
		!bytes.Contains(rep.Body, []byte("Envelope")):
		// A web server's refusal page (an HTML page may well have a
		// DOCTYPE), not SOAP.
		return env, rep, errHTTPAuth
	case errors.Is(perr, ErrDoctype):
		return env, rep, fmt.Errorf("onvif %s: %w", shortAction(action), perr)
	case rep.StatusCode == nethttp.StatusUnauthorized || rep.StatusCode == nethttp.StatusForbidden:
		return env, rep, errHTTPAuth
	case bytes.Contains(rep.Body, []byte("Envelope")):
		return env, rep, fmt.Errorf("onvif %s: %w", shortAction(action), perr)
	}
	return env, rep, fmt.Errorf("onvif %s: http %d: %w", shortAction(action), rep.StatusCode, errNotSOAP)
}

// fail turns a failed GetSystemDateAndTime into ErrNoMatch (not ONVIF) or
// a Service saying how the device misbehaved.
func (p *Probe) fail(ctx context.Context, svc *probe.Service, t probe.Target, err error) (*probe.Service, error) {
	if errors.Is(err, errNotSOAP) || errors.Is(err, errHTTPAuth) {
		return nil, fmt.Errorf("onvif %s: %v: %w", t.Address(), err, probe.ErrNoMatch)
	}
	p.logger().DebugContext(ctx, "onvif probe failed", "addr", t.Address(), "err", err)
	svc.Status = probe.Classify(err)
	switch {
	case errors.Is(err, probe.ErrTooLarge):
		svc.Status = probe.StatusTooLarge
	case svc.Status == probe.StatusError:
		svc.Status = probe.StatusMalformed // a SOAP answer that does not parse
	}
	svc.Error = err.Error()
	return svc, fmt.Errorf("onvif %s: %w", t.Address(), err)
}

// deviceTime returns the device's UTC clock as RFC 3339, or "".
func deviceTime(env *Envelope) string {
	const base = "GetSystemDateAndTimeResponse/SystemDateAndTime/UTCDateTime/"
	n := func(k string) int {
		v, err := strconv.Atoi(env.Fields[base+k])
		if err != nil {
			return -1
		}
		return v
	}
	y, mo, d := n("Date/Year"), n("Date/Month"), n("Date/Day")
	h, mi, s := n("Time/Hour"), n("Time/Minute"), n("Time/Second")
	if y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60 {
		return ""
	}
	return time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC).Format(time.RFC3339)
}

// recordInfo writes GetDeviceInformation as fields and claims.
func recordInfo(svc *probe.Service, env *Envelope) {
	const base = "GetDeviceInformationResponse/"
	items := []struct{ elem, field, attr string }{
		{"Manufacturer", probe.FieldONVIFManufacturer, probe.AttrVendor},
		{"Model", probe.FieldONVIFModel, probe.AttrModel},
		{"FirmwareVersion", probe.FieldONVIFFirmware, probe.AttrFirmware},
		{"SerialNumber", probe.FieldONVIFSerial, probe.AttrSerial},
		{"HardwareId", probe.FieldONVIFHardwareID, probe.AttrHardware},
	}
	for _, it := range items {
		v := probe.Printable([]byte(env.Fields[base+it.elem]), fieldMax)
		if v == "" {
			continue
		}
		svc.SetField(it.field, v)
		svc.Claims = append(svc.Claims, probe.Claim{Attr: it.attr, Value: v, Source: SourceDeviceInformation, Confidence: 0.9})
	}
}
