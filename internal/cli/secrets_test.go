package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/report"
)

// TestEvidenceAndSecretsOnDisk covers issue 10 item 10 on a scan of three
// lab devices (a factory default, an administrator's strong password, an
// open RTSP stream):
//   - symbolic links planted in the output folder under every name an
//     evidence file could take are not followed: their target is unchanged
//     and the stream description lands in a fresh subfolder, mode 0600;
//   - the report written with --show-secrets is 0600 (also over an
//     existing 0644 file);
//   - the password given with --credentials is never printed, even with
//     --show-secrets, and AUTH-ADMIN-OK carries the verdict only.
func TestEvidenceAndSecretsOnDisk(t *testing.T) {
	const prefix = "127.78.112"
	const adminPassword = "Vx7!mRq2pLw9" // hikvision-ipc-locked-down (.3)
	l, err := lab.Start(t.Context(), lab.Options{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim.txt")
	if err := os.WriteFile(victim, []byte("keep me\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for host := 2; host <= 30; host++ {
		for _, port := range []string{"554", "8554", "80"} {
			for _, ext := range []string{"rtsp.sdp", "http.jpg"} {
				name := strings.ReplaceAll(prefix, ".", "-") + "-" + strconv.Itoa(host) + "-" + port + "-" + ext
				if err := os.Symlink(victim, filepath.Join(dir, name)); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	out := filepath.Join(dir, "scan.json")
	if err := os.WriteFile(out, nil, 0o644); err != nil { // an earlier, world-readable report
		t.Fatal(err)
	}
	credFile := filepath.Join(t.TempDir(), "mine.txt")
	if err := os.WriteFile(credFile, []byte("admin:"+adminPassword+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := Run(t.Context(), []string{"scan", prefix + ".2", prefix + ".3", prefix + ".16", "-p", "80,554", "--udp", "",
		"--gateway", "off", "--no-history", "--show-secrets", "--credentials", credFile, "--format", "json", "-o", out},
		strings.NewReader(""), &stdout, &stderr)
	if code != ExitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr.String())
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep me\n" {
		t.Errorf("a planted symbolic link was followed: victim now %q", b)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("report with --show-secrets has mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	for _, where := range []string{string(raw), stdout.String(), stderr.String()} {
		if strings.Contains(where, adminPassword) {
			t.Errorf("the --credentials password was printed:\n%s", where)
		}
	}
	rep, err := report.ReadJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var admin, evidence, secrets int
	for _, f := range rep.Findings {
		switch {
		case f.ID == "AUTH-ADMIN-OK":
			admin++
			if g := f.Evidence["grade"]; g != "strong" {
				t.Errorf("AUTH-ADMIN-OK grade %q: want the verdict only (%q for this password)", g, "strong")
			}
		case f.Evidence["artifact"] != "":
			evidence++
			p := f.Evidence["artifact"]
			fi, err := os.Lstat(p)
			if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 {
				t.Errorf("evidence %s: %v (mode %v), want a regular 0600 file", p, err, fi.Mode())
			}
			if filepath.Dir(p) == filepath.Clean(dir) {
				t.Errorf("evidence %s written straight into the output folder, not a fresh subfolder", p)
			}
		}
		if f.Evidence["password"] != "" {
			secrets++
		}
	}
	if admin == 0 || evidence == 0 || secrets == 0 {
		t.Errorf("want AUTH-ADMIN-OK, saved evidence and a shown default password; got %d, %d, %d", admin, evidence, secrets)
	}
}
