package check

import (
	"context"
	"net/netip"
	"testing"

	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
)

type fakeChecker struct {
	name  string
	panic bool
}

func (f fakeChecker) Name() string { return f.name }

func (f fakeChecker) Check(_ context.Context, _ *Env, d *device.Device) []finding.Finding {
	if f.panic && d.Address.As4()[3] == 2 {
		panic("boom")
	}
	return []finding.Finding{{ID: "FAKE-" + f.name, Address: d.Address}}
}

func TestRunCollectsAndRecovers(t *testing.T) {
	devs := []device.Device{
		{Address: netip.MustParseAddr("127.0.0.1")},
		{Address: netip.MustParseAddr("127.0.0.2")},
		{Address: netip.MustParseAddr("127.0.0.3")},
	}
	got := Run(t.Context(), &Env{}, []Checker{fakeChecker{name: "a"}, fakeChecker{name: "b", panic: true}}, devs, 2)
	counts := map[string]int{}
	for _, f := range got {
		counts[f.ID]++
	}
	want := map[string]int{"FAKE-a": 3, "FAKE-b": 2, "CHECK-ERROR": 1}
	for id, n := range want {
		if counts[id] != n {
			t.Errorf("%s: got %d findings, want %d (all: %v)", id, counts[id], n, counts)
		}
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	got := Run(ctx, &Env{}, []Checker{fakeChecker{name: "a"}}, []device.Device{{Address: netip.MustParseAddr("127.0.0.1")}}, 1)
	if len(got) != 0 {
		t.Errorf("cancelled run produced %d findings", len(got))
	}
}
