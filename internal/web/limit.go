package web

import (
	"sync"
	"time"
)

// limiter counts failed logins per key (an account, an address) in a
// sliding window and refuses a key that reached its limit until its
// oldest failure leaves the window.
type limiter struct {
	mu      sync.Mutex
	window  time.Duration
	limit   int
	maxKeys int
	fails   map[string][]time.Time
}

func newLimiter(limit int, window time.Duration) *limiter {
	return &limiter{window: window, limit: limit, maxKeys: 10000, fails: map[string][]time.Time{}}
}

// blocked reports whether key may not try now, and until when.
func (l *limiter) blocked(key string, now time.Time) (bool, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fs := l.recent(key, now)
	if len(fs) < l.limit {
		return false, time.Time{}
	}
	return true, fs[len(fs)-l.limit].Add(l.window)
}

// fail records a failure of key.
func (l *limiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) >= l.maxKeys {
		for k := range l.fails { // drop expired keys; the map stays bounded
			if len(l.recent(k, now)) == 0 {
				delete(l.fails, k)
			}
		}
		if len(l.fails) >= l.maxKeys {
			return
		}
	}
	fs := append(l.recent(key, now), now)
	if len(fs) > l.limit*2 {
		fs = fs[len(fs)-l.limit*2:]
	}
	l.fails[key] = fs
}

// reset forgets key's failures (a successful login).
func (l *limiter) reset(key string) {
	l.mu.Lock()
	delete(l.fails, key)
	l.mu.Unlock()
}

func (l *limiter) recent(key string, now time.Time) []time.Time {
	fs := l.fails[key]
	i := 0
	for i < len(fs) && now.Sub(fs[i]) >= l.window {
		i++
	}
	fs = fs[i:]
	if len(fs) == 0 {
		delete(l.fails, key)
		return nil
	}
	l.fails[key] = fs
	return fs
}
