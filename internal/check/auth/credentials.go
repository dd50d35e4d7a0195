package auth

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/camwarden/camwarden/internal/login"
)

// Limits on the --credentials file.
const (
	maxCredentialLines = 1000
	maxCredentialBytes = 1 << 20
)

// ParseCredentials reads `user:password` lines (blank lines and # comments
// skipped; the password may contain ':'). Each is named
// "administrator-supplied <user> (line N)" so findings never carry it.
func ParseCredentials(r io.Reader) ([]login.Credential, error) {
	sc := bufio.NewScanner(io.LimitReader(r, maxCredentialBytes))
	sc.Buffer(make([]byte, 4096), 4096)
	var out []login.Credential
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		user, pass, ok := strings.Cut(line, ":")
		if !ok || user == "" {
			return nil, fmt.Errorf("credentials line %d: want user:password", n)
		}
		if len(out) == maxCredentialLines {
			return nil, fmt.Errorf("credentials: more than %d lines", maxCredentialLines)
		}
		out = append(out, login.Credential{Username: user, Password: pass,
			Name: fmt.Sprintf("administrator-supplied %s (line %d)", user, n)})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read credentials: %w", err)
	}
	return out, nil
}
