package rtspauth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/rtsproutes"
	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/rtsp"
)

// DefaultBudget is the time route discovery may spend on one device when
// Method.Budget is zero: on a LAN (1-20 ms per DESCRIBE) enough for the
// whole dictionary, on a slow device the most likely routes.
const DefaultBudget = 5 * time.Second

// MaxDials bounds the connections of one discovery: a device that closes
// the connection after every answer is not walked any further.
const MaxDials = 16

// Behaviour is how a device answers DESCRIBE on a path it cannot have (the
// random control path), which decides how discovery proceeds.
type Behaviour string

// Behaviours of the control request.
const (
	// AuthFirst: 401 on any path; routes cannot be told apart without a
	// password, so the dictionary is not walked.
	AuthFirst Behaviour = "auth-first"
	// RoutesFirst: 404 (or another refusal) on unknown paths; the first
	// route answering 401 or 200 is the real one.
	RoutesFirst Behaviour = "routes-first"
	// AcceptsAny: 200 with a stream description on a random path; an
	// open route cannot be verified.
	AcceptsAny Behaviour = "accepts-any"
	// NoDescribe: the server does not implement DESCRIBE (405, 501).
	NoDescribe Behaviour = "no-describe"
)

// Discovery is what DESCRIBE without credentials learned about a device.
type Discovery struct {
	// Outcome is Success (a route streams without a password, its SDP as
	// evidence), Failure with Route and Scheme (the login surface) or
	// without Scheme (none found), Unverifiable (AcceptsAny) or Error.
	Outcome   login.Outcome
	Behaviour Behaviour
	// Requests and Dials count what was sent, Tried the dictionary routes
	// asked, Elapsed the wall time, for the per-device trace.
	Requests, Dials, Tried int
	Elapsed                time.Duration
	// Stopped says why the walk ended: "stream", "challenge", "budget",
	// "dictionary", "reconnects", "error" or the behaviour.
	Stopped string
}

// Discover looks for the device's stream route without credentials on one
// kept-alive connection: a random path first (the control), then, on a
// device that routes before it authenticates, the routes in order until
// one answers 200 with a stream description or 401, within Budget. On a
// device that challenges every path it asks only the login route.
func (m *Method) Discover(ctx context.Context, d probe.Dialer, t probe.Target) (Discovery, error) {
	start := time.Now()
	budget := m.Budget
	if budget <= 0 {
		budget = DefaultBudget
	}
	bctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	cl := &rtsp.Client{Dialer: d, Addr: t.Address(), MaxDials: MaxDials}
	defer cl.Close()
	routes, err := m.routes()
	if err != nil {
		return Discovery{Outcome: login.Outcome{Result: login.Error}, Stopped: "error"}, err
	}
	w := &walk{m: m, cl: cl, t: t, ctx: bctx, parent: ctx}
	disc, err := w.run(routes, m.loginRoute(routes))
	disc.Requests, disc.Dials, disc.Elapsed = cl.Requests, cl.Dials, time.Since(start)
	return disc, err
}

// routes returns the paths to try: the explicit list, else the
// dictionary's order for Vendor, with Probed first.
func (m *Method) routes() ([]string, error) {
	list := m.NoCredRoutes
	if list == nil {
		dict := m.Dictionary
		if dict == nil {
			var err error
			if dict, err = rtsproutes.Default(); err != nil {
				return nil, err
			}
		}
		list = dict.For(m.Vendor)
	}
	return mergeFirst(m.Probed, list), nil
}

// loginRoute is the route a device that challenges every path is logged in
// on: a route the probe saw challenge, else the vendor's main stream, else
// the first route.
func (m *Method) loginRoute(routes []string) string {
	for _, p := range m.Probed {
		if p != "/" {
			return p
		}
	}
	if m.Vendor != "" && m.NoCredRoutes == nil {
		dict := m.Dictionary
		if dict == nil {
			dict, _ = rtsproutes.Default()
		}
		if dict != nil {
			if own := dict.VendorRoutes(m.Vendor); len(own) > 0 {
				return own[0]
			}
		}
	}
	if len(routes) > 0 {
		return routes[0]
	}
	return "/"
}

