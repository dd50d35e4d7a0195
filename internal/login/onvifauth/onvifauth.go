// Package onvifauth tries ONVIF WS-Security UsernameToken PasswordDigest
// logins, with Created set to the device's clock (GetSystemDateAndTime),
// and checks which device-service operations answer without a token.
package onvifauth

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/onvif"
)

// Operation is one device-service request used to test authentication.
type Operation struct {
	Name, Action, Body string
}

// Operations are tried in order: GetUsers (administration: the account
// list) and GetDeviceInformation (READ_SYSTEM, which ONVIF Core puts
// behind authentication). An operation the device does not implement is
// skipped.
var Operations = []Operation{
	{"GetUsers", "http://www.onvif.org/ver10/device/wsdl/GetUsers", `<GetUsers xmlns="http://www.onvif.org/ver10/device/wsdl"/>`},
	{"GetDeviceInformation", onvif.ActionGetDeviceInformation, `<GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/>`},
}

// Method logs in on the ONVIF device service of an HTTP(S) port.
type Method struct {
	TLS bool
	// Now is the local clock (nil: time.Now).
	Now func() time.Time
	// offset is the device clock minus the local clock, and info the
	// GetDeviceInformation answer, of the last successful Try: the
	// identity read after login reuses them (identity.go).
	offset time.Duration
	info   []byte
}

// Name returns "onvif-wsse".
func (m *Method) Name() string { return "onvif-wsse" }

// Protocol returns "onvif".
func (m *Method) Protocol() string { return "onvif" }

// verdict is what one SOAP answer says about authentication.
type verdict int

const (
	vOK verdict = iota
	vDenied
	vUnsupported
	vOther
)

func judge(r *onvif.Reply) (verdict, error) {
	env, err := onvif.ParseEnvelope(r.Body)
	if err != nil {
		if r.StatusCode == 401 {
			return vDenied, nil
		}
		return vOther, fmt.Errorf("parse soap answer: %w", err)
	}
	switch {
	case env.Fault == nil && r.StatusCode/100 == 2:
		return vOK, nil
	case env.Fault != nil && env.Fault.NotAuthorized(), r.StatusCode == 401:
		return vDenied, nil
	case env.Fault != nil:
		return vUnsupported, nil
	}
	return vOther, nil
}

// NoCredential calls the device operations (GetUsers,
// GetDeviceInformation) and the media service's GetProfiles and
// GetStreamUri without a token. Success lists the calls that answered in
// Route ("GetDeviceInformation,GetProfiles,GetStreamUri") and carries the
// stream URI, credentials removed, as Evidence of type "uri". Failure means
// a call was refused for want of a token and none answered.
func (m *Method) NoCredential(ctx context.Context, d probe.Dialer, t probe.Target) (login.Outcome, error) {
	out := login.Outcome{Result: login.Unverifiable, Scheme: "wsse-digest"}
	var answered []string
	denied := false
	note := func(name string, v verdict) {
		switch v {
		case vOK:
			answered = append(answered, name)
		case vDenied:
			denied = true
		}
	}
	for _, op := range Operations {
		r, err := onvif.Call(ctx, d, t, m.TLS, op.Action, op.Body, nil)
		if err != nil {
			return login.Errored(op.Name, "onvif "+op.Name, err)
		}
		v, _ := judge(r)
		note(op.Name, v)
	}
	path := mediaPath(ctx, d, t, m.TLS)
	if r, err := callPath(ctx, d, t, m.TLS, path, actionGetProfiles, bodyGetProfiles); err == nil {
		v, _ := judge(r)
		note("GetProfiles", v)
		if token, terr := ProfileToken(r.Body); v == vOK && terr == nil {
			if r, err := callPath(ctx, d, t, m.TLS, path, actionGetStreamURI, bodyGetStreamURI(token)); err == nil {
				v, _ := judge(r)
				note("GetStreamUri", v)
				if uri := streamURI(r); v == vOK && uri != "" {
					out.Evidence, out.EvidenceType = []byte(RedactURI(uri)), "uri"
				}
			}
		}
	}
	switch {
	case len(answered) > 0:
		out.Result, out.Route = login.Success, strings.Join(answered, ",")
	case denied:
		out.Result, out.Route = login.Failure, Operations[0].Name
	}
	return out, nil
}

