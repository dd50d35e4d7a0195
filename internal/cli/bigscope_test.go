package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestConfirmScope (issue 10.21): a /8 (16.7 million addresses) started
// silently. Large scopes state their size and least duration; above a
// /16 a terminal is asked, and without one camwarden refuses unless --yes.
func TestConfirmScope(t *testing.T) {
	slash8 := scopeEstimate{addresses: 1 << 24, ports: 22, rate: 2000}
	tests := []struct {
		name     string
		e        scopeEstimate
		terminal bool
		answer   string
		yes      bool
		wantErr  string // "" for go ahead
		wantSaid []string
	}{
		{"a /24 says nothing", scopeEstimate{addresses: 256, ports: 22, rate: 2000}, false, "", false, "", nil},
		{"a /16 states its duration", scopeEstimate{addresses: 1 << 16, ports: 22, rate: 2000}, false, "", false, "",
			[]string{"65,536 addresses × 22 ports = 1,441,792 connection attempts", "at least 12m"}},
		{"a /8 without a terminal is refused", slash8, false, "", false, "--yes",
			[]string{"16,777,216 addresses", "at least 2d3h"}},
		{"a /8 with --yes goes ahead", slash8, false, "", true, "", []string{"16,777,216 addresses"}},
		{"a /8 on a terminal, answered no", slash8, true, "n\n", false, "nothing scanned", []string{"Scan all of it? [y/N]"}},
		{"a /8 on a terminal, no answer", slash8, true, "", false, "nothing scanned", []string{"[y/N]"}},
		{"a /8 on a terminal, answered yes", slash8, true, "yes\n", false, "", []string{"[y/N]"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var errb bytes.Buffer
			stdio := IO{In: strings.NewReader(tc.answer), Err: &errb, InTerminal: tc.terminal, ErrTerminal: tc.terminal}
			err := confirmScope(stdio, tc.e, tc.yes)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("err = %v, want one mentioning %q", err, tc.wantErr)
			}
			for _, w := range tc.wantSaid {
				if !strings.Contains(errb.String(), w) {
					t.Errorf("stderr %q lacks %q", errb.String(), w)
				}
			}
			if tc.wantSaid == nil && errb.Len() > 0 {
				t.Errorf("small scope said %q", errb.String())
			}
		})
	}
}

// TestScanRefusesSlash8WithoutTerminal runs the command: a /8 of loopback
// without a terminal and without --yes exits 2 before any packet.
func TestScanRefusesSlash8WithoutTerminal(t *testing.T) {
	peer := newSentinelListener(t)
	var out, errb bytes.Buffer
	code := Run(t.Context(), []string{"scan", "127.0.0.0/8", "-p", peer.port, "--udp", "", "--no-history", "--gateway", "off"},
		strings.NewReader(""), &out, &errb)
	if code != ExitUsage || !strings.Contains(errb.String(), "16,777,216 addresses") || !strings.Contains(errb.String(), "--yes") {
		t.Errorf("exit %d, stderr %q; want 2 with the size and --yes", code, errb.String())
	}
	if n := peer.connections(t); n != 0 {
		t.Errorf("%d connections made before refusing", n)
	}
}
