package fleet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"

	"github.com/camwarden/camwarden/internal/scope"
)

// DefaultMaxAddresses caps the size of one site's scope (a /16).
const DefaultMaxAddresses = 1 << 16

// Guard decides which sites a worker accepts. The queue is not trusted:
// a job is only scanned if its scope passes the same checks as the
// CLI's (scope.Parse: no public address unless AllowPublic) and every one
// of its addresses is inside Allow (a guard without Allow refuses every
// site). So a worker
// placed near some sites can never be pointed elsewhere by whoever can
// write to the queue.
type Guard struct {
	Allow        *scope.Scope   // the only addresses a site may hold; nil refuses every site
	AllowPublic  bool           // as scan --allow-public
	MaxAddresses uint64         // 0: DefaultMaxAddresses
	Resolver     scope.Resolver // for hostname targets; nil: the system resolver
}

// ErrRefused marks a site the guard refuses; such a job is cancelled,
// never retried.
var ErrRefused = errors.New("site refused by the worker's guard")

// ErrNoAllowScope is returned by a worker without an allow list: it would
// scan whatever the queue names, its own machine and database included.
var ErrNoAllowScope = errors.New("a fleet worker needs --allow-scope: the networks it may scan")

// SiteScope parses and checks a site's scope.
func (g Guard) SiteScope(ctx context.Context, s Site) (*scope.Scope, error) {
	noFiles := func(name string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("@%s: file targets are not read from jobs", name)
	}
	sc, err := scope.Parse(ctx, s.Targets, scope.Options{Excludes: s.Excludes, AllowPublic: g.AllowPublic,
		Resolver: g.Resolver, OpenFile: noFiles})
	if err != nil {
		return nil, fmt.Errorf("site %q: %w: %w", s.Name, ErrRefused, err)
	}
	limit := g.MaxAddresses
	if limit == 0 {
		limit = DefaultMaxAddresses
	}
	if n := sc.Size(); n > limit {
		return nil, fmt.Errorf("site %q: %w: %d addresses, this worker takes at most %d", s.Name, ErrRefused, n, limit)
	}
	if g.Allow == nil {
		return nil, fmt.Errorf("site %q: %w: %w", s.Name, ErrRefused, ErrNoAllowScope)
	}
	var outside netip.Addr
	err = sc.Walk(ctx, func(t scope.Target) bool {
		if !g.Allow.Permits(t.Addr) {
			outside = t.Addr
			return false
		}
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("site %q: %w", s.Name, err)
	}
	if outside.IsValid() {
		return nil, fmt.Errorf("site %q: %w: %s is outside --allow-scope %s", s.Name, ErrRefused, outside, g.Allow)
	}
	return sc, nil
}
