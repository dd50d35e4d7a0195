package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
	"github.com/camwarden/camwarden/internal/store/sqlite"
	"github.com/camwarden/camwarden/internal/termsafe"
)

// runHistory shows what the store remembers: the stored scans, one
// device's timeline, or (--since-last) what changed between the last two
// scans.
//
//	camwarden history [--db PATH] [--lang en|ja] [--limit N] [--since-last] [ADDRESS|SERIAL|MAC|KEY]
func runHistory(ctx context.Context, args []string, stdio IO) (int, error) {
	fs := newFlagSet("history", stdio.Err)
	db := fs.String("db", "", "`PATH` of the store (default: $XDG_DATA_HOME/camwarden/camwarden.db)")
	lang := fs.String("lang", "", "language: en or ja (default: from LANG)")
	limit := fs.Int("limit", 20, "list at most `N` scans (0: all)")
	sinceLast := fs.Bool("since-last", false, "show what changed between the last two scans")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK, nil
		}
		return ExitUsage, err
	}
	if len(pos) > 1 || (*sinceLast && len(pos) == 1) {
		return ExitUsage, usagef("want at most one device (address, serial, MAC or key), and none with --since-last")
	}
	l, err := i18n.Choose(*lang, os.Getenv)
	if err != nil {
		return ExitUsage, usagef("--lang: %v", err)
	}
	p := i18n.New(l)
	path, err := storePath(*db)
	if err != nil {
		return ExitUsage, usageError{err}
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintln(stdio.Out, p.T(i18n.HistoryNoScans))
		return ExitOK, nil
	}
	st, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		return ExitError, err
	}
	defer st.Close()
	// Stored text came from devices: values are made one-line below, and
	// the whole output goes through the terminal sanitiser.
	out := termsafe.NewWriter(stdio.Out)
	switch {
	case *sinceLast:
		err = showSinceLast(ctx, out, p, st)
	case len(pos) == 1:
		err = showDevice(ctx, out, p, st, pos[0])
	default:
		err = showScans(ctx, out, p, st, path, *limit)
	}
	if ferr := out.Flush(); err == nil {
		err = ferr
	}
	if errors.Is(err, store.ErrNotFound) {
		return ExitUsage, usageError{err}
	}
	if err != nil {
		return ExitError, err
	}
	return ExitOK, nil
}

// storePath returns path, or the default store path when it is empty.
func storePath(path string) (string, error) {
	if path != "" {
		return path, nil
	}
	return sqlite.DefaultPath(os.Getenv)
}

// saveScan stores rep in the store at path ("" for the default path), for
// scan and demo's --db flag.
func saveScan(ctx context.Context, path string, rep *report.Scan) (store.ScanID, error) {
	path, err := storePath(path)
	if err != nil {
		return 0, err
	}
	st, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		return 0, err
	}
	id, err := st.SaveScan(ctx, rep)
	if cerr := st.Close(); err == nil && cerr != nil {
		return 0, cerr
	}
	return id, err
}

// openLoginLog opens the history store for the login budget: failed
// logins are kept there across scans, also with --no-history (which only
// skips saving the scan), so that two scans in a row never lock an
// account. Nothing is scanned when it cannot be opened.
func openLoginLog(ctx context.Context, path string) (*sqlite.DB, error) {
	path, err := storePath(path)
	if err != nil {
		return nil, usageError{fmt.Errorf("%w (camwarden keeps failed logins there so that repeated scans never lock an account; --no-login scans without passwords)", err)}
	}
	st, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		return nil, fmt.Errorf("%w (camwarden keeps failed logins there so that repeated scans never lock an account; use --db PATH, or --no-login to scan without passwords)", err)
	}
	return st, nil
}

// stamp formats a scan time in the zone the scan recorded.
func stamp(t time.Time) string { return t.Format("2006-01-02 15:04 MST") }

