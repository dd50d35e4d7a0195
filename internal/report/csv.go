package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/termsafe"
)

// CSVHeader is the header row of WriteCSV. The column names are stable
// machine names in every language, so scripts can rely on them; only the
// title and remediation cells follow the report language.
func CSVHeader() []string {
	return []string{"address", "hostname", "type", "vendor", "model", "firmware",
		"checkpoint", "severity", "id", "port", "protocol", "title", "remediation", "evidence"}
}

// WriteCSV writes one RFC 4180 row per finding. Cells that a spreadsheet
// would run as a formula (starting with = + - @ or a tab) get a leading
// apostrophe, since device-reported names end up in them.
func WriteCSV(w io.Writer, s *Scan, lang i18n.Lang) error {
	p := i18n.New(lang)
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader()); err != nil {
		return fmt.Errorf("write csv report: %w", err)
	}
	devs := map[string]Device{}
	for _, d := range s.Devices {
		devs[d.Address.String()] = d
	}
	for _, f := range s.Problems() {
		d := devs[f.Address.String()]
		fv := findingBase(p, f)
		ev := make([]string, 0, len(fv.Evidence))
		for _, kv := range fv.Evidence {
			ev = append(ev, kv[0]+"="+kv[1])
		}
		port := ""
		if f.Port != 0 {
			port = strconv.Itoa(int(f.Port))
		}
		row := []string{f.Address.String(), d.Hostname, d.Type, d.Vendor, d.Model, d.Firmware,
			strconv.Itoa(int(f.Checkpoint)), f.Severity.String(), f.ID, port, f.Protocol,
			fv.Title, strings.Join(fv.Steps, "\n"), strings.Join(ev, "; ")}
		for i := range row {
			row[i] = defuse(termsafe.Text(row[i]))
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write csv report: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv report: %w", err)
	}
	return nil
}

// defuse keeps spreadsheets from evaluating a cell as a formula.
func defuse(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r\n", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}
