package sqlstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
)

// Rows is what both database/sql's and pgx's result sets offer.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// ScanFilter returns the conditions, order and limit that follow
// "WHERE <true>" in a Scans query for f, with their arguments;
// placeholder(n) writes the n-th placeholder (1-based).
func ScanFilter(f store.ScanFilter, placeholder func(n int) string) (string, []any) {
	var q strings.Builder
	var args []any
	if f.Scope != "" {
		args = append(args, f.Scope)
		q.WriteString(` AND scope = ` + placeholder(len(args)))
	}
	if !f.Since.IsZero() {
		args = append(args, f.Since.UnixNano())
		q.WriteString(` AND started_ns >= ` + placeholder(len(args)))
	}
	q.WriteString(` ORDER BY started_ns DESC, id DESC`)
	if f.Limit > 0 {
		args = append(args, f.Limit)
		q.WriteString(` LIMIT ` + placeholder(len(args)))
	}
	return q.String(), args
}

// ScanColumns are the scans columns ScanMetas reads, in order; the
// last is true when the retention policy cleared the document (its
// length is read without loading it).
const ScanColumns = `id, started, finished, scope, tool_version, interrupted, devices,
	sev_info, sev_low, sev_medium, sev_high, sev_critical, octet_length(doc) = 0`

// ScanMetas reads scans rows (ScanColumns).
func ScanMetas(rows Rows) ([]store.ScanMeta, error) {
	var out []store.ScanMeta
	for rows.Next() {
		var m store.ScanMeta
		var started, finished string
		var devices int32
		var b [len(m.BySeverity)]int32
		if err := rows.Scan(&m.ID, &started, &finished, &m.Scope, &m.ToolVersion, &m.Interrupted, &devices,
			&b[0], &b[1], &b[2], &b[3], &b[4], &m.Pruned); err != nil {
			return nil, err
		}
		m.Devices = int(devices)
		for i := range b {
			m.BySeverity[i] = int(b[i])
		}
		m.Started, m.Finished = parseTime(started), parseTime(finished)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// ReadScan decodes a stored scan document; an empty one is a scan the
// retention policy pruned (store.ErrPruned).
func ReadScan(doc []byte) (*report.Scan, error) {
	if len(doc) == 0 {
		return nil, store.ErrPruned
	}
	return report.ReadJSON(bytes.NewReader(doc))
}

// Ref is what a DeviceHistory ref names.
type Ref int

// The kinds of ref; each matches one column against the argument
// ParseRef returns.
const (
	RefSerial  Ref = iota // devices.serial
	RefAddress            // the devices ever observed at device_observations.address
	RefKey                // devices.key
	RefMAC                // devices.mac
)

// ParseRef classifies a (trimmed) DeviceHistory ref: an IP address; a
// "serial:", "mac:" or "addr:" key; a MAC address when it parses as one;
// else a serial number. It returns the kind and the value to match.
func ParseRef(ref string) (Ref, string) {
	switch addr, err := netip.ParseAddr(ref); {
	case err == nil:
		return RefAddress, addr.String()
	case strings.HasPrefix(ref, "serial:"), strings.HasPrefix(ref, "mac:"), strings.HasPrefix(ref, "addr:"):
		return RefKey, ref
	case store.NormalizeMAC(ref) != "":
		return RefMAC, store.NormalizeMAC(ref)
	}
	return RefSerial, store.NormalizeSerial(ref)
}

// DeviceStates reads history rows (scan_id, the scan's started and scope,
// devices.key, the observation's address and doc), oldest first. No rows
// is store.ErrNotFound.
func DeviceStates(rows Rows) ([]store.DeviceState, error) {
	var out []store.DeviceState
	for rows.Next() {
		var st store.DeviceState
		var started, addr string
		var doc []byte
		if err := rows.Scan(&st.Scan, &started, &st.Scope, &st.Key, &addr, &doc); err != nil {
			return nil, err
		}
		var od observationDoc
		if err := json.Unmarshal(doc, &od); err != nil {
			return nil, fmt.Errorf("observation in scan %d: %w", st.Scan, err)
		}
		st.Started, st.Device, st.Findings, st.Checked = parseTime(started), od.Device, od.Findings, od.Checked
		st.Pruned = od.Pruned
		st.Address, _ = netip.ParseAddr(addr)
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, store.ErrNotFound
	}
	return out, nil
}

// parseTime reads a time written by formatTime; a bad value is the zero
// time (the document itself stays authoritative).
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
