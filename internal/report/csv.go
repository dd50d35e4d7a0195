package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/termsafe"
)

// CSVHeader is the header row of WriteCSV in English: stable machine
// names that scripts can rely on.
func CSVHeader() []string {
	return []string{"address", "hostname", "type", "vendor", "model", "firmware",
		"checkpoint", "severity", "id", "port", "protocol", "title", "remediation", "evidence"}
}

// csvHeaderJA is the header row for Japanese spreadsheets, column for
// column with CSVHeader.
func csvHeaderJA(p *i18n.Printer) []string {
	return []string{p.T(i18n.Address), p.T(i18n.Hostname), p.T(i18n.Type), p.T(i18n.Vendor), p.T(i18n.Model),
		p.T(i18n.Firmware), p.T(i18n.Checkpoint), p.T(i18n.Severity), p.T(i18n.FindingID), p.T(i18n.Port),
		p.T(i18n.CSVProtocol), p.T(i18n.CSVTitle), p.T(i18n.Remediation), p.T(i18n.Evidence)}
}

// utf8BOM starts a Japanese CSV: without it, Excel on a Japanese
// Windows reads the file as Shift_JIS and garbles every Japanese cell.
const utf8BOM = "\ufeff"

// WriteCSV writes one RFC 4180 row per problem (coverage records are not
// problems). In English the header, type and severity are stable
// machine names and evidence keys are raw, for scripts; in Japanese
// (for Excel) the file starts with a UTF-8 BOM and headers, type,
// severity and evidence labels are Japanese. Cells that a spreadsheet
// would run as a formula (starting with = + - @, a tab or a line break)
// get a leading apostrophe, since device-reported names end up in them.
func WriteCSV(w io.Writer, s *Scan, lang i18n.Lang) error {
	p := i18n.New(lang)
	ja := p.Lang() == i18n.JA
	header := CSVHeader()
	if ja {
		header = csvHeaderJA(p)
		if _, err := io.WriteString(w, utf8BOM); err != nil {
			return fmt.Errorf("write csv report: %w", err)
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write csv report: %w", err)
	}
	devs := map[string]Device{}
	for _, d := range s.Devices {
		devs[d.Address.String()] = d
	}
	for _, f := range s.Problems() {
		d := devs[f.Address.String()]
		fv := findingBase(p, f)
		keys := make([]string, 0, len(f.Evidence))
		for k := range f.Evidence {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		ev := make([]string, 0, len(keys))
		for _, k := range keys {
			label := k
			if ja {
				label = p.EvidenceLabel(k)
			}
			ev = append(ev, label+"="+f.Evidence[k])
		}
		port := ""
		if f.Port != 0 {
			port = strconv.Itoa(int(f.Port))
		}
		typ, sev := d.Type, f.Severity.String()
		if ja {
			typ, sev = typeCell(d.Type, typeName(p, d.Type)), sevName(p, f.Severity)
		}
		row := []string{f.Address.String(), d.Hostname, typ, d.Vendor, d.Model, d.Firmware,
			strconv.Itoa(int(f.Checkpoint)), sev, f.ID, port, f.Protocol,
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
