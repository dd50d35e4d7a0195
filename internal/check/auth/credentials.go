package auth

import (
	"bufio"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/camwarden/camwarden/internal/login"
)

// Limits on the --credentials file.
const (
	maxCredentialLines = 1000
	maxCredentialBytes = 1 << 20
)

// AdminCredential is one line of the administrator's --credentials file:
// a credential and the device it is for (Addr invalid: every device).
type AdminCredential struct {
	login.Credential
	// Addr is the one device the credential is for; the zero Addr means
	// every device of the scan.
	Addr netip.Addr
}

// For reports whether the credential is meant for the device at addr.
func (a AdminCredential) For(addr netip.Addr) bool {
	return !a.Addr.IsValid() || a.Addr == addr.Unmap()
}

// ParseCredentials reads the --credentials file. Each line is one of
//
//	user:password            tried on every device
//	ADDRESS user:password    tried first, and only, on the device at ADDRESS
//
// ADDRESS is an IPv4 or IPv6 address (IPv6 optionally in brackets) followed
// by spaces or tabs; a line is per-device exactly when its first
// space-separated word is an IP address. The user name ends at the first
// ':' (so it holds no ':') and the password is the rest of the line as
// written: it may contain ':' and spaces, only a trailing CR is removed.
// Blank lines and lines starting with '#' are skipped. Each credential is
// named "administrator-supplied <user> (line N)" so that findings never
// carry the password.
func ParseCredentials(r io.Reader) ([]AdminCredential, error) {
	sc := bufio.NewScanner(io.LimitReader(r, maxCredentialBytes))
	sc.Buffer(make([]byte, 4096), 4096)
	var out []AdminCredential
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		addr, rest, err := splitAddress(line)
		if err != nil {
			return nil, fmt.Errorf("credentials line %d: %w", n, err)
		}
		user, pass, ok := strings.Cut(rest, ":")
		if !ok || user == "" {
			return nil, fmt.Errorf("credentials line %d: want user:password or ADDRESS user:password", n)
		}
		if len(out) == maxCredentialLines {
			return nil, fmt.Errorf("credentials: more than %d lines", maxCredentialLines)
		}
		out = append(out, AdminCredential{Addr: addr, Credential: login.Credential{Username: user, Password: pass,
			Name: fmt.Sprintf("administrator-supplied %s (line %d)", user, n)}})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read credentials: %w", err)
	}
	return out, nil
}

// splitAddress splits "ADDRESS user:password" when the line's first
// space-separated word is an IP address, and returns the line whole
// (with the zero Addr) otherwise. An address with a port is an error: a
// credential is for a device, not for one of its ports.
func splitAddress(line string) (netip.Addr, string, error) {
	trimmed := strings.TrimLeft(line, " \t")
	i := strings.IndexAny(trimmed, " \t")
	if i < 0 {
		return netip.Addr{}, line, nil
	}
	word, rest := trimmed[:i], trimmed[i+1:]
	if _, err := netip.ParseAddrPort(word); err == nil {
		return netip.Addr{}, "", fmt.Errorf("%q: give the device's address without a port", word)
	}
	a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(word, "["), "]"))
	if err != nil {
		return netip.Addr{}, line, nil
	}
	return a.Unmap(), strings.TrimLeft(rest, " \t"), nil
}
