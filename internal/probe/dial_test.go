package probe_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
)

// silentDialer never answers: the dial ends with its context.
type silentDialer struct{}

func (silentDialer) DialContext(ctx context.Context, _, _ string) (net.Conn, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestConnect(t *testing.T) {
	tests := []struct {
		name       string
		target     func(t *testing.T) probe.Target
		dialer     probe.Dialer
		wantStatus probe.Status // "" for a connection
	}{
		{"open port", func(t *testing.T) probe.Target { return probetest.Serve(t, probetest.Replay(nil)) }, &net.Dialer{}, ""},
		{"closed port", func(t *testing.T) probe.Target { return probetest.Closed(t, "tcp") }, &net.Dialer{}, probe.StatusRefused},
		{"no answer", func(t *testing.T) probe.Target { return probetest.Closed(t, "tcp") }, silentDialer{}, probe.StatusTimeout},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tg := tc.target(t)
			ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
			defer cancel()
			conn, s, err := probe.Connect(ctx, tc.dialer, tg, "ftp")
			if tc.wantStatus == "" {
				if err != nil || s != nil || conn == nil {
					t.Fatalf("Connect = %v, %+v, %v; want a connection", conn, s, err)
				}
				_ = conn.Close()
				return
			}
			if conn != nil || err == nil || !strings.HasPrefix(err.Error(), "ftp connect "+tg.Address()+": ") {
				t.Fatalf("Connect = %v, %v; want the wrapped dial error", conn, err)
			}
			if s == nil || s.Status != tc.wantStatus || s.Protocol != "ftp" || s.Port != tg.Port || s.Error != err.Error() {
				t.Fatalf("service %+v, want status %s for ftp on %d", s, tc.wantStatus, tg.Port)
			}
		})
	}
}
