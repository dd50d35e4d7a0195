package cli

import (
	"bufio"
	"fmt"
	"strings"
	"time"
)

// Scope sizes that call for a word before scanning.
const (
	// confirmAbove is the largest scope scanned without confirmation: a
	// /16. Above it camwarden asks on a terminal and, without one,
	// refuses unless --yes.
	confirmAbove = 1 << 16
	// announceAfter is the expected sweep time from which the size and
	// duration are stated before the scan starts.
	announceAfter = time.Minute
)

// scopeEstimate is what a scan of a scope will cost, at least.
type scopeEstimate struct {
	addresses uint64
	ports     int
	rate      int
}

// attempts is the number of TCP connection attempts of the sweep.
func (e scopeEstimate) attempts() uint64 { return e.addresses * uint64(max(e.ports, 1)) }

// sweep is the least time the sweep takes at the rate limit.
func (e scopeEstimate) sweep() time.Duration {
	if e.rate <= 0 {
		return 0
	}
	secs := float64(e.attempts()) / float64(e.rate)
	return time.Duration(secs * float64(time.Second))
}

func (e scopeEstimate) String() string {
	return fmt.Sprintf("%s addresses × %d ports = %s connection attempts; at --rate %d/s the sweep alone takes at least %s",
		thousands(e.addresses), e.ports, thousands(e.attempts()), e.rate, roughly(e.sweep()))
}

// confirmScope states the size and expected duration of a large scope
// and, above a /16, asks for confirmation on a terminal; without a
// terminal it refuses unless yes (--yes) is set. A scope of 16.7 million
// addresses (a /8) used to start silently.
func confirmScope(stdio IO, e scopeEstimate, yes bool) error {
	big := e.addresses > confirmAbove
	if !big && e.sweep() < announceAfter {
		return nil
	}
	fmt.Fprintf(stdio.Err, "scope: %s.\n", e)
	if !big || yes {
		return nil
	}
	if !stdio.InTerminal {
		return usagef("the scope has %s addresses, more than a /16 (%s): narrow it to your own network, or add --yes if you really mean it",
			thousands(e.addresses), thousands(confirmAbove))
	}
	fmt.Fprintf(stdio.Err, "This is more than a /16. Only scan networks you own or may audit. Scan all of it? [y/N] ")
	line, _ := bufio.NewReader(stdio.In).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
		return usagef("nothing scanned")
	}
	return nil
}

// thousands writes n with comma separators: 16,777,216.
func thousands(n uint64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// roughly rounds a duration for a person: seconds under a minute,
// minutes under a day, else days and hours.
func roughly(d time.Duration) string {
	switch {
	case d < time.Minute:
		return d.Round(time.Second).String()
	case d < 24*time.Hour:
		return strings.TrimSuffix(d.Round(time.Minute).String(), "0s")
	}
	h := int(d.Round(time.Hour).Hours())
	return fmt.Sprintf("%dd%dh", h/24, h%24)
}
