package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/scope"
)

// The /12 sweep is measured in child processes (this test binary re-run
// with childEnv set) so that each gets its own peak RSS.
const childEnv = "CAMWARDEN_BENCH_CHILD"

// childReport is what a child prints as JSON on stdout.
type childReport struct {
	Mode     string  `json:"mode"`
	Attempts uint64  `json:"attempts"`
	Closed   uint64  `json:"closed"`
	Errors   uint64  `json:"errors"`
	Seconds  float64 `json:"seconds"`
	VmHWMkB  int64   `json:"vmhwm_kb"`
}

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(runChild(mode))
	}
	os.Exit(m.Run())
}

func runChild(mode string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	prefix := netip.MustParsePrefix(os.Getenv("BENCH_PREFIX"))
	port, _ := strconv.Atoi(os.Getenv("BENCH_PORT"))
	workers, _ := strconv.Atoi(os.Getenv("BENCH_WORKERS"))
	var rep childReport
	var err error
	switch mode {
	case "sweep":
		rep, err = childSweep(ctx, prefix, uint16(port), workers)
	case "loop":
		rep, err = childLoop(ctx, prefix, uint16(port), workers)
	default:
		err = fmt.Errorf("unknown child mode %q", mode)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench child:", err)
		return 1
	}
	rep.Mode, rep.VmHWMkB = mode, vmHWM()
	_ = json.NewEncoder(os.Stdout).Encode(rep)
	return 0
}

// childSweep runs camwarden's engine (scope walk, guard, sweep) on prefix.
func childSweep(ctx context.Context, prefix netip.Prefix, port uint16, workers int) (childReport, error) {
	sc, err := scope.Parse(ctx, []string{prefix.String()}, scope.Options{})
	if err != nil {
		return childReport{}, err
	}
	start := time.Now()
	res, err := engine.Scan(ctx, engine.Config{Scope: sc, Ports: []uint16{port}, UDPPorts: []uint16{},
		Rate: -1, Workers: workers, PerHost: 1})
	if err != nil {
		return childReport{}, err
	}
	return childReport{Attempts: res.Stats.Attempts, Closed: res.Stats.Closed, Errors: res.Stats.Errors,
		Seconds: time.Since(start).Seconds()}, nil
}

// childLoop is the baseline: the simplest Go connect loop with the same
// number of goroutines and a plain net.Dialer.
func childLoop(ctx context.Context, prefix netip.Prefix, port uint16, workers int) (childReport, error) {
	first := prefix.Masked().Addr().As4()
	base := uint32(first[0])<<24 | uint32(first[1])<<16 | uint32(first[2])<<8 | uint32(first[3])
	n := uint64(1) << (32 - prefix.Bits())
	var next, attempts, closed, errs atomic.Uint64
	d := net.Dialer{Timeout: time.Second}
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= n {
					return
				}
				v := base + uint32(i)
				a := netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
				c, err := d.DialContext(ctx, "tcp", netip.AddrPortFrom(a, port).String())
				attempts.Add(1)
				switch {
				case err == nil:
					c.Close()
				case strings.Contains(err.Error(), "refused"):
					closed.Add(1)
				default:
					errs.Add(1)
				}
			}
		})
	}
	wg.Wait()
	return childReport{Attempts: attempts.Load(), Closed: closed.Load(), Errors: errs.Load(),
		Seconds: time.Since(start).Seconds()}, ctx.Err()
}

// vmHWM reads this process's peak resident set size in kB.
func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			v, _ := strconv.ParseInt(f[1], 10, 64)
			return v
		}
	}
	return -1
}

// runChildProcess re-runs this binary in a child mode and returns its
// report and its peak RSS from rusage (kB).
func runChildProcess(ctx context.Context, mode string, env ...string) (childReport, int64, error) {
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), append(env, childEnv+"="+mode)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return childReport{}, 0, fmt.Errorf("child %s: %w", mode, err)
	}
	var rep childReport
	if err := json.Unmarshal(out, &rep); err != nil {
		return childReport{}, 0, fmt.Errorf("child %s output %q: %w", mode, out, err)
	}
	var maxRSS int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		maxRSS = ru.Maxrss
	}
	return rep, maxRSS, nil
}
