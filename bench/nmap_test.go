package bench

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/engine"
)

// requireNmap returns nmap's path or fails the benchmark: a comparison
// without the other side is not a benchmark.
func requireNmap(b *testing.B) string {
	b.Helper()
	p, err := exec.LookPath("nmap")
	if err != nil {
		b.Fatalf("nmap is required for this comparison (apt-get install -y nmap): %v", err)
	}
	return p
}

// nmapRun is the part of nmap's -oX output the benchmarks read.
type nmapRun struct {
	Hosts []struct {
		Addresses []struct {
			Addr string `xml:"addr,attr"`
		} `xml:"address"`
		Ports []struct {
			Port  uint16 `xml:"portid,attr"`
			State struct {
				State string `xml:"state,attr"`
			} `xml:"state"`
			Service struct {
				Name      string `xml:"name,attr"`
				Product   string `xml:"product,attr"`
				Version   string `xml:"version,attr"`
				ExtraInfo string `xml:"extrainfo,attr"`
				DevType   string `xml:"devicetype,attr"`
				OSType    string `xml:"ostype,attr"`
			} `xml:"service"`
		} `xml:"ports>port"`
	} `xml:"host"`
}

func portList() string {
	s := make([]string, len(engine.DefaultPorts))
	for i, p := range engine.DefaultPorts {
		s[i] = fmt.Sprint(p)
	}
	return strings.Join(s, ",")
}

// runNmap runs nmap with the benchmark ports on cidr and parses its XML.
func runNmap(ctx context.Context, nmap, cidr string, args ...string) (time.Duration, *nmapRun, error) {
	full := append(append([]string{}, args...), "-n", "-p", portList(), "-oX", "-", cidr)
	start := time.Now()
	out, err := exec.CommandContext(ctx, nmap, full...).Output()
	took := time.Since(start)
	if err != nil {
		return took, nil, fmt.Errorf("nmap %s: %w", strings.Join(full, " "), err)
	}
	var run nmapRun
	dec := xml.NewDecoder(strings.NewReader(string(out)))
	dec.Strict = false
	dec.Entity = map[string]string{}
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	if err := dec.Decode(&run); err != nil {
		return took, nil, fmt.Errorf("parse nmap XML: %w", err)
	}
	return took, &run, nil
}

// nmapOpen returns nmap's wall time and the open ports it found per host.
func nmapOpen(ctx context.Context, nmap, cidr string, args ...string) (time.Duration, map[string][]uint16, error) {
	took, run, err := runNmap(ctx, nmap, cidr, args...)
	if err != nil {
		return took, nil, err
	}
	found := map[string][]uint16{}
	for _, h := range run.Hosts {
		if len(h.Addresses) == 0 {
			continue
		}
		for _, p := range h.Ports {
			if p.State.State == "open" {
				found[h.Addresses[0].Addr] = append(found[h.Addresses[0].Addr], p.Port)
			}
		}
	}
	return took, found, nil
}
