package discover

import (
	"sync"
	"time"
)

// Adaptive connect timeout bounds.
const (
	// DefaultMaxTimeout caps the adaptive connect timeout and is used
	// before any round-trip time has been measured.
	DefaultMaxTimeout = time.Second
	// MinTimeout is the floor of the adaptive connect timeout, so that a
	// fast loopback or LAN does not make a briefly busy device look filtered.
	MinTimeout = 250 * time.Millisecond
)

// rttEstimator keeps a smoothed round-trip time and its variation from
// completed connects (open or refused), as TCP does (RFC 6298), and turns
// them into a connect timeout.
type rttEstimator struct {
	mu      sync.Mutex
	srtt    time.Duration
	rttvar  time.Duration
	samples uint64
	floor   time.Duration
	ceil    time.Duration
}

func newRTTEstimator(floor, ceil time.Duration) *rttEstimator {
	return &rttEstimator{floor: floor, ceil: ceil}
}

// add records one measured round trip.
func (e *rttEstimator) add(rtt time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.samples++
	if e.samples == 1 {
		e.srtt, e.rttvar = rtt, rtt/2
		return
	}
	diff := e.srtt - rtt
	if diff < 0 {
		diff = -diff
	}
	e.rttvar = (3*e.rttvar + diff) / 4
	e.srtt = (7*e.srtt + rtt) / 8
}

// timeout returns max(floor, 3×SRTT, SRTT+4×RTTVAR, 3×hostSRTT) capped at
// the ceiling; the ceiling itself until the first sample arrives.
func (e *rttEstimator) timeout(hostSRTT time.Duration) time.Duration {
	e.mu.Lock()
	srtt, rttvar, n := e.srtt, e.rttvar, e.samples
	e.mu.Unlock()
	if n == 0 && hostSRTT == 0 {
		return e.ceil
	}
	t := max(e.floor, 3*srtt, srtt+4*rttvar, 3*hostSRTT)
	return min(t, e.ceil)
}

// smoothed returns the current smoothed RTT (0 before any sample).
func (e *rttEstimator) smoothed() time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.srtt
}
