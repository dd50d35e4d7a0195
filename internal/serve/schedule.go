package serve

import (
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"
)

// Schedule says when a site is audited: every interval, or daily or
// weekly at a local time; jitter spreads audits of many sites; quiet
// hours are a daily window in which no audit starts (cameras are not
// probed while the shop is open, if the owner says so).
type Schedule struct {
	Every   time.Duration // interval schedules
	Daily   bool          // daily at At
	Weekly  bool          // weekly on Weekday at At
	Weekday time.Weekday
	At      time.Duration // time of day, from midnight
	Jitter  time.Duration // a per-site, per-slot offset in [0, Jitter)
	// QuietFrom and QuietTo bound the quiet window (time of day); the
	// window may wrap midnight. Equal values mean no quiet hours.
	QuietFrom, QuietTo time.Duration
}

// MinInterval is the shortest interval a schedule may have.
const MinInterval = time.Minute

var weekdays = map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday,
	"wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}

// ParseSchedule reads a schedule: "every 6h", "daily 02:30" or "weekly
// sun 02:30", then optionally "jitter 10m" and "quiet 08:00-20:00".
func ParseSchedule(spec string) (Schedule, error) {
	var s Schedule
	f := strings.Fields(strings.ToLower(spec))
	if len(f) == 0 {
		return s, errors.New("schedule: empty (want e.g. \"every 6h\", \"daily 02:30\" or \"weekly sun 02:30\")")
	}
	var err error
	switch f[0] {
	case "every":
		if len(f) < 2 {
			return s, errors.New("schedule: every needs an interval, e.g. every 6h")
		}
		if s.Every, err = time.ParseDuration(f[1]); err != nil || s.Every < MinInterval {
			return s, fmt.Errorf("schedule: interval %q: want a duration of at least %v", f[1], MinInterval)
		}
		f = f[2:]
	case "daily":
		if len(f) < 2 {
			return s, errors.New("schedule: daily needs a time, e.g. daily 02:30")
		}
		s.Daily = true
		if s.At, err = clock(f[1]); err != nil {
			return s, err
		}
		f = f[2:]
	case "weekly":
		if len(f) < 3 {
			return s, errors.New("schedule: weekly needs a day and a time, e.g. weekly sun 02:30")
		}
		wd, ok := weekdays[f[1][:min(3, len(f[1]))]]
		if !ok {
			return s, fmt.Errorf("schedule: day %q: want sun, mon, tue, wed, thu, fri or sat", f[1])
		}
		s.Weekly, s.Weekday = true, wd
		if s.At, err = clock(f[2]); err != nil {
			return s, err
		}
		f = f[3:]
	default:
		return s, fmt.Errorf("schedule %q: want every, daily or weekly", f[0])
	}
	for len(f) > 0 {
		if len(f) < 2 {
			return s, fmt.Errorf("schedule: %q needs a value", f[0])
		}
		switch f[0] {
		case "jitter":
			if s.Jitter, err = time.ParseDuration(f[1]); err != nil || s.Jitter < 0 {
				return s, fmt.Errorf("schedule: jitter %q: want a duration", f[1])
			}
		case "quiet":
			from, to, ok := strings.Cut(f[1], "-")
			if !ok {
				return s, fmt.Errorf("schedule: quiet %q: want HH:MM-HH:MM", f[1])
			}
			if s.QuietFrom, err = clock(from); err != nil {
				return s, err
			}
			if s.QuietTo, err = clock(to); err != nil {
				return s, err
			}
		default:
			return s, fmt.Errorf("schedule: unknown %q (want jitter or quiet)", f[0])
		}
		f = f[2:]
	}
	if s.quietLength() >= 24*time.Hour-MinInterval {
		return s, errors.New("schedule: the quiet hours leave no time to audit")
	}
	if s.Every > 0 && s.Jitter >= s.Every {
		return s, errors.New("schedule: jitter must be shorter than the interval")
	}
	return s, nil
}

// String writes the schedule in ParseSchedule's syntax.
func (s Schedule) String() string {
	var b strings.Builder
	switch {
	case s.Daily:
		b.WriteString("daily " + hhmm(s.At))
	case s.Weekly:
		b.WriteString("weekly " + strings.ToLower(s.Weekday.String()[:3]) + " " + hhmm(s.At))
	default:
		b.WriteString("every " + s.Every.String())
	}
	if s.Jitter > 0 {
		b.WriteString(" jitter " + s.Jitter.String())
	}
	if s.quietLength() > 0 {
		b.WriteString(" quiet " + hhmm(s.QuietFrom) + "-" + hhmm(s.QuietTo))
	}
	return b.String()
}

func clock(v string) (time.Duration, error) {
	h, m, ok := strings.Cut(v, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, fmt.Errorf("schedule: time %q: want HH:MM (24-hour)", v)
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, nil
}

func hhmm(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60)
}

func (s Schedule) quietLength() time.Duration {
	l := s.QuietTo - s.QuietFrom
	if l < 0 {
		l += 24 * time.Hour
	}
	return l
}

// Next returns when the audit after one that was due at last should
// start, never before now; a zero last (no audit yet) means as soon as
// the quiet hours allow. seed (the site's name) makes the jitter stable
// across restarts.
func (s Schedule) Next(last, now time.Time, seed string) time.Time {
	var t time.Time
	switch {
	case last.IsZero():
		t = now
	case s.Daily || s.Weekly:
		t = s.nextSlot(last)
		t = t.Add(s.jitter(seed, t))
	default:
		t = last.Add(s.Every)
		t = t.Add(s.jitter(seed, t))
	}
	if t.Before(now) {
		t = now
	}
	return s.afterQuiet(t)
}

// nextSlot is the first daily/weekly slot strictly after t (local time of t).
func (s Schedule) nextSlot(t time.Time) time.Time {
	y, m, d := t.Date()
	slot := time.Date(y, m, d, 0, 0, 0, 0, t.Location()).Add(s.At)
	for !slot.After(t) || (s.Weekly && slot.Weekday() != s.Weekday) {
		y, m, d = slot.Date()
		slot = time.Date(y, m, d+1, 0, 0, 0, 0, t.Location()).Add(s.At)
	}
	return slot
}

func (s Schedule) jitter(seed string, slot time.Time) time.Duration {
	if s.Jitter <= 0 {
		return 0
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%d", seed, slot.Unix())
	return time.Duration(h.Sum64() % uint64(s.Jitter))
}

// afterQuiet moves t out of the quiet window to its end.
func (s Schedule) afterQuiet(t time.Time) time.Time {
	if s.quietLength() == 0 {
		return t
	}
	y, m, d := t.Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, t.Location())
	tod := t.Sub(midnight)
	from, to := s.QuietFrom, s.QuietTo
	switch {
	case from < to && tod >= from && tod < to:
		return midnight.Add(to)
	case from > to && tod >= from:
		return time.Date(y, m, d+1, 0, 0, 0, 0, t.Location()).Add(to)
	case from > to && tod < to:
		return midnight.Add(to)
	}
	return t
}

// InQuiet reports whether t is inside the quiet hours.
func (s Schedule) InQuiet(t time.Time) bool { return !s.afterQuiet(t).Equal(t) }
