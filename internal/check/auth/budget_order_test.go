package auth

import (
	"context"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
)

// refusingDevice is every login surface of one device refusing every
// credential; it counts the failed logins per account over all surfaces
// (the device's view) and remembers the order of attempts.
type refusingDevice struct {
	failures map[string]int
	order    []string // "proto user/pass"
}

type refusingMethod struct {
	dev   *refusingDevice
	proto string
}

func (m refusingMethod) Name() string     { return "refusing " + m.proto }
func (m refusingMethod) Protocol() string { return m.proto }
func (m refusingMethod) NoCredential(context.Context, probe.Dialer, probe.Target) (login.Outcome, error) {
	return login.Outcome{Result: login.Failure}, nil
}

func (m refusingMethod) Try(_ context.Context, _ probe.Dialer, _ probe.Target, c login.Credential) (login.Outcome, error) {
	m.dev.failures[c.Username]++
	m.dev.order = append(m.dev.order, m.proto+" "+c.Username+"/"+c.Password)
	return login.Outcome{Result: login.Failure, Route: "login"}, nil
}

// TestBudgetOverEveryVendor runs the check's guessing over a device with
// all six login surfaces refusing everything, for every vendor of the
// catalogue and an unknown one, at every depth, with the budget built as
// Check builds it, and proves: never more than engine.DefaultMaxFailures
// failed logins per account, never the vendor's known lock threshold
// (minus the margin) on one account or on the device, the device cap
// held, the catalogue's BudgetFor equal to the engine's policy, and the
// vendor's own factory defaults tried first.
func TestBudgetOverEveryVendor(t *testing.T) {
	cat, err := creds.Default()
	if err != nil {
		t.Fatal(err)
	}
	vendors := []string{""}
	for _, v := range cat.Vendors() {
		vendors = append(vendors, v.Name)
	}
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	for _, vendor := range vendors {
		for _, depth := range []creds.Depth{creds.DepthDefault, creds.DepthCommon, creds.DepthExtended} {
			name := vendor
			if name == "" {
				name = "unknown"
			}
			t.Run(name+"/"+depth.String(), func(t *testing.T) {
				c, err := New(Options{Depth: depth, Catalogue: cat})
				if err != nil {
					t.Fatal(err)
				}
				policy := c.opts.Budget // as Check builds it
				lock := cat.Lockout(vendor)
				if lock.Known && lock.Threshold > 0 {
					policy.LockThreshold = lock.Threshold
				}
				if got, want := cat.BudgetFor(vendor), (creds.Budget{PerAccount: policy.Limit(), PerDevice: policy.DeviceLimit()}); got != want {
					t.Fatalf("creds.BudgetFor = %+v, engine policy gives %+v", got, want)
				}
				d := &device.Device{Address: netip.MustParseAddr("127.0.0.1"),
					Identity: map[string]device.Attribute{probe.AttrVendor: {Value: vendor}}}
				r := &run{c: c, d: d, budget: engine.NewBudget(policy, clock), log: slog.New(slog.DiscardHandler)}
				dev := &refusingDevice{failures: map[string]int{}}
				var targets []target
				for _, p := range creds.LoginProtocols() { // protoRank order
					targets = append(targets, target{method: refusingMethod{dev, p}, proto: p, twin: p == "http" || p == "rtsp" || p == "onvif",
						t: probe.Target{Addr: d.Address, Port: uint16(1000 + protoRank(p)), Transport: "tcp"}})
				}
				c.guess(t.Context(), &check.Env{Now: clock}, targets, r)
				total := 0
				for acct, n := range dev.failures {
					total += n
					if n > engine.DefaultMaxFailures {
						t.Errorf("account %q: %d failed logins, more than %d", acct, n, engine.DefaultMaxFailures)
					}
					if lock.Known && lock.Threshold > 0 && n > lock.Threshold-engine.LockMargin {
						t.Errorf("account %q: %d failed logins, lock threshold %d", acct, n, lock.Threshold)
					}
				}
				if total > policy.DeviceLimit() {
					t.Errorf("%d failed logins on the device, cap %d", total, policy.DeviceLimit())
				}
				if lock.Known && lock.Threshold > 0 && total >= lock.Threshold {
					t.Errorf("%d failed logins on the device reach the lock threshold %d", total, lock.Threshold)
				}
				checkOwnFirst(t, cat, vendor, dev.order)
			})
		}
	}
}

// checkOwnFirst: on the first surface tried, the vendor's own factory
// defaults (its default tier, then its platform's) come before any
// generic pair, as far as the budget reaches.
func checkOwnFirst(t *testing.T, cat *creds.Catalog, vendor string, order []string) {
	t.Helper()
	if vendor == "" || len(order) == 0 {
		return
	}
	proto, _, _ := strings.Cut(order[0], " ")
	own := map[string]bool{}
	for _, cr := range cat.All() {
		if cr.Tier == creds.DepthDefault && cr.AppliesTo(proto) && cr.Model == "" &&
			(strings.EqualFold(cr.Vendor, vendor) || strings.EqualFold(cr.Vendor, cat.Platform(vendor)) && cat.Platform(vendor) != "") {
			own[proto+" "+cr.Username+"/"+cr.Password] = true
		}
	}
	seenGeneric := false
	for _, a := range order {
		if !strings.HasPrefix(a, proto+" ") {
			break
		}
		switch {
		case own[a] && seenGeneric:
			t.Errorf("own default %q tried after a generic pair: %q", a, order)
		case !own[a]:
			seenGeneric = true
		}
	}
}
