package auth

import (
	"context"
	"strconv"

	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/login/httpauth"
	"github.com/camwarden/camwarden/internal/login/onvifauth"
	"github.com/camwarden/camwarden/internal/login/telnetauth"
	"github.com/camwarden/camwarden/internal/probe"
)

// target is one login surface of a device: a method on a port, and
// whether a request without credentials proved it is protected.
type target struct {
	method login.Method
	t      probe.Target
	proto  string // catalogue protocol: http, rtsp, onvif, telnet, ssh, ftp, snmp
	route  string
	// twin is true when the method's Try itself checks that the same
	// request without credentials fails (HTTP, RTSP, ONVIF); otherwise a
	// random-credential control confirms a success.
	twin bool
	// cleartext is true when the challenge offered Basic over plain text.
	cleartext bool
	// community is true for SNMP: only catalogue communities are tried,
	// never an account's password.
	community bool
}

// surfaces runs the no-credential checks on every service of d, reports
// what opens without a password, and returns the protected login surfaces.
func (c *Checker) surfaces(ctx context.Context, env *check.Env, d *device.Device, r *run) []target {
	var out []target
	vendor := d.Vendor()
	for _, s := range d.Services {
		if s.Protocol == "snmp" && s.Transport == "udp" {
			out = append(out, snmpSurface(d, s))
			continue
		}
		if s.Transport != "tcp" {
			continue
		}
		pt := probe.Target{Addr: d.Address, Port: s.Port, Transport: "tcp", Hostname: d.Hostname}
		switch s.Protocol {
		case "http", "https":
			out = append(out, c.apiSurfaces(ctx, env, pt, s, vendor, r)...)
			out = append(out, c.httpSurfaces(ctx, env, pt, s, vendor, r)...)
		case "rtsp":
			out = append(out, c.rtspSurface(ctx, env, pt, s, vendor, r)...)
		case "onvif":
			m := &onvifauth.Method{TLS: s.TLS, Now: env.Now}
			o, err := m.NoCredential(ctx, env.Dialer, pt)
			r.trace(env, s.Protocol, pt, "no-credential", o, err)
			switch o.Result {
			case login.Success:
				r.none(env, pt, "onvif", o)
			case login.Failure:
				out = append(out, target{method: m, t: pt, proto: "onvif", route: o.Route, twin: true})
			}
		case "ftp":
			out = append(out, c.ftpSurface(ctx, env, pt, r)...)
		case "ssh":
			out = append(out, c.sshSurface(ctx, env, pt, r)...)
		case "telnet":
			m := telnetauth.Method{}
			o, err := m.NoCredential(ctx, env.Dialer, pt)
			r.trace(env, s.Protocol, pt, "no-credential", o, err)
			switch o.Result {
			case login.Success:
				r.none(env, pt, "telnet", o)
			case login.Failure:
				out = append(out, target{method: m, t: pt, proto: "telnet", route: "login"})
			}
		}
	}
	return out
}

