package onvif

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	nethttp "net/http"
	"strconv"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
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
// too), then GetDeviceInformation without credentials.
func (p *Probe) Probe(ctx context.Context, d probe.Dialer, t probe.Target) (*probe.Service, error) {
	svc := &probe.Service{Port: t.Port, Transport: "tcp", Protocol: "onvif", TLS: p.TLS}
	env, err := p.call(ctx, d, t, svc, ActionGetSystemDateAndTime, "<tds:GetSystemDateAndTime/>")
	if err != nil {
		return p.fail(ctx, svc, t, err)
	}
	if env.Fault == nil && env.Operation != "GetSystemDateAndTimeResponse" {
		return nil, fmt.Errorf("onvif %s: answer %q: %w", t.Address(), env.Operation, probe.ErrNoMatch)
	}
	svc.Status = probe.StatusIdentified
	svc.SetField(probe.FieldONVIFDeviceTime, deviceTime(env))
	info, err := p.call(ctx, d, t, svc, ActionGetDeviceInformation, "<tds:GetDeviceInformation/>")
	switch {
	case errors.Is(err, errHTTPAuth) || (info != nil && info.Fault != nil && info.Fault.NotAuthorized()):
		svc.SetField(probe.FieldONVIFInfoAuth, "required")
	case err == nil && info.Operation == "GetDeviceInformationResponse":
		svc.SetField(probe.FieldONVIFInfoAuth, "open")
		recordInfo(svc, info)
	case err != nil:
		p.logger().DebugContext(ctx, "onvif device information failed", "addr", t.Address(), "err", err)
	}
	return svc, nil
}

// errHTTPAuth marks an HTTP 401/403 answer to a SOAP call.
var errHTTPAuth = errors.New("onvif: http authentication required")

// errNotSOAP marks an answer that is not a SOAP envelope at all.
var errNotSOAP = errors.New("onvif: answer is not soap")

// call sends one action, traces it and parses the answer.
func (p *Probe) call(ctx context.Context, d probe.Dialer, t probe.Target, svc *probe.Service, action, body string) (*Envelope, error) {
	svc.Trace = append(svc.Trace, probe.TraceEntry{Dir: "send", Data: "POST " + DevicePath + " " + shortAction(action)})
	rep, err := Call(ctx, d, t, p.TLS, action, body, nil)
	if rep == nil {
		svc.Trace = append(svc.Trace, probe.TraceEntry{Dir: "recv", Data: probe.Printable([]byte("error: "+err.Error()), 160)})
		return nil, err
	}
	env, perr := ParseEnvelope(rep.Body)
	op := env.Operation
	if env.Fault != nil {
		op = "Fault " + env.Fault.Code
		for _, s := range env.Fault.Subcodes {
			op += " " + s
		}
	}
	svc.Trace = append(svc.Trace, probe.TraceEntry{Dir: "recv", Data: probe.Printable([]byte("HTTP "+strconv.Itoa(rep.StatusCode)+" "+op), 160)})
	switch {
	case err != nil:
		return env, err
	case errors.Is(perr, ErrDoctype):
		return env, fmt.Errorf("onvif %s: %w", shortAction(action), perr)
	case perr == nil:
		return env, nil
	case rep.StatusCode == nethttp.StatusUnauthorized || rep.StatusCode == nethttp.StatusForbidden:
		return env, errHTTPAuth
	case bytes.Contains(rep.Body, []byte("Envelope")):
		return env, fmt.Errorf("onvif %s: %w", shortAction(action), perr)
	}
	return env, fmt.Errorf("onvif %s: http %d: %w", shortAction(action), rep.StatusCode, errNotSOAP)
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
