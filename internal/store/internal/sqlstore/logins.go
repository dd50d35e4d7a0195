package sqlstore

import (
	"fmt"
	"net/netip"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/camwarden/camwarden/internal/store"
)

// LoginFailuresQuery returns the SELECT of store.LoginLog.LoginFailures
// (the table is named table) and its arguments; placeholder(n) writes the
// n-th placeholder (1-based). A row matches by serial, by MAC, or by
// address when no known serial or MAC of the row and the key differ.
func LoginFailuresQuery(table string, key store.LoginKey, since time.Time, placeholder func(n int) string) (string, []any) {
	key = store.NormalizeLoginKey(key)
	p := func(n int) string { return placeholder(n) }
	q := `SELECT id, address, serial, mac, account, domain, at_ns, signal FROM ` + table + `
		WHERE at_ns > ` + p(1) + ` AND (
			(` + p(2) + ` <> '' AND serial = ` + p(2) + `) OR
			(` + p(3) + ` <> '' AND mac = ` + p(3) + `) OR
			(address = ` + p(4) + `
				AND (serial = '' OR ` + p(2) + ` = '' OR serial = ` + p(2) + `)
				AND (mac = '' OR ` + p(3) + ` = '' OR mac = ` + p(3) + `)))
		ORDER BY at_ns, id`
	return q, []any{since.UnixNano(), key.Serial, key.MAC, addrText(key.Address)}
}

// LoginFailureArgs are the values of an INSERT of (address, serial, mac,
// account, domain, at_ns, signal) for f.
func LoginFailureArgs(f store.LoginFailure) []any {
	k := store.NormalizeLoginKey(f.Device)
	return []any{addrText(k.Address), k.Serial, k.MAC, f.Account, capText(f.Domain, maxDomain), f.At.UnixNano(), capText(f.Signal, store.MaxSignal)}
}

// LoginFailures reads the rows of a LoginFailuresQuery.
func LoginFailures(rows Rows) ([]store.LoginFailure, error) {
	var out []store.LoginFailure
	for rows.Next() {
		var f store.LoginFailure
		var addr string
		var at int64
		if err := rows.Scan(&f.ID, &addr, &f.Device.Serial, &f.Device.MAC, &f.Account, &f.Domain, &at, &f.Signal); err != nil {
			return nil, fmt.Errorf("read login failure: %w", err)
		}
		if a, err := netip.ParseAddr(addr); err == nil {
			f.Device.Address = a
		}
		f.At = time.Unix(0, at)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read login failures: %w", err)
	}
	return out, nil
}

// maxDomain caps the account domain kept (a catalogue name, not device
// input, but bounded all the same).
const maxDomain = 64

func addrText(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

// capText cuts s to at most n bytes of valid UTF-8.
func capText(s string, n int) string {
	s = strings.ToValidUTF8(s, "?")
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
