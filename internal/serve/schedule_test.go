package serve

import (
	"testing"
	"time"
)

func TestParseSchedule(t *testing.T) {
	tests := []struct {
		spec, want, err string
	}{
		{"every 6h", "every 6h0m0s", ""},
		{"Daily 02:30 jitter 10m", "daily 02:30 jitter 10m0s", ""},
		{"weekly sunday 03:00 quiet 08:00-20:00", "weekly sun 03:00 quiet 08:00-20:00", ""},
		{"every 2h quiet 22:00-06:00", "every 2h0m0s quiet 22:00-06:00", ""},
		{"", "", `schedule: empty (want e.g. "every 6h", "daily 02:30" or "weekly sun 02:30")`},
		{"every 10s", "", `schedule: interval "10s": want a duration of at least 1m0s`},
		{"daily 25:00", "", `schedule: time "25:00": want HH:MM (24-hour)`},
		{"weekly xyz 02:00", "", `schedule: day "xyz": want sun, mon, tue, wed, thu, fri or sat`},
		{"hourly", "", `schedule "hourly": want every, daily or weekly`},
		{"every 1h jitter 2h", "", "schedule: jitter must be shorter than the interval"},
		{"daily 02:00 quiet 00:00-23:59", "", "schedule: the quiet hours leave no time to audit"},
		{"daily 02:00 often 1", "", `schedule: unknown "often" (want jitter or quiet)`},
	}
	for _, tc := range tests {
		t.Run(tc.spec, func(t *testing.T) {
			s, err := ParseSchedule(tc.spec)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Errorf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || s.String() != tc.want {
				t.Errorf("ParseSchedule = %q, %v; want %q", s.String(), err, tc.want)
			}
		})
	}
}

func TestNext(t *testing.T) {
	jst := time.FixedZone("JST", 9*3600)
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, jst)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name, spec, last, now, want string
	}{
		{"first audit now", "every 6h", "", "2026-03-02 10:00", "2026-03-02 10:00"},
		{"first audit after quiet hours", "every 6h quiet 08:00-20:00", "", "2026-03-02 10:00", "2026-03-02 20:00"},
		{"interval", "every 6h", "2026-03-02 10:00", "2026-03-02 11:00", "2026-03-02 16:00"},
		{"missed while stopped", "every 6h", "2026-03-01 10:00", "2026-03-02 11:00", "2026-03-02 11:00"},
		{"interval into quiet hours", "every 6h quiet 08:00-20:00", "2026-03-02 04:00", "2026-03-02 05:00", "2026-03-02 20:00"},
		{"quiet over midnight", "every 1h quiet 22:00-06:00", "2026-03-02 22:30", "2026-03-02 22:40", "2026-03-03 06:00"},
		{"daily", "daily 02:30", "2026-03-02 02:30", "2026-03-02 09:00", "2026-03-03 02:30"},
		{"weekly", "weekly sun 03:00", "2026-03-01 03:00", "2026-03-02 09:00", "2026-03-08 03:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseSchedule(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			var last time.Time
			if tc.last != "" {
				last = at(tc.last)
			}
			if got := s.Next(last, at(tc.now), "shop"); !got.Equal(at(tc.want)) {
				t.Errorf("Next = %s, want %s", got.Format("2006-01-02 15:04"), tc.want)
			}
		})
	}
}

// TestJitter: the offset is within bounds, stable for a site and slot,
// and differs between sites.
func TestJitter(t *testing.T) {
	s, _ := ParseSchedule("daily 02:00 jitter 30m")
	last := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	now := last.Add(time.Hour)
	base := time.Date(2026, 3, 3, 2, 0, 0, 0, time.UTC)
	seen := map[time.Time]bool{}
	for _, site := range []string{"a", "b", "c", "d", "e"} {
		n := s.Next(last, now, site)
		if n.Before(base) || !n.Before(base.Add(30*time.Minute)) {
			t.Errorf("site %s: %v outside [02:00, 02:30)", site, n)
		}
		if again := s.Next(last, now, site); !again.Equal(n) {
			t.Errorf("site %s: %v then %v", site, n, again)
		}
		seen[n] = true
	}
	if len(seen) < 2 {
		t.Error("every site got the same jitter")
	}
}
