package scope

import (
	"context"
	"errors"
	"net"
	"testing"
)

type recordingDialer struct{ dialled []string }

func (r *recordingDialer) DialContext(_ context.Context, _, address string) (net.Conn, error) {
	r.dialled = append(r.dialled, address)
	return nil, errors.New("not really dialling")
}

func TestGuardDialer(t *testing.T) {
	sc, err := Parse(t.Context(), []string{"127.0.0.0/24"}, Options{Excludes: []string{"127.0.0.9"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		address string
		allowed bool
	}{
		{"127.0.0.5:80", true},
		{"127.0.0.9:80", false},   // excluded
		{"127.0.1.5:80", false},   // outside the scope
		{"8.8.8.8:53", false},     // public, never in scope
		{"example.com:80", false}, // names are not resolved here
		{"[::ffff:127.0.0.5]:80", true},
	}
	for _, tc := range tests {
		t.Run(tc.address, func(t *testing.T) {
			base := &recordingDialer{}
			_, err := GuardDialer{Scope: sc, Base: base}.DialContext(t.Context(), "tcp", tc.address)
			if got := len(base.dialled) == 1; got != tc.allowed {
				t.Fatalf("dialled=%v, want %v (err %v)", got, tc.allowed, err)
			}
			if !tc.allowed && !errors.Is(err, ErrOutOfScope) {
				t.Fatalf("err = %v, want ErrOutOfScope", err)
			}
		})
	}
}
