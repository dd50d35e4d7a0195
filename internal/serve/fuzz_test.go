package serve

import (
	"testing"
	"time"
)

// FuzzParseSchedule: any input either fails or gives a schedule whose
// String parses back to the same schedule, and whose Next is never
// before now.
func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{"every 6h", "daily 02:30 jitter 10m", "weekly sun 03:00 quiet 22:00-06:00",
		"every 1m quiet 08:00-20:00", "weekly x", "daily 24:00", "every -1h", "quiet 1-2"} {
		f.Add(s)
	}
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, spec string) {
		s, err := ParseSchedule(spec)
		if err != nil {
			return
		}
		again, err := ParseSchedule(s.String())
		if err != nil || again != s {
			t.Fatalf("%q -> %q -> %+v, %v", spec, s.String(), again, err)
		}
		for _, last := range []time.Time{{}, now.Add(-time.Hour), now.Add(-400 * 24 * time.Hour)} {
			next := s.Next(last, now, "site")
			if next.Before(now) || s.InQuiet(next) {
				t.Fatalf("%q: Next(%v) = %v (before now or in the quiet hours)", spec, last, next)
			}
		}
	})
}
