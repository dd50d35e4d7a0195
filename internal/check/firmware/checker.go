package firmware

import (
	"context"
	"fmt"
	"io"
	"time"

	catalogfw "github.com/camwarden/camwarden/internal/catalog/firmware"
	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
)

// CheckerName is the name the firmware checker reports to check.Run.
const CheckerName = "firmware"

// catalogueChecker adapts Check to check.Checker.
type catalogueChecker struct {
	cat *catalogfw.Catalog
}

// NewChecker returns the firmware check (checkpoint 2) as a check.Checker
// that compares each device's firmware with cat. It sends nothing to the
// device; the time of the comparison is env.Now.
func NewChecker(cat *catalogfw.Catalog) check.Checker {
	return catalogueChecker{cat: cat}
}

// Name implements check.Checker.
func (c catalogueChecker) Name() string { return CheckerName }

// Check implements check.Checker. A cancelled ctx yields no findings;
// a nil env.Now means the wall clock.
func (c catalogueChecker) Check(ctx context.Context, env *check.Env, d *device.Device) []finding.Finding {
	if ctx.Err() != nil {
		return nil
	}
	now := time.Now
	if env != nil && env.Now != nil {
		now = env.Now
	}
	return Check(d, c.cat, now())
}

// WriteFreshness prints the catalogue's date and age to w, one line, and a
// warning line when it is older than 90 days; the CLI calls it before a
// report. It returns what it printed, for reports that carry it.
func WriteFreshness(w io.Writer, cat *catalogfw.Catalog, now time.Time) (FreshnessReport, error) {
	r := Freshness(cat, now)
	line := fmt.Sprintf("firmware catalogue dated %s (%d days old)\n", r.Date, r.AgeDays)
	if _, ok := date(r.Date); !ok {
		line = ""
	}
	if r.Stale {
		line += "warning: " + r.Message.EN + "\n"
	}
	if _, err := io.WriteString(w, line); err != nil {
		return r, fmt.Errorf("write catalogue freshness: %w", err)
	}
	return r, nil
}
