package engine

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// progressInterval is how often Config.Progress is called.
const progressInterval = 100 * time.Millisecond

// Progress is a snapshot of a running scan.
type Progress struct {
	Done  uint64 // addresses swept
	Total uint64 // addresses in scope
	// Attempts counts TCP connection attempts so far, out of
	// AttemptsTotal (addresses × ports; 0 for a UDP-only scan): on a wide
	// port list an address takes long, and this is what moves.
	Attempts      uint64
	AttemptsTotal uint64
	Devices       int // devices found so far
	Elapsed       time.Duration
	ETA           time.Duration // 0 when unknown
}

func (s *scanner) snapshot() Progress {
	p := Progress{Done: s.done.Load(), Total: s.total, Devices: s.deviceCount(), Elapsed: time.Since(s.started),
		Attempts: s.attempts.Load(), AttemptsTotal: s.total * uint64(len(s.cfg.Ports))}
	done, total := p.Done, p.Total
	if p.AttemptsTotal > 0 {
		done, total = p.Attempts, p.AttemptsTotal
	}
	if done > 0 && done < total {
		rest := float64(total-done) / float64(done)
		p.ETA = time.Duration(rest * float64(p.Elapsed))
	}
	return p
}

// startProgress calls Config.Progress every progressInterval until the
// returned stop func is called, which makes one final call.
func (s *scanner) startProgress(ctx context.Context) (stop func()) {
	if s.cfg.Progress == nil {
		return func() {}
	}
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(progressInterval)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				s.cfg.Progress(s.snapshot())
			case <-quit:
				return
			case <-ctx.Done():
				<-quit
				return
			}
		}
	}()
	return func() {
		close(quit)
		<-finished
		s.cfg.Progress(s.snapshot())
	}
}

// ProgressBar returns a Progress func that redraws one line on w with a
// carriage return: a bar, the percentage of port attempts (of addresses
// for a UDP-only scan), ports and addresses, devices and the ETA. The
// last call (Done == Total) ends the line. Use it only when w is a
// terminal.
func ProgressBar(w io.Writer) func(Progress) {
	const width = 30
	return func(p Progress) {
		frac := 1.0
		switch {
		case p.AttemptsTotal > 0:
			frac = min(float64(p.Attempts)/float64(p.AttemptsTotal), 1)
		case p.Total > 0:
			frac = min(float64(p.Done)/float64(p.Total), 1)
		}
		n := int(frac * width)
		eta := "--"
		if p.ETA > 0 {
			eta = p.ETA.Round(time.Second).String()
		}
		ports := ""
		if p.AttemptsTotal > 0 {
			ports = fmt.Sprintf("%d/%d ports tried, ", p.Attempts, p.AttemptsTotal)
		}
		fmt.Fprintf(w, "\r[%s%s] %5.1f%% %s%d/%d addresses, %d devices, %s elapsed, ETA %s\x1b[K",
			strings.Repeat("#", n), strings.Repeat(".", width-n), 100*frac, ports, p.Done, p.Total,
			p.Devices, p.Elapsed.Round(time.Second), eta)
		if p.Total > 0 && p.Done >= p.Total {
			fmt.Fprintln(w)
		}
	}
}
