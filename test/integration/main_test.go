//go:build integration

package integration

import (
	"fmt"
	"os"
	"testing"
)

// TestMain points the default store ($XDG_DATA_HOME/camwarden) at a
// directory of this test run: scans keep their failed logins there even
// with --no-history, and tests must neither read nor fill the user's.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "camwarden-integration-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("XDG_DATA_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