func showScans(ctx context.Context, w io.Writer, p *i18n.Printer, st store.Store, path string, limit int) error {
	scans, err := st.Scans(ctx, store.ScanFilter{Limit: max(limit, 0)})
	if err != nil {
		return err
	}
	if len(scans) == 0 {
		_, err := fmt.Fprintln(w, p.T(i18n.HistoryNoScans))
		return err
	}
	fmt.Fprintln(w, p.F(i18n.HistoryScans, path))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.T(i18n.HistoryID), p.T(i18n.HistoryDate), p.T(i18n.Scope),
		p.T(i18n.DevicesCount), p.T(i18n.SevCritical), p.T(i18n.SevHigh), p.T(i18n.SevMedium), p.T(i18n.SevLow), p.T(i18n.SevInfo))
	for _, m := range scans {
		scope := termsafe.Line(m.Scope)
		if m.Interrupted {
			scope += " " + p.T(i18n.HistoryPartial)
		}
		if m.Pruned {
			scope += " " + p.T(i18n.HistoryPruned)
		}
		b := m.BySeverity
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\n", m.ID, stamp(m.Started), scope, m.Devices,
			b[finding.SevCritical], b[finding.SevHigh], b[finding.SevMedium], b[finding.SevLow], b[finding.SevInfo])
	}
	return tw.Flush()
}

// showDevice prints the timeline of every device ref names (an address
// may have held several).
func showDevice(ctx context.Context, w io.Writer, p *i18n.Printer, st store.Store, ref string) error {
	states, err := st.DeviceHistory(ctx, ref)
	if err != nil {
		return err
	}
	var keys []string
	byKey := map[string][]store.DeviceState{}
	for _, s := range states {
		if _, ok := byKey[s.Key]; !ok {
			keys = append(keys, s.Key)
		}
		byKey[s.Key] = append(byKey[s.Key], s)
	}
	for i, k := range keys {
		if i > 0 {
			fmt.Fprintln(w)
		}
		writeTimeline(w, p, k, byKey[k])
	}
	return nil
}

func writeTimeline(w io.Writer, p *i18n.Printer, key string, states []store.DeviceState) {
	last := states[len(states)-1].Device
	fmt.Fprintln(w, p.F(i18n.HistoryDevice, termsafe.Line(key), termsafe.Line(strings.TrimSpace(last.Vendor+" "+last.Model))))
	var fws []string
	for _, s := range states {
		if fw := termsafe.Line(s.Device.Firmware); fw != "" && !slices.Contains(fws, fw) {
			fws = append(fws, fw)
		}
	}
	if len(fws) == 0 {
		fws = []string{p.T(i18n.Unknown)}
	}
	fmt.Fprintln(w, p.F(i18n.HistoryFirmwares, strings.Join(fws, ", ")))
	for i, s := range states {
		fmt.Fprintf(w, "%s  %s  %s  %s\n", stamp(s.Started), p.F(i18n.HistorySeenAt, s.Scan, s.Address),
			scorecardLine(p, s.Device.Scorecard), p.F(i18n.HistoryFindingsN, len(finding.WithoutCoverage(s.Findings))))
		var lines []string
		if i == 0 {
			if len(s.Findings) > 0 {
				lines = append(lines, p.F(i18n.HistoryOpened, findingList(p, s.Findings)))
			}
		} else if dc := store.DiffStates(states[i-1], s); dc != nil {
			lines = changeLines(p, *dc)
		}
		for _, l := range lines {
			fmt.Fprintln(w, "    "+l)
		}
	}
}

// scorecardLine renders a scorecard as "1 AUTH ✗  2 FW ✓  3 SVC ?".
func scorecardLine(p *i18n.Printer, card []report.CheckResult) string {
	short := map[finding.Checkpoint]i18n.Key{finding.CheckAuth: i18n.Check1Short,
		finding.CheckFirmware: i18n.Check2Short, finding.CheckExposure: i18n.Check3Short}
	parts := make([]string, 0, len(card))
	for _, c := range card {
		parts = append(parts, fmt.Sprintf("%d %s %s", c.Checkpoint, p.T(short[c.Checkpoint]), c.Verdict.Symbol()))
	}
	return strings.Join(parts, "  ")
}

// findingList renders findings as "AUTH-DEFAULT-HTTP (critical, 80/http)".
func findingList(p *i18n.Printer, fs []finding.Finding) string {
	sev := map[finding.Severity]i18n.Key{finding.SevCritical: i18n.SevCritical, finding.SevHigh: i18n.SevHigh,
		finding.SevMedium: i18n.SevMedium, finding.SevLow: i18n.SevLow, finding.SevInfo: i18n.SevInfo}
	parts := make([]string, 0, len(fs))
	for _, f := range fs {
		s := termsafe.Line(f.ID) + " (" + p.T(sev[f.Severity])
		if f.Port != 0 {
			s += fmt.Sprintf(", %d/%s", f.Port, termsafe.Line(f.Protocol))
		}
		parts = append(parts, s+")")
	}
	return strings.Join(parts, ", ")
}

