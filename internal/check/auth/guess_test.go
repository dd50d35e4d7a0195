package auth

import (
	"context"
	"log/slog"
	"net/netip"
	"time"

	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
)

// storeDevice is a device whose login surfaces check account stores:
// stores maps a protocol to its store (user -> password); surfaces of one
// store share it, as a camera's web, RTSP and ONVIF share its accounts. A
// protocol without a store refuses everything. It counts what each
// protocol was sent and each user name's failures, and keeps the order
// of attempts.
type storeDevice struct {
	stores map[string]map[string]string
	sent   map[string]int // per protocol
	failed map[string]int // per user name
	order  []string       // "proto user/pass"
	// after, when set, runs after every attempt (to cancel the check).
	after func()
}

func newStoreDevice(stores map[string]map[string]string) *storeDevice {
	return &storeDevice{stores: stores, sent: map[string]int{}, failed: map[string]int{}}
}

type storeMethod struct {
	dev   *storeDevice
	proto string
}

func (m storeMethod) Name() string     { return "store " + m.proto }
func (m storeMethod) Protocol() string { return m.proto }
func (m storeMethod) NoCredential(context.Context, probe.Dialer, probe.Target) (login.Outcome, error) {
	return login.Outcome{Result: login.Failure}, nil
}

func (m storeMethod) Try(_ context.Context, _ probe.Dialer, _ probe.Target, c login.Credential) (login.Outcome, error) {
	m.dev.sent[m.proto]++
	m.dev.order = append(m.dev.order, m.proto+" "+c.Username+"/"+c.Password)
	if m.dev.after != nil {
		defer m.dev.after()
	}
	if pw, ok := m.dev.stores[m.proto][c.Username]; ok && pw == c.Password {
		return login.Outcome{Result: login.Success, Route: "login"}, nil
	}
	m.dev.failed[c.Username]++
	return login.Outcome{Result: login.Failure, Route: "login"}, nil
}

// surfacePorts is the port of each protocol's login surface on a
// storeDevice.
var surfacePorts = map[string]uint16{"http": 80, "rtsp": 554, "onvif": 8000, "telnet": 23, "ssh": 22, "ftp": 21}

// guessOn runs c's guessing as Check does, after the no-credential
// checks, with the budget Check builds for vendor, on one surface of dev
// per protocol of protos; it returns the run (its coverage is read with
// run.coverage).
func guessOn(ctx context.Context, c *Checker, vendor string, dev *storeDevice, protos ...string) *run {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	d := &device.Device{Address: netip.MustParseAddr("127.0.0.1"),
		Identity: map[string]device.Attribute{probe.AttrVendor: {Value: vendor}}}
	r := &run{c: c, d: d, budget: engine.NewBudget(c.policy(vendor), clock), log: slog.New(slog.DiscardHandler)}
	targets := make([]target, 0, len(protos))
	for _, p := range protos {
		tg := target{method: storeMethod{dev, p}, proto: p, twin: p == "http" || p == "rtsp" || p == "onvif",
			t: probe.Target{Addr: d.Address, Port: surfacePorts[p], Transport: "tcp"}}
		r.cover(key(tg)).surface = true
		targets = append(targets, tg)
	}
	c.guess(ctx, &check.Env{Now: clock}, targets, r)
	return r
}
