package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestSiteSubcommandHelp: "-h" after a site subcommand shows its flags
// and exits 0, as every other command does ("site list|rm|audit -h" used
// to exit 2).
func TestSiteSubcommandHelp(t *testing.T) {
	for _, sub := range []string{"add", "list", "rm", "audit"} {
		t.Run(sub, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Run(t.Context(), []string{"site", sub, "-h"}, strings.NewReader(""), &out, &errb)
			if code != ExitOK || !strings.Contains(errb.String(), "-postgres") {
				t.Errorf("exit %d, want 0 and the flags; stderr:\n%s", code, errb.String())
			}
		})
	}
}
