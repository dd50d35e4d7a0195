// Package check runs the per-device checks (authentication, firmware,
// exposure) after identification and collects their findings. Each check
// lives in its own sub-package and implements Checker.
package check

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/store"
)

// Env is what every check may use. Checks that talk to a device dial only
// through Dialer, which enforces the scan's scope and rate.
type Env struct {
	Dialer probe.Dialer
	Logger *slog.Logger
	Now    func() time.Time
	// Evidence saves evidence files (snapshots, SDP) safely; nil with
	// ArtifactDir "" means do not save.
	Evidence *Evidence
	// ArtifactDir, when Evidence is nil, is where evidence files go (each
	// file then gets a fresh subfolder of its own); set Evidence instead.
	ArtifactDir string
	// ShowSecrets puts working credentials in clear into the evidence.
	ShowSecrets bool
	// Logins hands out the per-device login budgets; nil gives each
	// device a budget of this run only (see Budget).
	Logins *engine.Ledger
}

// SaveEvidence writes a device-derived file through Evidence (see
// Evidence.Save) and returns its path; "" and no error when evidence is
// not saved.
func (e *Env) SaveEvidence(name string, data []byte) (string, error) {
	ev := e.Evidence
	if ev == nil {
		ev = NewEvidence(e.ArtifactDir)
	}
	if ev == nil {
		return "", nil
	}
	return ev.Save(name, data)
}

// Budget returns the login-attempt budget of d under policy: from Logins
// (which counts the failures of earlier scans) when set.
func (e *Env) Budget(ctx context.Context, d *device.Device, policy engine.BudgetPolicy) *engine.Budget {
	if e.Logins == nil {
		return engine.NewBudget(policy, e.Now)
	}
	key := store.LoginKey{Address: d.Address, Serial: d.Get(probe.AttrSerial), MAC: d.Get(probe.AttrMAC)}
	label := d.Address.String()
	if desc := strings.TrimSpace(d.Vendor() + " " + d.Model()); desc != "" {
		label += " (" + desc + ")"
	}
	return e.Logins.Budget(ctx, key, label, policy)
}

// Checker examines one identified device and reports findings.
type Checker interface {
	Name() string
	Check(ctx context.Context, env *Env, d *device.Device) []finding.Finding
}

// Run applies every checker to every device, at most workers devices at a
// time, and returns all findings. A panicking checker is recovered and
// reported as a CHECK-ERROR finding on that device; the others go on.
func Run(ctx context.Context, env *Env, checkers []Checker, devices []device.Device, workers int) []finding.Finding {
	if workers <= 0 {
		workers = 8
	}
	results := make([][]finding.Finding, len(devices))
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i := range devices {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			for _, c := range checkers {
				results[i] = append(results[i], runOne(ctx, env, c, &devices[i])...)
			}
		}()
	}
	wg.Wait()
	return slices.Concat(results...)
}

func runOne(ctx context.Context, env *Env, c Checker, d *device.Device) (out []finding.Finding) {
	defer func() {
		if r := recover(); r != nil {
			if env.Logger != nil {
				env.Logger.Error("check panicked", "check", c.Name(), "address", d.Address, "panic", r, "stack", string(debug.Stack()))
			}
			out = append(out, finding.Finding{
				ID: "CHECK-ERROR", Severity: finding.SevInfo, Address: d.Address,
				Title: finding.Text{
					EN: fmt.Sprintf("The %s check failed on this device; other results are complete", c.Name()),
					JA: fmt.Sprintf("この機器で %s の確認に失敗しました（他の結果は有効です）", c.Name()),
				},
				Evidence: map[string]string{"panic": fmt.Sprint(r), "check": c.Name()},
			})
		}
	}()
	return c.Check(ctx, env, d)
}

// Step is a stage between checks that changes the device and reports no
// finding: the identity refresh after the authentication check, which
// merges what was read after login so that the firmware and exposure
// checks see it.
type Step struct {
	// Label names the step in logs and CHECK-ERROR findings.
	Label string
	// Apply changes the device in place.
	Apply func(d *device.Device)
}

// Name returns the step's label.
func (s Step) Name() string { return s.Label }

// Check applies the step; it reports nothing.
func (s Step) Check(_ context.Context, _ *Env, d *device.Device) []finding.Finding {
	s.Apply(d)
	return nil
}
