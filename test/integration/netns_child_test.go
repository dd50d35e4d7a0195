//go:build integration

package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/lab"
)

// The tests that need a network of their own (multicast discovery, a
// router's LAN side) run their parts inside network namespaces made by
// scripts/peers/start-*.sh. Rather than setns() on locked OS threads (the
// engine dials from many goroutines), each part is this very test binary
// re-executed under `ip netns exec`, running only its test, and told its
// role by an environment variable. Children exchange JSON files with the
// parent.

// requireNetns fails t unless every namespace names exists; script is the
// peer script that creates them.
func requireNetns(t *testing.T, script string, names ...string) {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), "ip", "netns", "list").Output()
	for _, n := range names {
		if err != nil || !bytes.Contains(out, []byte(n)) {
			t.Fatalf("network namespace %s missing (err %v): run scripts/peers/%s (or scripts/peers/start-all.sh)", n, err, script)
		}
	}
}

// netnsChild is the command that re-executes this test binary inside ns,
// running only test, with env added to the environment.
func netnsChild(ctx context.Context, t *testing.T, ns, test string, env ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("find test binary: %v", err)
	}
	cmd := exec.CommandContext(ctx, "ip", "netns", "exec", ns, exe,
		"-test.run=^"+test+"$", "-test.v", "-test.count=1", "-test.timeout=3m")
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// runNetnsChild runs test inside ns to its end; the child must pass.
func runNetnsChild(ctx context.Context, t *testing.T, ns, test string, env ...string) {
	t.Helper()
	out, err := netnsChild(ctx, t, ns, test, env...).CombinedOutput()
	t.Logf("child %s in %s:\n%s", test, ns, out)
	if err != nil || !bytes.Contains(out, []byte("--- PASS: "+test)) {
		t.Fatalf("child %s in %s failed: %v", test, ns, err)
	}
}

// startNetnsResponders starts test inside ns as a responder child (see
// serveDiscovery) and returns the manifest it writes to manifestPath; the
// child stops when the test ends.
func startNetnsResponders(ctx context.Context, t *testing.T, ns, test, manifestPath string, env ...string) lab.Manifest {
	t.Helper()
	cmd := netnsChild(ctx, t, ns, test, env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start responders in %s: %v", ns, err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = stdin.Close() // the child returns when its stdin closes
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		t.Logf("responder child in %s:\n%s", ns, out.String())
	})
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(30 * time.Second)
	for {
		if _, err := os.Stat(manifestPath); err == nil {
			var m lab.Manifest
			readJSON(t, manifestPath, &m)
			return m
		}
		select {
		case <-exited:
			t.Fatalf("responder child in %s exited before writing its manifest: %v\n%s", ns, waitErr, out.String())
		case <-deadline:
			t.Fatalf("responders in %s did not come up within 30s\n%s", ns, out.String())
		case <-tick.C:
		}
	}
}

// serveDiscovery is a responder child: lab discovery responders on the
// addresses prefix.2 and up, joined to the multicast groups on iface only,
// their manifest written to manifestPath, served until the parent closes
// stdin. It refuses to start outside its namespace.
func serveDiscovery(t *testing.T, prefix, iface, manifestPath string) {
	if !hasLocalAddr(t, prefix+".2") {
		t.Fatalf("responder child is not inside its namespace (no local %s.2): refusing to join multicast groups", prefix)
	}
	ds, err := lab.StartDiscovery(t.Context(), lab.DiscoveryOptions{Prefix: prefix, Interface: iface})
	if err != nil {
		t.Fatalf("start discovery responders: %v", err)
	}
	defer ds.Close()
	writeJSON(t, manifestPath, ds.Manifest())
	_, _ = io.Copy(io.Discard, os.Stdin) // serve until the parent closes stdin
}

// writeJSON writes v to path whole (through a temporary file and a
// rename), so that a parent polling for path never reads half of it.
func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+".tmp", b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		t.Fatal(err)
	}
}

// readJSON reads the JSON file path into v.
func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
}
