// Package report turns a scan into what people and tools read: the
// versioned JSON document (schema camwarden.scan/v1) and the terminal table.
// The JSON is the source of truth: every other format is rendered from it,
// so a saved scan can be re-rendered without rescanning.
package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"time"

	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
)

// SchemaV1 names the JSON schema this package writes.
const SchemaV1 = "camwarden.scan/v1"

// Scan is the camwarden.scan/v1 document. Fields are only ever added
// within v1; a removal or change of meaning makes a v2.
type Scan struct {
	Schema      string    `json:"schema"`
	Tool        Tool      `json:"tool"`
	Scope       string    `json:"scope"`
	Started     time.Time `json:"started"`
	Finished    time.Time `json:"finished"`
	Interrupted bool      `json:"interrupted,omitempty"`
	// Checked lists the checkpoints whose checks ran; a checkpoint that
	// did not run is "could-not-check" on every scorecard.
	Checked  []finding.Checkpoint `json:"checked,omitempty"`
	Stats    Stats                `json:"stats"`
	Devices  []Device             `json:"devices"`
	Findings []finding.Finding    `json:"findings"`
}

// Tool identifies the program and data that produced a scan.
type Tool struct {
	Name        string `json:"name"`
	Version     string `json:"version"`
	CatalogDate string `json:"catalog_date,omitempty"`
}

// Stats summarises the work a scan did.
type Stats struct {
	Addresses uint64 `json:"addresses"`
	Attempts  uint64 `json:"connect_attempts"`
	OpenPorts uint64 `json:"open_ports"`
}

// Device is one host in the report: the identity fields a person reads
// first, then the evidence behind them.
type Device struct {
	Address   netip.Addr                  `json:"address"`
	Hostname  string                      `json:"hostname,omitempty"`
	Type      string                      `json:"type"`
	Vendor    string                      `json:"vendor"`
	Model     string                      `json:"model"`
	Firmware  string                      `json:"firmware"`
	BuildDate string                      `json:"build_date,omitempty"`
	Serial    string                      `json:"serial,omitempty"`
	MAC       string                      `json:"mac,omitempty"`
	Identity  map[string]device.Attribute `json:"identity,omitempty"`
	Services  []probe.Service             `json:"services"`
	Status    string                      `json:"status,omitempty"`
	// Scorecard grades the device on the three checkpoints; Normalize
	// derives it from the findings.
	Scorecard []CheckResult `json:"scorecard,omitempty"`
}

// FromDevice converts a fingerprinted device to its report form.
func FromDevice(d device.Device) Device {
	svcs := slices.Clone(d.Services)
	if svcs == nil {
		svcs = []probe.Service{}
	}
	return Device{
		Address:   d.Address,
		Hostname:  d.Hostname,
		Type:      string(d.Kind()),
		Vendor:    d.Vendor(),
		Model:     d.Model(),
		Firmware:  d.Firmware(),
		BuildDate: d.Get(probe.AttrBuildDate),
		Serial:    d.Get(probe.AttrSerial),
		MAC:       d.Get(probe.AttrMAC),
		Identity:  d.Identity,
		Services:  svcs,
		Status:    d.Status,
	}
}

// FindingsFor returns the findings about addr, in report order.
func (s *Scan) FindingsFor(addr netip.Addr) []finding.Finding {
	var out []finding.Finding
	for _, f := range s.Findings {
		if f.Address == addr {
			out = append(out, f)
		}
	}
	return out
}

// Problems returns the scan's findings without the coverage records
// (AUTH-COVERAGE): what a person reads as things found, in report order.
// Coverage records stay in Findings, the JSON's source of truth, and
// feed the scorecard's reasons.
func (s *Scan) Problems() []finding.Finding { return finding.WithoutCoverage(s.Findings) }

// ProblemsFor returns the problems (Problems) about addr, in report order.
func (s *Scan) ProblemsFor(addr netip.Addr) []finding.Finding {
	var out []finding.Finding
	for _, f := range s.Findings {
		if f.Address == addr && !finding.Coverage(f.ID) {
			out = append(out, f)
		}
	}
	return out
}

// Normalize merges findings that report one weakness twice
// (finding.Dedupe), sorts devices by address and findings by address,
// then severity (worst first), then ID, so output is stable across runs,
// and derives every device's scorecard from the findings.
func (s *Scan) Normalize() {
	if s.Devices == nil {
		s.Devices = []Device{}
	}
	if s.Findings == nil {
		s.Findings = []finding.Finding{}
	}
	s.Findings = finding.Dedupe(s.Findings)
	slices.SortFunc(s.Devices, func(a, b Device) int { return a.Address.Compare(b.Address) })
	slices.SortStableFunc(s.Findings, func(a, b finding.Finding) int {
		if c := a.Address.Compare(b.Address); c != 0 {
			return c
		}
		if a.Severity != b.Severity {
			return int(b.Severity) - int(a.Severity)
		}
		if a.ID != b.ID {
			if a.ID < b.ID {
				return -1
			}
			return 1
		}
		return int(a.Port) - int(b.Port)
	})
	slices.Sort(s.Checked)
	s.Checked = slices.Compact(s.Checked)
	s.score()
}

// WriteJSON writes the scan as indented JSON.
func WriteJSON(w io.Writer, s *Scan) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}

// ErrSchema is returned when a document is not a camwarden.scan/v1 scan.
var ErrSchema = errors.New("not a " + SchemaV1 + " document")

// ReadJSON reads a saved scan, checking its schema.
func ReadJSON(r io.Reader) (*Scan, error) {
	var s Scan
	dec := json.NewDecoder(io.LimitReader(r, 512<<20))
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("read scan json: %w", err)
	}
	if s.Schema != SchemaV1 {
		return nil, fmt.Errorf("read scan json: schema %q: %w", s.Schema, ErrSchema)
	}
	s.Normalize()
	return &s, nil
}
