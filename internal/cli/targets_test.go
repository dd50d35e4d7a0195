//go:build unix

package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestScanTargetFileDevZero: `scan @/dev/zero` is refused at once (exit
// 2, a line longer than any target list has) instead of reading forever.
func TestScanTargetFileDevZero(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	code := Run(ctx, []string{"scan", "@/dev/zero", "--no-history"}, strings.NewReader(""), &out, &errb)
	if code != ExitUsage || !strings.Contains(errb.String(), "/dev/zero") || ctx.Err() != nil {
		t.Errorf("exit %d (context %v), stderr %q; want exit 2 naming /dev/zero", code, ctx.Err(), errb.String())
	}
}

// TestScanTargetFileSignal: a target file that never ends nor sends (a
// FIFO whose writer stays silent) does not keep camwarden from stopping
// on SIGTERM/Ctrl-C: the scan returns 130 as soon as its context ends.
func TestScanTargetFileSignal(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "targets")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := os.OpenFile(fifo, os.O_RDWR, 0) // a writer that never writes
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan int, 1)
	var errb bytes.Buffer
	go func() {
		done <- Run(ctx, []string{"scan", "@" + fifo, "--no-history"}, strings.NewReader(""), &bytes.Buffer{}, &errb)
	}()
	time.Sleep(100 * time.Millisecond) // let it block in the read; the test holds either way
	cancel()
	select {
	case code := <-done:
		if code != ExitInterrupted {
			t.Errorf("exit %d, want %d; stderr %q", code, ExitInterrupted, errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("scan still reading its target file 30 s after the signal")
	}
}
