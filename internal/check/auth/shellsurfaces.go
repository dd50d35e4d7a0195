package auth

import (
	"context"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/login/ftpauth"
	"github.com/camwarden/camwarden/internal/login/snmpauth"
	"github.com/camwarden/camwarden/internal/login/sshauth"
	"github.com/camwarden/camwarden/internal/probe"
)

// snmpAccount is the budget account all SNMP communities share: a
// community is the password of a nameless account.
const snmpAccount = "snmp community"

// ftpSurface runs the anonymous-FTP check and returns the FTP login
// surface when anonymous login is refused. Anonymous access counts only
// when a random username and password are refused (one budgeted attempt):
// a server that lets anyone in cannot be verified.
func (c *Checker) ftpSurface(ctx context.Context, env *check.Env, pt probe.Target, r *run) []target {
	m := ftpauth.Method{}
	tg := target{method: m, t: pt, proto: "ftp", route: "USER/PASS"}
	o, err := m.NoCredential(ctx, env.Dialer, pt)
	r.trace(env, "ftp", pt, "anonymous", o, err)
	switch o.Result {
	case login.Locked:
		r.stop(o.Signal)
	case login.Success:
		tg.route = o.Route
		if r.control(ctx, env, tg) {
			r.none(env, pt, "ftp", o)
		}
	case login.Failure:
		return []target{tg}
	}
	return nil
}

// sshSurface asks for the "none" method: a server that accepts it opens
// without a password; otherwise it is a password login surface.
func (c *Checker) sshSurface(ctx context.Context, env *check.Env, pt probe.Target, r *run) []target {
	m := sshauth.Method{}
	o, err := m.NoCredential(ctx, env.Dialer, pt)
	r.trace(env, "ssh", pt, "none method", o, err)
	switch o.Result {
	case login.Success:
		r.none(env, pt, "ssh", o)
	case login.Failure:
		return []target{{method: m, t: pt, proto: "ssh", route: "password"}}
	}
	return nil
}

// snmpSurface is the community surface of an SNMP agent (udp, as
// identified). There is no no-credential check: communities are guessed
// last, within the budget, and never replaced by account passwords.
func snmpSurface(d *device.Device, s probe.Service) target {
	pt := probe.Target{Addr: d.Address, Port: s.Port, Transport: "udp", Hostname: d.Hostname}
	return target{method: snmpauth.Method{}, t: pt, proto: "snmp", route: snmpauth.Route, community: true}
}

// candidates returns the catalogue's guesses for tg: the SNMP communities
// at the check's depth, or the vendor's credentials for tg.proto.
func (c *Checker) candidates(r *run, tg target) []creds.Credential {
	if !tg.community {
		return c.opts.Catalogue.For(r.d.Vendor(), r.d.Model(), tg.proto, c.opts.Depth)
	}
	var out []creds.Credential
	for _, cm := range c.opts.Catalogue.SNMPCommunities(c.opts.Depth) {
		out = append(out, creds.Credential{Protocols: []string{creds.ProtoSNMP}, Username: snmpAccount,
			Password: cm.Community, Name: cm.Name, Tier: cm.Tier, Sources: cm.Sources})
	}
	return out
}
