package scope

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// repeatReader repeats pattern forever (a /dev/zero or a runaway
// generator), counting what was read.
type repeatReader struct {
	pattern []byte
	read    int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.pattern[(r.read+int64(i))%int64(len(r.pattern))]
	}
	r.read += int64(len(p))
	return len(p), nil
}

func (r *repeatReader) Close() error { return nil }

// blockingReader blocks in Read until closed (a FIFO nobody writes to).
type blockingReader struct{ closed chan struct{} }

func (r *blockingReader) Read([]byte) (int, error) {
	<-r.closed
	return 0, errors.New("read on closed file")
}

func (r *blockingReader) Close() error {
	select {
	case <-r.closed:
	default:
		close(r.closed)
	}
	return nil
}

// TestTargetFileCaps: an endless @file is refused within its caps,
// whatever it repeats, having read no more than MaxTargetFileBytes.
func TestTargetFileCaps(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		reason  string
	}{
		{"zeros, no newline (/dev/zero)", "\x00", "longer than"},
		{"endless addresses", "10.0.0.1\n", "more than"},
		{"endless long comment lines", "10.0.0.1 #" + strings.Repeat("x", 200) + "\n", "larger than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &repeatReader{pattern: []byte(tc.pattern)}
			_, err := Parse(t.Context(), []string{"@big.txt"}, Options{OpenFile: func(string) (io.ReadCloser, error) { return r, nil }})
			var te *TargetError
			if !errors.As(err, &te) || !errors.Is(err, ErrTargetFileTooLarge) || !strings.Contains(te.Reason, tc.reason) {
				t.Fatalf("Parse = %v, want a TargetError (%q) wrapping ErrTargetFileTooLarge", err, tc.reason)
			}
			if r.read > MaxTargetFileBytes+64<<10 {
				t.Errorf("read %d bytes, cap %d", r.read, MaxTargetFileBytes)
			}
		})
	}
}

// TestTargetFileCancel: a read that blocks (a FIFO with no data) ends
// when the context does (SIGTERM, Ctrl-C), with the context's error.
func TestTargetFileCancel(t *testing.T) {
	r := &blockingReader{closed: make(chan struct{})}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := Parse(ctx, []string{"@fifo"}, Options{OpenFile: func(string) (io.ReadCloser, error) { return r, nil }})
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Parse = %v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Parse still blocked in a read 30 s after its context ended")
	}
}