func mergeFirst(first, rest []string) []string {
	out := make([]string, 0, len(first)+len(rest))
	seen := map[string]bool{}
	for _, list := range [][]string{first, rest} {
		for _, p := range list {
			if p != "" && !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// walk is one discovery in progress.
type walk struct {
	m           *Method
	cl          *rtsp.Client
	t           probe.Target
	ctx, parent context.Context // ctx carries the budget, parent the caller's deadline
}

func (w *walk) run(routes []string, loginRoute string) (Discovery, error) {
	ctrlPath := "/camwarden-" + randomHex(6)
	ctrl, err := w.m.describe(w.ctx, w.cl, w.t, ctrlPath, "")
	if err != nil {
		return w.failed(ctrlPath, "rtsp control describe", err)
	}
	var disc Discovery
	switch {
	case ctrl.StatusCode == 200 && rtsp.ParseSDP(ctrl.Body).IsStream():
		disc.Behaviour, disc.Stopped = AcceptsAny, string(AcceptsAny)
		disc.Outcome = login.Outcome{Result: login.Unverifiable, Route: loginRoute}
		return disc, nil
	case ctrl.StatusCode == 405 || ctrl.StatusCode == 501:
		disc.Behaviour, disc.Stopped = NoDescribe, string(NoDescribe)
		disc.Outcome = login.Outcome{Result: login.Failure}
		return disc, nil
	case ctrl.StatusCode == 401:
		disc.Behaviour = AuthFirst
		return w.authFirst(disc, loginRoute)
	}
	disc.Behaviour = RoutesFirst
	return w.routesFirst(disc, routes)
}

// authFirst asks the login route once: a 401 with a challenge there is the
// login surface (a 200 would be an open stream after all).
func (w *walk) authFirst(disc Discovery, route string) (Discovery, error) {
	resp, err := w.m.describe(w.ctx, w.cl, w.t, route, "")
	if err != nil {
		return w.failed(route, "rtsp describe "+route, err)
	}
	disc.Tried = 1
	if d, done := w.judge(disc, route, resp); done {
		return d, nil
	}
	disc.Stopped = string(AuthFirst)
	disc.Outcome = login.Outcome{Result: login.Failure}
	return disc, nil
}

// routesFirst walks the routes until a stream or a challenge, the budget
// or the connection limit.
func (w *walk) routesFirst(disc Discovery, routes []string) (Discovery, error) {
	disc.Outcome = login.Outcome{Result: login.Failure}
	disc.Stopped = "dictionary"
	for _, r := range routes {
		if w.spent() {
			disc.Stopped = "budget"
			break
		}
		resp, err := w.m.describe(w.ctx, w.cl, w.t, r, "")
		if err != nil {
			if errors.Is(err, rtsp.ErrDialLimit) {
				disc.Stopped = "reconnects"
				break
			}
			if w.spent() {
				disc.Stopped = "budget"
				break
			}
			d, err := w.failed(r, "rtsp describe "+r, err)
			d.Behaviour, d.Tried = disc.Behaviour, disc.Tried
			return d, err
		}
		disc.Tried++
		if d, done := w.judge(disc, r, resp); done {
			return d, nil
		}
	}
	return disc, nil
}

// judge returns the discovery finished by resp on route, if it is a
// stream (200 with an SDP naming media) or a challenge (401).
func (w *walk) judge(disc Discovery, route string, resp *rtsp.Response) (Discovery, bool) {
	switch {
	case resp.StatusCode == 401:
		disc.Stopped = "challenge"
		disc.Outcome = login.Outcome{Result: login.Failure, Route: route}
		disc.Outcome.Scheme, _ = pick(resp)
		return disc, true
	case resp.StatusCode == 200 && rtsp.ParseSDP(resp.Body).IsStream():
		disc.Stopped = "stream"
		disc.Outcome = login.Outcome{Result: login.Success, Route: route, Cleartext: true, Evidence: resp.Body, EvidenceType: "sdp",
			Fields: streamFields(resp, URL(w.t, route))}
		return disc, true
	}
	return disc, false
}

// spent reports whether the discovery budget (not the caller's deadline)
// is used up; the connection's deadline may fire just before the context's.
func (w *walk) spent() bool {
	if w.parent.Err() != nil {
		return false
	}
	dl, ok := w.ctx.Deadline()
	return w.ctx.Err() != nil || ok && !time.Now().Before(dl)
}

func (w *walk) failed(route, what string, err error) (Discovery, error) {
	if w.spent() {
		err = fmt.Errorf("%w (discovery budget %s spent)", err, w.budget())
	}
	o, err := login.Errored(route, what, err)
	return Discovery{Outcome: o, Stopped: "error"}, err
}

func (w *walk) budget() time.Duration {
	if w.m.Budget > 0 {
		return w.m.Budget
	}
	return DefaultBudget
}
