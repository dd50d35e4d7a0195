// Package alert turns what changed between two audits of a site into
// alerts (new device, device gone, new finding at or above a severity,
// finding fixed, firmware changed, firmware outdated after a catalogue
// update, support ending soon) and sends them: a webhook (camwarden JSON
// or a Slack/Teams-compatible body) or e-mail over SMTP with STARTTLS
// and authentication, in Japanese or English.
package alert

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
)

// Kind is what an alert is about.
type Kind string

// The kinds of alert.
const (
	DeviceNew        Kind = "device.new"
	DeviceGone       Kind = "device.gone"
	FindingNew       Kind = "finding.new"
	FindingFixed     Kind = "finding.fixed"
	FirmwareChanged  Kind = "firmware.changed"
	FirmwareOutdated Kind = "firmware.outdated" // outdated or end-of-support with the same firmware: the catalogue changed
	SupportEnding    Kind = "support.ending"
)

// Alert is one change worth telling someone about. Every text field
// that came from a device is hostile: channels escape or quote it.
type Alert struct {
	Kind      Kind             `json:"kind"`
	Severity  finding.Severity `json:"severity"`
	Site      string           `json:"site"`
	DeviceKey string           `json:"device_key"`
	Address   string           `json:"address"`
	Vendor    string           `json:"vendor,omitempty"`
	Model     string           `json:"model,omitempty"`
	FindingID string           `json:"finding_id,omitempty"`
	Port      uint16           `json:"port,omitempty"`
	Title     finding.Text     `json:"title,omitzero"`
	From      string           `json:"from,omitempty"` // firmware before
	To        string           `json:"to,omitempty"`   // firmware after, or the end-of-support date
	Dedup     string           `json:"dedup"`
}

// Policy chooses which changes become alerts.
type Policy struct {
	// MinSeverity is the lowest severity of a new or fixed finding that
	// is alerted.
	MinSeverity finding.Severity
	// SupportDays alerts a device whose vendor support ends within that
	// many days (once per device and date); 0 disables.
	SupportDays int
}

// firmwareIDs are the findings that say the firmware needs attention.
var firmwareIDs = []string{"FW-OUTDATED", "FW-EOL", "FW-VULNERABLE"}

// Build returns the alerts of one finished audit: the Diff of the
// site's previous audit (nil for the first, which is the baseline and
// alerts nothing but support ending) and this one. run makes the dedup
// keys of change alerts unique to the audit.
func Build(site string, run int64, prev, cur *report.Scan, pol Policy, now time.Time) []Alert {
	var out []Alert
	if prev != nil {
		ch := store.Diff(prev, cur)
		key := func(k Kind, dev, detail string) string {
			return fmt.Sprintf("%s|%d|%s|%s|%s", site, run, k, dev, detail)
		}
		base := func(k Kind, dc store.DeviceChange) Alert {
			return Alert{Kind: k, Site: site, DeviceKey: dc.Key, Address: dc.Address.String(), Vendor: dc.Vendor, Model: dc.Model,
				Severity: finding.SevInfo}
		}
		for _, dc := range ch.New {
			a := base(DeviceNew, dc)
			a.Severity = worst(dc.Opened)
			a.Dedup = key(DeviceNew, dc.Key, "")
			out = append(out, a)
		}
		if !ch.Interrupted && !ch.ScopeChanged {
			for _, dc := range ch.Gone {
				a := base(DeviceGone, dc)
				a.Dedup = key(DeviceGone, dc.Key, "")
				out = append(out, a)
			}
		}
		for _, dc := range ch.Changed {
			if dc.FirmwareFrom != "" {
				a := base(FirmwareChanged, dc)
				a.From, a.To, a.Dedup = dc.FirmwareFrom, dc.FirmwareTo, key(FirmwareChanged, dc.Key, dc.FirmwareTo)
				out = append(out, a)
			}
			for _, f := range dc.Opened {
				k := FindingNew
				if dc.FirmwareFrom == "" && slices.Contains(firmwareIDs, f.ID) {
					k = FirmwareOutdated
				}
				if f.Severity < pol.MinSeverity {
					continue
				}
				out = append(out, findingAlert(base(k, dc), f, key(k, dc.Key, findingKey(f))))
			}
			for _, f := range dc.Fixed {
				if f.Severity < pol.MinSeverity {
					continue
				}
				out = append(out, findingAlert(base(FindingFixed, dc), f, key(FindingFixed, dc.Key, findingKey(f))))
			}
		}
	}
	out = append(out, supportEnding(site, cur, pol, now)...)
	slices.SortStableFunc(out, func(a, b Alert) int { return int(b.Severity) - int(a.Severity) })
	return out
}

func findingAlert(a Alert, f finding.Finding, dedup string) Alert {
	a.Severity, a.FindingID, a.Port, a.Title, a.Dedup = f.Severity, f.ID, f.Port, f.Title, dedup
	return a
}

func findingKey(f finding.Finding) string { return fmt.Sprintf("%s/%d/%s", f.ID, f.Port, f.Protocol) }

func worst(fs []finding.Finding) finding.Severity {
	w := finding.SevInfo
	for _, f := range fs {
		w = max(w, f.Severity)
	}
	return w
}

// supportEnding alerts, once per device and date, support that ends
// within pol.SupportDays.
func supportEnding(site string, cur *report.Scan, pol Policy, now time.Time) []Alert {
	if pol.SupportDays <= 0 {
		return nil
	}
	devs := map[string]report.Device{}
	for _, d := range cur.Devices {
		devs[d.Address.String()] = d
	}
	var out []Alert
	for _, f := range cur.Findings {
		if f.ID != "FW-EOL" {
			continue
		}
		eos, err := time.Parse(time.DateOnly, f.Evidence["end_of_support"])
		if err != nil || !eos.After(now) || eos.Sub(now) > time.Duration(pol.SupportDays)*24*time.Hour {
			continue
		}
		d := devs[f.Address.String()]
		k := store.IdentityOf(d).Key()
		out = append(out, Alert{Kind: SupportEnding, Severity: f.Severity, Site: site, DeviceKey: k,
			Address: f.Address.String(), Vendor: d.Vendor, Model: d.Model, FindingID: f.ID, Title: f.Title,
			To: eos.Format(time.DateOnly), Dedup: strings.Join([]string{site, string(SupportEnding), k, eos.Format(time.DateOnly)}, "|")})
	}
	return out
}
