package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
	"github.com/camwarden/camwarden/internal/store/servedb"
)

type identityRow struct {
	Attr, Value, Source string
	Confidence          int // percent
	Conflicts           []string
}

type findingView struct {
	F        finding.Finding
	Title    string
	Steps    []string
	Evidence [][2]string
	Accepted *servedb.Acceptance
	Key      string
}

type checkView struct {
	Checkpoint int
	Verdict    string
	Reason     string
	Findings   []findingView
	Coverage   [][2]string // AUTH-COVERAGE: what the password check tried
}

type serviceView struct {
	Where  string
	Fields [][2]string
}

type timelineRow struct {
	At       time.Time
	Address  string
	Firmware string
	Verdicts []string
	Findings int
	Changes  []string
}

type deviceData struct {
	Row         servedb.DeviceRow
	Device      report.Device
	Identity    []identityRow
	Checks      []checkView
	Services    []serviceView
	Timeline    []timelineRow
	Alerts      []alertView
	DefaultDate string
}

func (s *Server) handleDevice(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	key := r.URL.Query().Get("key")
	row, err := s.cfg.DB.Device(ctx, key)
	if errors.Is(err, servedb.ErrNotFound) {
		s.fail(w, r, c, http.StatusNotFound, "notfound")
		return
	}
	if err != nil {
		s.internal(w, r, c, err)
		return
	}
	dev, fs, err := s.cfg.DB.Observation(ctx, row.ObsID)
	if err != nil {
		s.internal(w, r, c, err)
		return
	}
	acc, err := s.cfg.DB.Acceptances(ctx, key, s.cfg.Now())
	if err != nil {
		s.internal(w, r, c, err)
		return
	}
	p := s.data(r, c, "device", "devices", nil)
	d := deviceData{Row: row, Device: dev, DefaultDate: s.cfg.Now().AddDate(0, 0, 30).Format(time.DateOnly)}
	d.Identity = identityRows(dev)
	d.Checks = checkViews(p, dev, fs, acc)
	d.Services = serviceViews(dev)
	if hist, err := s.cfg.DB.Store().DeviceHistory(ctx, key); err == nil {
		d.Timeline = timeline(p, hist)
	}
	if d.Alerts, err = s.deviceAlerts(r, c, key); err != nil {
		s.internal(w, r, c, err)
		return
	}
	p.Data = d
	p.Title = clean(strings.TrimSpace(dev.Vendor + " " + dev.Model + " " + dev.Address.String()))
	s.render(w, "device", http.StatusOK, p)
}

func identityRows(d report.Device) []identityRow {
	var out []identityRow
	for attr, a := range d.Identity {
		row := identityRow{Attr: attr, Value: a.Value, Source: a.Source, Confidence: int(a.Confidence * 100)}
		for _, cl := range a.Conflicts {
			row.Conflicts = append(row.Conflicts, cl.Value+" ("+cl.Source+")")
		}
		out = append(out, row)
	}
	slices.SortFunc(out, func(a, b identityRow) int { return strings.Compare(a.Attr, b.Attr) })
	return out
}

func checkViews(p pageData, d report.Device, fs []finding.Finding, acc map[string]servedb.Acceptance) []checkView {
	var out []checkView
	for _, sc := range d.Scorecard {
		cv := checkView{Checkpoint: int(sc.Checkpoint), Verdict: string(sc.Verdict), Reason: p.Pick(sc.Reason)}
		for _, f := range fs {
			if f.Checkpoint != sc.Checkpoint {
				continue
			}
			if finding.Coverage(f.ID) { // what the auth check tried: shown with the checkpoint
				for _, k := range []string{finding.CoverageSurfaces, finding.CoverageVendorRefused,
					finding.CoverageGenericRefused, finding.CoverageUntried, finding.CoverageComplete} {
					if v := f.Evidence[k]; v != "" {
						cv.Coverage = append(cv.Coverage, [2]string{k, v})
					}
				}
				continue
			}
			fv := findingView{F: f, Title: p.Pick(f.Title), Key: findingKey(f.ID, int(f.Port), f.Protocol)}
			for line := range strings.SplitSeq(p.Pick(f.Remediation), "\n") {
				if line = strings.TrimSpace(line); line != "" {
					fv.Steps = append(fv.Steps, line)
				}
			}
			for k, v := range f.Evidence {
				fv.Evidence = append(fv.Evidence, [2]string{k, v})
			}
			slices.SortFunc(fv.Evidence, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
			if a, ok := acc[fv.Key]; ok {
				fv.Accepted = &a
			}
			cv.Findings = append(cv.Findings, fv)
		}
		out = append(out, cv)
	}
	return out
}

func serviceViews(d report.Device) []serviceView {
	var out []serviceView
	for _, sv := range d.Services {
		v := serviceView{Where: sv.Transport + "/" + itoa(int(sv.Port)) + " " + sv.Protocol}
		for k, val := range sv.Fields {
			v.Fields = append(v.Fields, [2]string{k, val})
		}
		slices.SortFunc(v.Fields, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
		out = append(out, v)
	}
	return out
}

// timeline lists a device's observations, newest first, with what
// changed since the one before.
func timeline(p pageData, hist []store.DeviceState) []timelineRow {
	var out []timelineRow
	for i, st := range hist {
		row := timelineRow{At: st.Started, Address: st.Address.String(), Firmware: st.Device.Firmware, Findings: len(st.Findings)}
		for _, sc := range st.Device.Scorecard {
			row.Verdicts = append(row.Verdicts, string(sc.Verdict))
		}
		if i > 0 {
			if ch := store.DiffStates(hist[i-1], st); ch != nil {
				if ch.FirmwareFrom != "" {
					row.Changes = append(row.Changes, p.T("firmware")+": "+ch.FirmwareFrom+" → "+ch.FirmwareTo)
				}
				for _, f := range ch.Opened {
					row.Changes = append(row.Changes, "+ "+f.ID)
				}
				for _, f := range ch.Fixed {
					row.Changes = append(row.Changes, "− "+f.ID)
				}
			}
		}
		out = append(out, row)
	}
	slices.Reverse(out)
	if len(out) > 100 {
		out = out[:100]
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