// streamURI reads MediaUri/Uri of a GetStreamUriResponse, or "".
func streamURI(r *onvif.Reply) string {
	env, err := onvif.ParseEnvelope(r.Body)
	if err != nil {
		return ""
	}
	return env.Fields["GetStreamUriResponse/MediaUri/Uri"]
}

// Try calls the operations with a UsernameToken for c whose Created is
// the device's clock, so a skewed camera does not reject a good password.
func (m *Method) Try(ctx context.Context, d probe.Dialer, t probe.Target, c login.Credential) (login.Outcome, error) {
	offset, err := m.clockOffset(ctx, d, t)
	if err != nil {
		return login.Errored("GetSystemDateAndTime", "onvif clock", err)
	}
	m.offset, m.info = offset, nil
	return m.run(ctx, d, t, m.token(c))
}

// token is a UsernameToken for c whose Created is the device's clock.
func (m *Method) token(c login.Credential) *onvif.UsernameToken {
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	return &onvif.UsernameToken{Username: c.Username, Password: c.Password, Created: now().Add(m.offset)}
}

func (m *Method) run(ctx context.Context, d probe.Dialer, t probe.Target, tok *onvif.UsernameToken) (login.Outcome, error) {
	out := login.Outcome{Result: login.Unverifiable, Scheme: "wsse-digest"}
	for _, op := range Operations {
		var sec *onvif.UsernameToken
		if tok != nil {
			cp := *tok // a fresh nonce per request
			sec = &cp
		}
		r, err := onvif.Call(ctx, d, t, m.TLS, op.Action, op.Body, sec)
		if err != nil {
			return login.Errored(op.Name, "onvif "+op.Name, err)
		}
		v, err := judge(r)
		if err != nil {
			return login.Errored(op.Name, "onvif "+op.Name, err)
		}
		out.Route = op.Name
		switch v {
		case vOK:
			out.Result = login.Success
			if op.Action == onvif.ActionGetDeviceInformation {
				m.info = r.Body
			}
			return out, nil
		case vDenied:
			out.Result = login.Failure
			return out, nil
		case vOther:
			return out, nil
		}
	}
	return out, nil
}

// clockOffset returns device clock minus local clock (0 when the device
// does not say, or keeps its clock behind HTTP authentication: the login
// then goes through HTTP Digest, which has no clock).
func (m *Method) clockOffset(ctx context.Context, d probe.Dialer, t probe.Target) (time.Duration, error) {
	r, err := onvif.Call(ctx, d, t, m.TLS, onvif.ActionGetSystemDateAndTime, `<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>`, nil)
	if err != nil {
		return 0, err
	}
	if r.StatusCode == 401 && r.Challenge != "" {
		return 0, nil
	}
	env, err := onvif.ParseEnvelope(r.Body)
	if err != nil {
		return 0, err
	}
	dev, ok := DeviceTime(env.Fields)
	if !ok {
		return 0, nil
	}
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	return dev.Sub(now()), nil
}

// DeviceTime reads UTCDateTime from GetSystemDateAndTimeResponse fields.
func DeviceTime(f map[string]string) (time.Time, bool) {
	const base = "GetSystemDateAndTimeResponse/SystemDateAndTime/UTCDateTime/"
	var v [6]int
	for i, k := range []string{"Date/Year", "Date/Month", "Date/Day", "Time/Hour", "Time/Minute", "Time/Second"} {
		n, err := strconv.Atoi(f[base+k])
		if err != nil {
			return time.Time{}, false
		}
		v[i] = n
	}
	if v[0] < 1970 || v[0] > 9999 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 || v[4] > 59 || v[5] > 60 {
		return time.Time{}, false
	}
	return time.Date(v[0], time.Month(v[1]), v[2], v[3], v[4], v[5], 0, time.UTC), true
}