// changeLines renders one device's change, one fact a line.
func changeLines(p *i18n.Printer, dc store.DeviceChange) []string {
	var out []string
	if dc.PrevAddress.IsValid() {
		out = append(out, p.F(i18n.HistoryMoved, dc.PrevAddress))
	}
	if dc.FirmwareTo != "" {
		out = append(out, p.F(i18n.HistoryFWChanged, termsafe.Line(dc.FirmwareFrom), termsafe.Line(dc.FirmwareTo)))
	}
	for _, l := range []struct {
		key i18n.Key
		fs  []finding.Finding
	}{{i18n.HistoryOpened, dc.Opened}, {i18n.HistoryFixed, dc.Fixed}, {i18n.HistoryUnchecked, dc.Unchecked}} {
		if len(l.fs) > 0 {
			out = append(out, p.F(l.key, findingList(p, l.fs)))
		}
	}
	checks := map[finding.Checkpoint]i18n.Key{finding.CheckAuth: i18n.Check1,
		finding.CheckFirmware: i18n.Check2, finding.CheckExposure: i18n.Check3}
	for _, v := range dc.Scorecard {
		out = append(out, p.F(i18n.HistoryVerdict, p.T(checks[v.Checkpoint]), v.From.Name(p), v.To.Name(p)))
	}
	return out
}

// lastTwo loads the latest scan and the one to compare it with: the
// previous scan of the same scope when there is one, else the previous
// scan. prev is nil when fewer than two scans are stored.
func lastTwo(ctx context.Context, st store.Store) (prev, cur *report.Scan, err error) {
	latest, err := st.Scans(ctx, store.ScanFilter{Limit: 2})
	if err != nil || len(latest) < 2 {
		return nil, nil, err
	}
	before := latest[1]
	same, err := st.Scans(ctx, store.ScanFilter{Scope: latest[0].Scope, Limit: 2})
	if err != nil {
		return nil, nil, err
	}
	if len(same) == 2 {
		before = same[1]
	}
	if cur, err = st.Scan(ctx, latest[0].ID); err != nil {
		return nil, nil, err
	}
	if prev, err = st.Scan(ctx, before.ID); err != nil {
		return nil, nil, err
	}
	return prev, cur, nil
}

func showSinceLast(ctx context.Context, w io.Writer, p *i18n.Printer, st store.Store) error {
	prev, cur, err := lastTwo(ctx, st)
	if err != nil {
		return err
	}
	if prev == nil {
		_, err := fmt.Fprintln(w, p.T(i18n.SinceNeedTwo))
		return err
	}
	fmt.Fprintln(w, p.F(i18n.SinceHeading, stamp(prev.Started), stamp(cur.Started)))
	writeChanges(w, p, store.Diff(prev, cur), prev.Scope, cur.Scope)
	return nil
}

// writeChanges renders a Diff: the "since last scan" section (scan and
// demo can print it after saving with --db).
func writeChanges(w io.Writer, p *i18n.Printer, c store.Changes, prevScope, curScope string) {
	if c.ScopeChanged {
		fmt.Fprintln(w, p.F(i18n.SinceScopeChanged, termsafe.Line(prevScope), termsafe.Line(curScope)))
	}
	if c.Interrupted {
		fmt.Fprintln(w, p.T(i18n.SinceInterrupted))
	}
	if c.Empty() {
		fmt.Fprintln(w, p.T(i18n.SinceNothing))
		return
	}
	for _, sec := range []struct {
		head i18n.Key
		list []store.DeviceChange
	}{{i18n.SinceNew, c.New}, {i18n.SinceGone, c.Gone}, {i18n.SinceChanged, c.Changed}} {
		if len(sec.list) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s (%d)\n", p.T(sec.head), len(sec.list))
		for _, dc := range sec.list {
			name := termsafe.Line(strings.TrimSpace(dc.Vendor + " " + dc.Model))
			if name == "" {
				name = p.T(i18n.Unknown)
			}
			fmt.Fprintf(w, "  %s  %s  [%s]\n", dc.Address, name, termsafe.Line(dc.Key))
			for _, l := range changeLines(p, dc) {
				fmt.Fprintln(w, "    "+l)
			}
		}
	}
	if c.Unchanged > 0 {
		fmt.Fprintln(w, "\n"+p.F(i18n.SinceUnchanged, c.Unchanged))
	}
}
