package bench

import (
	"fmt"
	"os"
	"strconv"
	"testing"
)

// BenchmarkSweep12 is benchmark (c): camwarden's sweep of 127.0.0.0/12
// (1,048,576 addresses) on one closed port against a minimal Go dial loop
// with the same concurrency. Targets: camwarden >= 80% of the loop's rate
// and a peak RSS under 64 MB. Override with BENCH_PREFIX, BENCH_PORT and
// BENCH_WORKERS.
func BenchmarkSweep12(b *testing.B) {
	env := []string{
		"BENCH_PREFIX=" + getenv("BENCH_PREFIX", "127.0.0.0/12"),
		"BENCH_PORT=" + getenv("BENCH_PORT", "9"),
		"BENCH_WORKERS=" + getenv("BENCH_WORKERS", "512"),
	}
	// The machine is shared, so the two alternate (loop first, then
	// camwarden first); the ratio is the mean of each round's pair, which
	// ran under similar load, and the table shows the best run of each.
	rounds, _ := strconv.Atoi(getenv("BENCH_ROUNDS", "2"))
	for b.Loop() {
		var loop, sweep childReport
		var loopRSS, sweepRSS int64
		var ratioSum float64
		for r := range rounds {
			var pair [2]float64 // loop, sweep rates of this round
			order := []string{"loop", "sweep"}
			if r%2 == 1 {
				order = []string{"sweep", "loop"}
			}
			for _, mode := range order {
				rep, rss, err := runChildProcess(b.Context(), mode, env...)
				if err != nil {
					b.Fatal(err)
				}
				fmt.Fprintf(os.Stderr, "round %d %-5s %d attempts in %.2fs (%.0f/s), %d errors, maxRSS %.1f MB\n",
					r+1, mode, rep.Attempts, rep.Seconds, float64(rep.Attempts)/rep.Seconds, rep.Errors, float64(rss)/1024)
				best, bestRSS, slot := &loop, &loopRSS, 0
				if mode == "sweep" {
					best, bestRSS, slot = &sweep, &sweepRSS, 1
				}
				pair[slot] = float64(rep.Attempts) / rep.Seconds
				*bestRSS = max(*bestRSS, rss)
				if best.Seconds == 0 || rep.Seconds < best.Seconds {
					*best = rep
				}
			}
			ratioSum += pair[1] / pair[0]
			fmt.Fprintf(os.Stderr, "round %d ratio camwarden/loop = %.2f\n", r+1, pair[1]/pair[0])
		}
		loopRate := float64(loop.Attempts) / loop.Seconds
		sweepRate := float64(sweep.Attempts) / sweep.Seconds
		ratio := ratioSum / float64(rounds)
		b.ReportMetric(sweepRate, "camwarden-conn/s")
		b.ReportMetric(loopRate, "dialloop-conn/s")
		b.ReportMetric(ratio, "rate-ratio")
		b.ReportMetric(float64(sweepRSS)/1024, "camwarden-maxrss-MB")
		b.ReportMetric(float64(loopRSS)/1024, "dialloop-maxrss-MB")
		fmt.Fprintf(os.Stderr, "\n(c) %s port %s, %s workers\n", env[0][13:], env[1][11:], env[2][14:])
		fmt.Fprintf(os.Stderr, "%-10s %10s %8s %8s %12s %10s\n", "scanner", "attempts", "errors", "seconds", "conn/s", "maxRSS MB")
		for _, r := range []struct {
			name string
			rep  childReport
			rss  int64
		}{{"dial loop", loop, loopRSS}, {"camwarden", sweep, sweepRSS}} {
			fmt.Fprintf(os.Stderr, "%-10s %10d %8d %8.2f %12.0f %10.1f\n", r.name, r.rep.Attempts, r.rep.Errors,
				r.rep.Seconds, float64(r.rep.Attempts)/r.rep.Seconds, float64(r.rss)/1024)
		}
		fmt.Fprintf(os.Stderr, "mean paired rate ratio camwarden/loop = %.2f (target >= 0.80); camwarden peak RSS %.1f MB (target < 64)\n",
			ratio, float64(sweepRSS)/1024)
		if sweep.Attempts != loop.Attempts {
			b.Errorf("camwarden made %d attempts, the loop %d", sweep.Attempts, loop.Attempts)
		}
		if ratio < 0.8 {
			b.Errorf("camwarden reached %.0f%% of the dial loop's rate, want >= 80%%", 100*ratio)
		}
		if sweepRSS > 64*1024 {
			b.Errorf("camwarden peak RSS %d kB, want < 64 MB", sweepRSS)
		}
	}
}

func getenv(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
