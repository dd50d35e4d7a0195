package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// demoChildEnv tells a re-executed test binary to run the non-root demo.
const demoChildEnv = "CAMWARDEN_DEMO_NONROOT_CHILD"

func TestLabStartErrorHint(t *testing.T) {
	bind := fmt.Errorf("lab start hikvision-ipc-legacy: listen tcp 127.77.0.2:80: %w",
		&os.SyscallError{Syscall: "bind", Err: syscall.EACCES})
	msg := labStartError("demo", bind).Error()
	for _, want := range []string{"permission denied", "need root", "sudo camwarden demo", "camwarden demo --unprivileged"} {
		if !strings.Contains(msg, want) {
			t.Errorf("hint %q lacks %q", msg, want)
		}
	}
	if msg := labStartError("demo", errors.New("address already in use")).Error(); strings.Contains(msg, "--unprivileged") {
		t.Errorf("a busy port is not a permission problem: %q", msg)
	}
}

// TestDemoAsNonRoot is issue 10 item 14 as a user without root would
// meet it: the plain demo fails on port 80 and says what to do; the demo
// with --unprivileged runs the lab on high ports and every device matches
// the manifest. As root, the test runs its own binary as nobody (setpriv,
// no capabilities); otherwise it already is unprivileged.
func TestDemoAsNonRoot(t *testing.T) {
	if os.Getenv(demoChildEnv) != "" {
		demoNonRootChild(t)
		return
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "camwarden-nonroot-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "cli.test")
	if err := copyFile(exe, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	args := []string{bin, "-test.run=^TestDemoAsNonRoot$", "-test.v", "-test.count=1"}
	if os.Geteuid() == 0 {
		setpriv, err := exec.LookPath("setpriv")
		if err != nil {
			t.Fatalf("setpriv (util-linux) is needed to run the demo as nobody: %v", err)
		}
		args = append([]string{setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all"}, args...)
	}
	cmd := exec.CommandContext(t.Context(), args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), demoChildEnv+"="+dir, "HOME="+dir, "TMPDIR="+dir)
	out, err := cmd.CombinedOutput()
	t.Logf("non-root child:\n%s", out)
	if err != nil || !bytes.Contains(out, []byte("--- PASS: TestDemoAsNonRoot")) {
		t.Fatalf("non-root demo child failed: %v", err)
	}
}

func demoNonRootChild(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Fatal("the child runs as root: setpriv did not drop it")
	}
	dir := os.Getenv(demoChildEnv)
	var out, errb bytes.Buffer
	code := Run(t.Context(), []string{"demo", "--prefix", "127.78.121", "--out", filepath.Join(dir, "a")},
		strings.NewReader(""), &out, &errb)
	if code == ExitOK || !strings.Contains(errb.String(), "--unprivileged") || !strings.Contains(errb.String(), "need root") {
		t.Errorf("demo as non-root: exit %d, stderr:\n%s\nwant a failure that says what to do", code, errb.String())
	}
	out.Reset()
	errb.Reset()
	code = Run(t.Context(), []string{"demo", "--unprivileged", "--prefix", "127.78.122", "--out", filepath.Join(dir, "b")},
		strings.NewReader(""), &out, &errb)
	if code != ExitOK || !strings.Contains(errb.String(), "match the manifest") || strings.Contains(errb.String(), "differences") {
		t.Errorf("demo --unprivileged as non-root: exit %d, stderr:\n%s", code, errb.String())
	}
	if !strings.Contains(out.String(), "40080/http") || !strings.Contains(out.String(), "EXPOSED-TO-INTERNET") {
		t.Errorf("report does not show the lab on high ports with its router's mappings:\n%s", out.String())
	}
}

func copyFile(src, dst string, mode os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
