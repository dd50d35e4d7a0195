package auth

import (
	"context"

	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/login/rtspauth"
	"github.com/camwarden/camwarden/internal/probe"
)

// rtspSurface looks for the device's stream route without credentials
// (the route dictionary, the vendor's routes first, on one connection
// within the RTSP budget): an open stream is AUTH-NONE-RTSP, a device that
// streams on any path is unverifiable, and the route that asked for a
// password is the login surface. Discovery costs no login budget; its
// requests and time go to the debug trace.
func (c *Checker) rtspSurface(ctx context.Context, env *check.Env, pt probe.Target, s probe.Service, vendor string, r *run) []target {
	m := &rtspauth.Method{Vendor: vendor, Probed: probedRTSPRoutes(s), Dictionary: c.opts.RTSPRoutes, Budget: c.opts.RTSPBudget}
	disc, err := m.Discover(ctx, env.Dialer, pt)
	o := disc.Outcome
	r.trace(env, "rtsp", pt, "no-credential", o, err)
	r.log.Debug("rtsp route discovery", "port", pt.Port, "behaviour", string(disc.Behaviour), "stopped", disc.Stopped,
		"requests", disc.Requests, "connections", disc.Dials, "routes_tried", disc.Tried, "elapsed", disc.Elapsed, "route", o.Route)
	switch {
	case o.Result == login.Success:
		r.none(env, pt, "rtsp", o)
	case o.Result == login.Unverifiable:
		r.unverifiable(pt, "rtsp", o.Route, "DESCRIBE answers 200 on a random path")
	case o.Result == login.Failure && o.Scheme != "":
		return []target{{method: &rtspauth.Method{Route: o.Route}, t: pt, proto: "rtsp",
			route: o.Route, twin: true, cleartext: o.Scheme == "basic"}}
	}
	return nil
}

// probedRTSPRoutes returns the route the RTSP probe's DESCRIBE got a 401
// or 200 on: a real route of the device, tried first.
func probedRTSPRoutes(s probe.Service) []string {
	switch s.Fields[probe.FieldRTSPStatus] {
	case "401", "200":
		if p := s.Fields[probe.FieldRTSPPath]; p != "" {
			return []string{p}
		}
	}
	return nil
}
