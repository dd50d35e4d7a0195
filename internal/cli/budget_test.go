package cli

import (
	"bytes"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/report"
)

// TestRepeatedScansNeverLock is issue 10's acceptance test of the login
// budget: three scans of the lab in a row, well within the 30 minutes of
// the Hikvision/Dahua lockout (5 failed logins), lock no device and fail
// at most 3 times per account over all three, because the failures of
// each scan are kept in the store (also with --no-history) and counted by
// the next. The scans after the first say so in a sentence.
func TestRepeatedScansNeverLock(t *testing.T) {
	const prefix = "127.78.110"
	l, err := lab.Start(t.Context(), lab.Options{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	db := filepath.Join(t.TempDir(), "camwarden.db")
	var lastErr string
	for scan := 1; scan <= 3; scan++ {
		var out, errb bytes.Buffer
		code := Run(t.Context(), []string{"scan", prefix + ".0/24", "--db", db, "--no-history", "--gateway", "off",
			"--format", "json"}, strings.NewReader(""), &out, &errb)
		if code != ExitOK {
			t.Fatalf("scan %d: exit %d; stderr:\n%s", scan, code, errb.String())
		}
		if _, err := report.ReadJSON(&out); err != nil {
			t.Fatalf("scan %d: %v", scan, err)
		}
		if strings.Contains(errb.String(), "level=WARN") {
			t.Errorf("scan %d printed a raw log line instead of a sentence:\n%s", scan, errb.String())
		}
		lastErr = errb.String()
	}
	locked := 0
	for _, d := range l.Manifest().Devices {
		accounts, lockouts := l.AccountFailures(netip.MustParseAddr(d.Address))
		locked += lockouts
		if lockouts > 0 {
			t.Errorf("%s (%s, lockout %s) was locked %d times", d.Address, d.Name, d.Planted["lockout"], lockouts)
		}
		for acct, n := range accounts {
			if n > 3 {
				t.Errorf("%s (%s): account %q failed %d times over three scans, want at most 3", d.Address, d.Name, acct, n)
			}
		}
	}
	t.Logf("0 lockouts wanted, %d seen; third scan's stderr:\n%s", locked, lastErr)
	if !strings.Contains(lastErr, "earlier scans already used") {
		t.Errorf("the third scan did not say why passwords were not tried:\n%s", lastErr)
	}
}
