package sqlstore

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/store"
)

func TestParseRef(t *testing.T) {
	tests := []struct {
		ref  string
		kind Ref
		arg  string
	}{
		{"127.77.0.2", RefAddress, "127.77.0.2"},
		{"::ffff:127.77.0.2", RefAddress, "::ffff:127.77.0.2"},
		{"serial:DS-2CD2532F-IWS20140721CCCH400000001", RefKey, "serial:DS-2CD2532F-IWS20140721CCCH400000001"},
		{"addr:127.77.0.22|mikrotik|rbd52g-5hacd2hnd", RefKey, "addr:127.77.0.22|mikrotik|rbd52g-5hacd2hnd"},
		{"mac:3c:ef:8c:00:00:05", RefKey, "mac:3c:ef:8c:00:00:05"},
		{"3C-EF-8C-00-00-05", RefMAC, "3c:ef:8c:00:00:05"},
		{"4g0219paz99999", RefSerial, "4G0219PAZ99999"},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			kind, arg := ParseRef(tc.ref)
			if kind != tc.kind || arg != tc.arg {
				t.Errorf("ParseRef = %d %q, want %d %q", kind, arg, tc.kind, tc.arg)
			}
		})
	}
}

func TestScanFilter(t *testing.T) {
	since := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	dollar := func(n int) string { return "$" + strconv.Itoa(n) }
	tests := []struct {
		name   string
		filter store.ScanFilter
		want   string
		args   []any
	}{
		{"zero", store.ScanFilter{}, ` ORDER BY started_ns DESC, id DESC`, nil},
		{"limit", store.ScanFilter{Limit: 2}, ` ORDER BY started_ns DESC, id DESC LIMIT $1`, []any{2}},
		{"all", store.ScanFilter{Scope: "127.77.0.0/24", Since: since, Limit: 3},
			` AND scope = $1 AND started_ns >= $2 ORDER BY started_ns DESC, id DESC LIMIT $3`,
			[]any{"127.77.0.0/24", since.UnixNano(), 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, args := ScanFilter(tc.filter, dollar)
			if got != tc.want || !slices.Equal(args, tc.args) {
				t.Errorf("ScanFilter = %q %v, want %q %v", got, args, tc.want, tc.args)
			}
		})
	}
}
