package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/lab"
)

// TestMain lets the test binary stand in for camwarden itself: with
// CAMWARDEN_TEST_MAIN=1 it runs main, so a test can start the real
// program, with its real signal handling, as a child process.
func TestMain(m *testing.M) {
	if os.Getenv("CAMWARDEN_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestCtrlC sends a real SIGINT (what Ctrl-C sends) to camwarden in the
// middle of a wide scan of the lab, once the sweep has found open ports:
// it must exit 130, print a partial report in which nothing passes, and
// save that partial scan in the history store (issue 10.1).
func TestCtrlC(t *testing.T) {
	l, err := lab.Start(t.Context(), lab.Options{Prefix: "127.78.97"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	dir := t.TempDir()
	db := filepath.Join(dir, "history.db")
	cmd := exec.CommandContext(t.Context(), os.Args[0], "scan", "127.78.97.0/24", "-p", "1-3000",
		"--format", "json", "--db", db, "--gateway", "off", "-v")
	cmd.Env = append(os.Environ(), "CAMWARDEN_TEST_MAIN=1", "XDG_DATA_HOME="+dir)
	var out bytes.Buffer
	cmd.Stdout = &out
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	sc := bufio.NewScanner(stderr)
	opens := 0
	for sc.Scan() {
		log.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), "msg=open ") {
			if opens++; opens == 8 {
				if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
					t.Fatal(err)
				}
				break
			}
		}
	}
	sent := time.Now()
	for sc.Scan() {
		log.WriteString(sc.Text() + "\n")
	}
	err = cmd.Wait()
	if took := time.Since(sent); took > 15*time.Second {
		t.Errorf("camwarden took %s to stop after SIGINT", took)
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130; stderr:\n%s", err, log.String())
	}
	var rep struct {
		Interrupted bool `json:"interrupted"`
		Devices     []struct {
			Address   string `json:"address"`
			Scorecard []struct {
				Verdict     string `json:"verdict"`
				Interrupted bool   `json:"interrupted"`
			} `json:"scorecard"`
		} `json:"devices"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("partial report: %v\n%s", err, out.String())
	}
	if !rep.Interrupted || len(rep.Devices) == 0 {
		t.Fatalf("report interrupted=%v with %d devices, want interrupted with devices", rep.Interrupted, len(rep.Devices))
	}
	for _, d := range rep.Devices {
		for i, c := range d.Scorecard {
			if c.Verdict == "pass" || (c.Verdict == "could-not-check" && !c.Interrupted) {
				t.Errorf("%s checkpoint %d: %+v in an interrupted scan", d.Address, i+1, c)
			}
		}
	}
	if !strings.Contains(log.String(), "saved as scan #1") {
		t.Errorf("the partial scan was not saved; stderr:\n%s", log.String())
	}
	if fi, err := os.Stat(db); err != nil || fi.Size() == 0 {
		t.Errorf("history store %s: %v", db, err)
	}
}
