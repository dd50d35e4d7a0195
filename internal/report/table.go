package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
)

// TableOptions tune the terminal table.
type TableOptions struct {
	Color bool // ANSI colours (only when writing to a terminal)
}

// WriteTable writes one line per device, then the findings per device.
func WriteTable(w io.Writer, s *Scan, opt TableOptions) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ADDRESS\tTYPE\tVENDOR\tMODEL\tFIRMWARE\tSERVICES\tFINDINGS")
	for _, d := range s.Devices {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			d.Address, dash(d.Type), dash(d.Vendor), dash(d.Model), dash(d.Firmware),
			ServiceList(d.Services), findingSummary(s.FindingsFor(d.Address), opt.Color))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write table: %w", err)
	}
	for _, d := range s.Devices {
		fs := s.FindingsFor(d.Address)
		if len(fs) == 0 && d.Status == "" {
			continue
		}
		fmt.Fprintf(w, "\n%s  %s %s\n", d.Address, d.Vendor, d.Model)
		if d.Status != "" {
			fmt.Fprintf(w, "  ! %s\n", d.Status)
		}
		for _, f := range fs {
			where := ""
			if f.Port != 0 {
				where = fmt.Sprintf(" (%d/%s)", f.Port, f.Protocol)
			}
			pad := strings.Repeat(" ", max(0, 9-len(f.Severity.String())))
			fmt.Fprintf(w, "  %s%s%-22s %s%s\n", sevLabel(f.Severity, opt.Color), pad, f.ID, f.Title.EN, where)
		}
	}
	fmt.Fprintf(w, "\n%d devices, %d findings; scope %s; %s\n",
		len(s.Devices), len(s.Findings), s.Scope, s.Finished.Sub(s.Started).Round(1e7))
	if s.Interrupted {
		fmt.Fprintln(w, "scan interrupted: results are partial")
	}
	return nil
}

// ServiceList renders services compactly: "80/http 554/rtsp 161/udp/snmp".
func ServiceList(svcs []probe.Service) string {
	parts := make([]string, 0, len(svcs))
	for _, sv := range svcs {
		p := strconv.Itoa(int(sv.Port))
		if sv.Transport == "udp" {
			p += "/udp"
		}
		parts = append(parts, p+"/"+sv.Protocol)
	}
	return strings.Join(parts, " ")
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func findingSummary(fs []finding.Finding, color bool) string {
	if len(fs) == 0 {
		return "-"
	}
	worst := fs[0].Severity
	for _, f := range fs {
		worst = max(worst, f.Severity)
	}
	return fmt.Sprintf("%d (worst %s)", len(fs), sevLabel(worst, color))
}

var sevColors = map[finding.Severity]string{
	finding.SevCritical: "\x1b[1;31m",
	finding.SevHigh:     "\x1b[31m",
	finding.SevMedium:   "\x1b[33m",
	finding.SevLow:      "\x1b[36m",
	finding.SevInfo:     "\x1b[2m",
}

func sevLabel(s finding.Severity, color bool) string {
	if !color {
		return s.String()
	}
	return sevColors[s] + s.String() + "\x1b[0m"
}
