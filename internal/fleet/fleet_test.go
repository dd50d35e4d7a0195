package fleet

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/scope"
)

func TestParseSites(t *testing.T) {
	tests := []struct {
		name, in string
		want     []Site
		err      string
	}{
		{"two sites", "# chain\nshop-001 127.77.1.0/24 !127.77.1.9\n\nshop-002 127.77.2.1 127.77.2.5-9\n",
			[]Site{{Name: "shop-001", Targets: []string{"127.77.1.0/24"}, Excludes: []string{"127.77.1.9"}},
				{Name: "shop-002", Targets: []string{"127.77.2.1", "127.77.2.5-9"}}}, ""},
		{"no target", "shop-001\n", nil, `sites line 1: site "shop-001" has no target`},
		{"only exclusions", "shop-001 !127.0.0.1\n", nil, `sites line 1: site "shop-001" has no target`},
		{"duplicate", "a 127.0.0.1\nb 127.0.0.2\na 127.0.0.3\n", nil, `sites line 3: site "a" already on line 1`},
		{"file target", "a @/etc/targets\n", nil, `@file targets are not allowed in a job`},
		{"empty", "# nothing\n", nil, "read sites: no site"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseSites([]byte(tc.in))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.EqualFunc(got, tc.want, func(a, b Site) bool {
				return a.Name == b.Name && slices.Equal(a.Targets, b.Targets) && slices.Equal(a.Excludes, b.Excludes)
			}) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// fakeResolver answers every name with one address; no DNS is sent.
type fakeResolver map[string]netip.Addr

func (f fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := f[host]; ok {
		return []netip.Addr{a}, nil
	}
	return nil, errors.New("no such host")
}

func TestGuard(t *testing.T) {
	ctx := t.Context()
	allow, err := scope.Parse(ctx, []string{"127.77.1.0/24", "127.77.2.0/24"}, scope.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Addresses below are guard inputs only: nothing is dialled.
	res := fakeResolver{"nvr.shop-1.example": netip.MustParseAddr("127.77.1.20"),
		"evil.example": netip.MustParseAddr("10.1.2.3")}
	tests := []struct {
		name  string
		guard Guard
		site  Site
		size  uint64
		err   string
	}{
		{"inside", Guard{Allow: allow}, Site{Name: "s", Targets: []string{"127.77.1.0/25"}}, 128, ""},
		{"two allowed ranges", Guard{Allow: allow}, Site{Name: "s", Targets: []string{"127.77.1.250-127.77.2.5"}}, 12, ""},
		{"exclusion keeps it inside", Guard{Allow: allow},
			Site{Name: "s", Targets: []string{"127.77.2.0/23"}, Excludes: []string{"127.77.3.0/24"}}, 256, ""},
		{"one address outside", Guard{Allow: allow}, Site{Name: "s", Targets: []string{"127.77.2.0/23"}}, 0,
			"127.77.3.0 is outside --allow-scope"},
		{"private but elsewhere", Guard{Allow: allow}, Site{Name: "s", Targets: []string{"10.0.0.0/30"}}, 0,
			"10.0.0.0 is outside --allow-scope"},
		{"hostname inside", Guard{Allow: allow, Resolver: res}, Site{Name: "s", Targets: []string{"nvr.shop-1.example"}}, 1, ""},
		{"hostname resolving outside", Guard{Allow: allow, Resolver: res}, Site{Name: "s", Targets: []string{"evil.example"}}, 0,
			"10.1.2.3 is outside --allow-scope"},
		{"public refused without allow-public", Guard{}, Site{Name: "s", Targets: []string{"8.8.8.8"}}, 0, "public"},
		{"file target", Guard{}, Site{Name: "s", Targets: []string{"@/etc/passwd"}}, 0, "file targets are not read from jobs"},
		{"too large", Guard{}, Site{Name: "s", Targets: []string{"127.0.0.0/8"}}, 0, "16777216 addresses, this worker takes at most 65536"},
		{"no allow list", Guard{}, Site{Name: "s", Targets: []string{"127.77.9.0/24"}}, 0, "needs --allow-scope"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := tc.guard.SiteScope(ctx, tc.site)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				if !errors.Is(err, ErrRefused) {
					t.Errorf("%v is not ErrRefused (the job would be retried)", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if sc.Size() != tc.size {
				t.Errorf("size %d, want %d", sc.Size(), tc.size)
			}
		})
	}
}

func FuzzParseSites(f *testing.F) {
	f.Add([]byte("shop-001 127.77.1.0/24 !127.77.1.9\nshop-002 127.77.2.1\n"))
	f.Add([]byte("# x\n\n a\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		sites, err := ParseSites(b)
		if err != nil {
			return
		}
		for _, s := range sites {
			if s.Name == "" || len(s.Targets) == 0 {
				t.Fatalf("site %+v accepted", s)
			}
		}
	})
}
