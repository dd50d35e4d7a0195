package scope

import (
	"context"
	"errors"
	"net/netip"
	"runtime"
	"testing"
)

func mustParse(tb testing.TB, targets []string, opts Options) *Scope {
	tb.Helper()
	s, err := Parse(tb.Context(), targets, opts)
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return s
}

// TestWalkEarlyStopAllocs shows that walking a /8 allocates nothing per
// address: the addresses are computed, not stored.
func TestWalkEarlyStopAllocs(t *testing.T) {
	s := mustParse(t, []string{"10.0.0.0/8"}, testOptions())
	ctx := t.Context()
	var last netip.Addr
	allocs := testing.AllocsPerRun(20, func() {
		n := 0
		if err := s.Walk(ctx, func(tg Target) bool {
			last = tg.Addr
			n++
			return n < 100000
		}); err != nil {
			t.Fatalf("Walk: %v", err)
		}
	})
	if allocs > 0 {
		t.Errorf("Walk over 100000 addresses of 10.0.0.0/8 made %.0f allocations, want 0", allocs)
	}
	if want := netip.MustParseAddr("10.1.134.159"); last != want {
		t.Errorf("100000th address = %v, want %v", last, want)
	}
}

// TestWalkWholeSlash8Memory walks all 16,777,216 addresses of 10.0.0.0/8 and
// checks that the heap did not grow with them, and that each address came
// once, in order.
func TestWalkWholeSlash8Memory(t *testing.T) {
	s := mustParse(t, []string{"10.0.0.0/8", "10.128.0.0/9"}, Options{Excludes: []string{"10.0.0.0"}})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var count uint64
	prev := netip.MustParseAddr("10.0.0.0")
	ordered := true
	err := s.Walk(t.Context(), func(tg Target) bool {
		if !prev.Less(tg.Addr) {
			ordered = false
		}
		prev = tg.Addr
		count++
		return true
	})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	if count != 1<<24-1 || count != s.Size() {
		t.Errorf("walked %d addresses, Size %d, want %d", count, s.Size(), 1<<24-1)
	}
	if !ordered {
		t.Errorf("addresses not strictly ascending")
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<10 {
		t.Errorf("walking a /8 allocated %d bytes, want under 64 KiB", grew)
	}
}

func TestWalkCancel(t *testing.T) {
	s := mustParse(t, []string{"10.0.0.0/8"}, testOptions())
	ctx, cancel := context.WithCancel(t.Context())
	n := 0
	err := s.Walk(ctx, func(Target) bool {
		if n++; n == 10 {
			cancel()
		}
		return true
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Walk after cancel = %v, want context.Canceled", err)
	}
	if n > walkCheckEvery {
		t.Errorf("Walk yielded %d addresses after cancel, want at most %d", n, walkCheckEvery)
	}
}

func TestWalkTopOfIPv6(t *testing.T) {
	// Walk across a carry from the low into the high 64 bits.
	s := mustParse(t, []string{"fd00::ffff:ffff:ffff:fffe-fd00:0:0:1::1"}, testOptions())
	got := walkAll(t, s)
	want := []string{"fd00::ffff:ffff:ffff:fffe", "fd00::ffff:ffff:ffff:ffff", "fd00:0:0:1::", "fd00:0:0:1::1"}
	if len(got) != len(want) {
		t.Fatalf("Walk = %q, want %q", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("Walk = %q, want %q", got, want)
		}
	}
}

// BenchmarkWalkSlash12 walks all 1,048,576 addresses of 172.16.0.0/12.
func BenchmarkWalkSlash12(b *testing.B) {
	s := mustParse(b, []string{"172.16.0.0/12"}, Options{})
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		var n uint64
		if err := s.Walk(ctx, func(Target) bool { n++; return true }); err != nil {
			b.Fatal(err)
		}
		if n != 1<<20 {
			b.Fatalf("walked %d, want %d", n, 1<<20)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(1<<20), "ns/addr")
}
