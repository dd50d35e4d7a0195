//go:build integration

package postgres

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/camwarden/camwarden/internal/report"
)

// The lab's serial numbers (internal/lab/devices.go).
const (
	serialHik   = "DS-2CD2532F-IWS20140721CCCH400000001"
	serialDahua = "4G0219PAZ00004"
)

// testURL is the PostgreSQL that scripts/peers/start-postgres.sh starts;
// CAMWARDEN_POSTGRES overrides it. A missing server fails the tests.
func testURL() string {
	if u := os.Getenv("CAMWARDEN_POSTGRES"); u != "" {
		return u
	}
	return "postgres://camwarden:camwarden@127.79.0.20:5432/camwarden"
}

// openTemp opens the store in a fresh schema of its own, dropped when the
// test ends, so that tests never see each other's rows.
func openTemp(t testing.TB) (*DB, string) {
	t.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "cwtest_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	db, err := Open(ctx, testURL(), Options{Schema: schema})
	if err != nil {
		t.Fatalf("%v (start it with scripts/peers/start-postgres.sh)", err)
	}
	t.Cleanup(func() {
		// t.Context is already done in Cleanup
		ctx, cancel := context.WithTimeout(context.WithoutCancel(t.Context()), 20*time.Second)
		defer cancel()
		if conn, err := pgx.Connect(ctx, testURL()); err == nil {
			_, _ = conn.Exec(ctx, `DROP SCHEMA `+pgx.Identifier{schema}.Sanitize()+` CASCADE`)
			_ = conn.Close(ctx)
		}
		_ = db.Close()
	})
	return db, schema
}

// labScan reads the store's lab scan fixture.
func labScan(t testing.TB) *report.Scan {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "camwarden-lab-scan.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := report.ReadJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func jsonOf(t testing.TB, s *report.Scan) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := report.WriteJSON(&b, s); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func device(t testing.TB, s *report.Scan, addr string) *report.Device {
	t.Helper()
	a := netip.MustParseAddr(addr)
	for i := range s.Devices {
		if s.Devices[i].Address == a {
			return &s.Devices[i]
		}
	}
	t.Fatalf("no device %s", addr)
	return nil
}

// bigScan is the lab scan's devices repeated n times over 127.78.0.0/16,
// each copy with its own serial and findings.
func bigScan(t testing.TB, n int) *report.Scan {
	base := labScan(t)
	s := *base
	s.Devices, s.Findings = nil, nil
	for len(s.Devices) < n {
		for _, d := range base.Devices {
			if len(s.Devices) == n {
				break
			}
			k := len(s.Devices)
			addr := netip.AddrFrom4([4]byte{127, 78, byte(k >> 8), byte(k)})
			for _, f := range base.FindingsFor(d.Address) {
				f.Address = addr
				s.Findings = append(s.Findings, f)
			}
			d.Address = addr
			if d.Serial == "" && d.Vendor != "" {
				d.Serial = fmt.Sprintf("%s-%06d", d.Model, k)
			}
			s.Devices = append(s.Devices, d)
		}
	}
	s.Normalize()
	return &s
}