// httpSurfaces looks for the device's protected routes and for admin
// routes or snapshots that answer without credentials. Each route costs
// one unauthenticated request and no budget: a 404 route is skipped, and
// logins go to the first route that answered 401 with a challenge (the
// routes the HTTP probe saw challenge first), the other challenging routes
// kept as alternates in case a login there answers 404.
func (c *Checker) httpSurfaces(ctx context.Context, env *check.Env, pt probe.Target, s probe.Service, vendor string, r *run) []target {
	useTLS := s.TLS || s.Protocol == "https"
	var challenging []httpauth.Route
	scheme := ""
	for _, route := range httpauth.MergeRoutes(httpauth.ProbedRoutes(s.Trace), httpauth.Routes(vendor)) {
		m := &httpauth.Method{Route: route, TLS: useTLS}
		o, err := m.NoCredential(ctx, env.Dialer, pt)
		r.trace(env, "http", pt, "no-credential "+route.Path, o, err)
		switch {
		case o.Result == login.Locked:
			r.stop(o.Signal)
			return nil
		case o.Result == login.Success:
			r.none(env, pt, "http", o)
			return nil
		case o.Result == login.Unverifiable:
			r.unverifiable(pt, "http", route.Path, "answers 200 to a random path")
			return nil
		case o.Result == login.Failure && o.Scheme != "":
			if len(challenging) == 0 {
				scheme = o.Scheme
			}
			challenging = append(challenging, route)
		}
	}
	for _, route := range httpauth.SnapshotRoutes(vendor) {
		m := &httpauth.Method{Route: route, TLS: useTLS}
		o, err := m.NoCredential(ctx, env.Dialer, pt)
		r.trace(env, "http", pt, "snapshot "+route.Path, o, err)
		if o.Result == login.Success {
			r.none(env, pt, "http", o)
			break
		}
	}
	if len(challenging) == 0 {
		c.acceptsAnything(ctx, env, pt, useTLS, r)
		sc := r.cover("http/" + strconv.Itoa(int(pt.Port)))
		sc.noRoute = true
		sc.noLogin = servesNothing(s)
		return nil
	}
	m := &httpauth.Method{Route: challenging[0], Alternates: challenging[1:], TLS: useTLS}
	tg := target{method: m, t: pt, proto: "http", route: challenging[0].Path, twin: true,
		cleartext: scheme == "basic" && !useTLS}
	if tg.cleartext {
		r.cleartext(pt, "http", tg.route, "basic")
	}
	return []target{tg}
}

// servesNothing reports whether the HTTP probe found no page at all on
// the port: the root answers 404 (or 410) with no title, no redirect, no
// vendor API, no password challenge on any path and nothing a body rule
// recognised. Such a port (a UPnP description server, an ONVIF-only
// endpoint) has no login or admin function: it is no login surface. A
// port that serves a page whose login cannot be checked (a form, a
// script) is not "nothing" and stays untried.
func servesNothing(s probe.Service) bool {
	f := s.Fields
	switch f[probe.FieldHTTPStatus] {
	case "404", "410":
	default:
		return false
	}
	for _, k := range []string{probe.FieldHTTPTitle, probe.FieldHTTPLocation, probe.FieldHTTPAPI,
		probe.FieldHTTPWWWAuth, probe.FieldHTTPRealm, probe.FieldHTTPBodyHints} {
		if f[k] != "" {
			return false
		}
	}
	return true
}

// acceptsAnything checks a web server on which no route challenges: when a random path and a random credential on a
// vendor login route are answered 200 too, no login on it can be verified
// (AUTH-UNVERIFIABLE, once per device). The random credential is one
// budgeted attempt of a random account.
func (c *Checker) acceptsAnything(ctx context.Context, env *check.Env, pt probe.Target, useTLS bool, r *run) {
	ctl := randomCredential()
	acct := engine.Account{Domain: r.domainOf("http"), User: ctl.Username} // a web login
	if r.unverified || r.budget.Stopped() != "" || r.budget.Reserve(acct) != nil {
		return
	}
	yes, sent, err := httpauth.AcceptsAnything(ctx, env.Dialer, pt, useTLS)
	r.log.Debug("auth attempt", "protocol", "http", "port", pt.Port, "what", "random path and credential", "accepted", yes, "error", err)
	switch {
	case sent && !yes && err == nil:
		r.budget.Record(acct, engine.AttemptFailed)
	default:
		r.budget.Record(acct, engine.AttemptNeutral)
	}
	if !yes {
		return
	}
	r.unverifiable(pt, "http", "/", "answers 200 to a random path and a random credential")
}

// randomCredential is the control of methods without a no-credential twin.
func randomCredential() login.Credential {
	return login.Credential{Username: "cw" + randomHex(5), Password: randomHex(12), Name: "random control credential"}
}
