package firmware

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	catalogfw "github.com/camwarden/camwarden/internal/catalog/firmware"
	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/version"
)

// labPrefix is this package's own lab range, apart from other tests'.
const labPrefix = "127.78.50"

// startLab starts the simulated devices and returns their manifest.
func startLab(t *testing.T) lab.Manifest {
	t.Helper()
	l, err := lab.Start(t.Context(), lab.Options{Prefix: labPrefix})
	if err != nil {
		t.Fatalf("start lab: %v", err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("close lab: %v", err)
		}
	})
	return l.Manifest()
}

// manifestDevice is what a correct scan of s identifies: vendor, type,
// the model, firmware and build date it shows (not those the manifest
// lists in identity.hidden, no firmware when it is planted "unreadable").
// The identification path itself is tested elsewhere.
func manifestDevice(t *testing.T, s lab.DeviceSpec) device.Device {
	t.Helper()
	addr, err := netip.ParseAddr(s.Address)
	if err != nil {
		t.Fatalf("manifest address %q: %v", s.Address, err)
	}
	hidden := splitList(s.Planted["identity.hidden"])
	id := map[string]device.Attribute{
		probe.AttrVendor: {Value: s.Vendor, Source: "manifest"},
		probe.AttrType:   {Value: s.Type, Source: "manifest"},
	}
	if !slices.Contains(hidden, "model") {
		id[probe.AttrModel] = device.Attribute{Value: s.Model, Source: "manifest"}
	}
	if s.Planted["firmware"] != "unreadable" && !slices.Contains(hidden, "firmware") {
		id[probe.AttrFirmware] = device.Attribute{Value: s.Firmware, Source: "manifest"}
		if s.BuildDate != "" {
			id[probe.AttrBuildDate] = device.Attribute{Value: s.BuildDate, Source: "manifest"}
		}
	}
	return device.Device{Address: addr, Identity: id}
}

// stateFinding is the weakness each planted state must produce (besides
// FW-VULNERABLE ones for "outdated"/"eol" devices, which the manifest
// would list), "" for the states that must produce none.
var stateFinding = map[string]string{
	"latest": "", "uncatalogued": "", "outdated": IDOutdated, "eol": IDEOL,
	"vulnerable": IDVulnerable, "unreadable": IDUnknown, "unparseable": IDUnknown, "hidden": IDUnknown,
	"unidentified": "", // no vendor: nothing to look up (checkpoint 2 is ? by the verdict rule)
}

// stateNote is the inconclusive finding a state adds to the weaknesses
// the manifest plants: an uncatalogued device is "could not check"
// (FW-UNCHECKED), never a pass.
var stateNote = map[string]string{"uncatalogued": IDUnchecked}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// TestLabPlantedFirmware is issue 4's acceptance test: every lab device
// gets exactly the FW-* findings (and CVEs) its manifest plants, no more.
func TestLabPlantedFirmware(t *testing.T) {
	cat, err := catalogfw.Default()
	if err != nil {
		t.Fatal(err)
	}
	at, err := time.Parse(time.DateOnly, cat.Date)
	if err != nil {
		t.Fatal(err)
	}
	env := &check.Env{Now: func() time.Time { return at }}
	c := NewChecker(cat)
	m := startLab(t)
	seen := map[string]int{}
	for _, s := range m.Devices {
		t.Run(s.Name, func(t *testing.T) {
			state := s.Planted["firmware"]
			must, known := stateFinding[state]
			wantIDs, planted := s.Planted["firmware.findings"]
			if !known || !planted {
				t.Fatalf("planted firmware %q findings %q (planted %v): every device needs a known state and its findings", state, wantIDs, planted)
			}
			seen[state]++
			if (must == "") != (wantIDs == "") || !slices.Contains(splitList(wantIDs), must) && must != "" {
				t.Errorf("state %q does not fit planted findings %q", state, wantIDs)
			}
			d := manifestDevice(t, s)
			got := c.Check(t.Context(), env, &d)
			var gotIDs, gotCVEs []string
			for _, f := range got {
				if !strings.HasPrefix(f.ID, "FW-") || f.Checkpoint != finding.CheckFirmware || f.Address != d.Address {
					t.Errorf("finding %s checkpoint %d address %v", f.ID, f.Checkpoint, f.Address)
				}
				if !slices.Contains(gotIDs, f.ID) {
					gotIDs = append(gotIDs, f.ID)
				}
				if f.ID == IDVulnerable {
					gotCVEs = append(gotCVEs, f.Evidence["cve"])
				}
			}
			want := splitList(wantIDs)
			if n := stateNote[state]; n != "" {
				want = append([]string{n}, want...)
			}
			if !slices.Equal(gotIDs, want) {
				t.Errorf("findings %v, manifest plants %q", gotIDs, wantIDs)
			}
			if !slices.Equal(gotCVEs, splitList(s.Planted["firmware.cves"])) {
				t.Errorf("CVEs %v, manifest plants %q", gotCVEs, s.Planted["firmware.cves"])
			}
			checkStateMeaning(t, cat, s, state)
		})
	}
	for _, state := range []string{"latest", "outdated", "eol", "vulnerable", "unreadable"} {
		if seen[state] == 0 {
			t.Errorf("no lab device is planted %q", state)
		}
	}
}

// checkStateMeaning checks the two states without findings against the
// catalogue: "latest" needs a known latest release equal to the firmware;
// "uncatalogued" needs the catalogue to know no release or lifecycle.
func checkStateMeaning(t *testing.T, cat *catalogfw.Catalog, s lab.DeviceSpec, state string) {
	t.Helper()
	scheme := cat.Scheme(s.Vendor)
	inst, err := version.Parse(scheme, s.Firmware)
	var instp *version.Version
	if err == nil {
		instp = &inst
	}
	match := cat.Lookup(s.Vendor, s.Model, "", instp)
	switch state {
	case "latest":
		if match.Latest == nil || instp == nil {
			t.Fatalf("planted latest but the catalogue knows no latest release for %s (parse: %v)", s.Model, err)
		}
		latest, err := match.Latest.LatestVersion(scheme)
		if err != nil || version.Compare(inst, latest) != 0 {
			t.Errorf("planted latest: installed %s, catalogue latest %s", s.Firmware, match.Latest.Latest.Version)
		}
	case "uncatalogued":
		if match.Latest != nil || match.Lifecycle != nil {
			t.Errorf("planted uncatalogued but the catalogue has family %+v / %+v", match.Latest, match.Lifecycle)
		}
	case "unparseable":
		if err == nil {
			t.Errorf("planted unparseable but %q parses in scheme %s", s.Firmware, scheme)
		}
	}
}

// TestLabUncataloguedVendors: a device whose vendor the catalogue does not
// know gets one FW-UNCHECKED ("not in the catalogue", so checkpoint 2 is
// could-not-check), whatever its firmware shows.
func TestLabUncataloguedVendors(t *testing.T) {
	cat, err := catalogfw.Default()
	if err != nil {
		t.Fatal(err)
	}
	env := &check.Env{Now: func() time.Time { return now }}
	c := NewChecker(cat)
	var vendors []string
	for _, s := range startLab(t).Devices {
		if s.Vendor == "" || cat.Vendor(s.Vendor) != nil {
			continue // a no-name device has no vendor to look up ("unidentified")
		}
		vendors = append(vendors, s.Vendor)
		for _, fw := range []string{s.Firmware, "", "not a version"} {
			t.Run(s.Name+"/"+fw, func(t *testing.T) {
				d := manifestDevice(t, s)
				d.Identity[probe.AttrFirmware] = device.Attribute{Value: fw, Source: "test"}
				got := c.Check(t.Context(), env, &d)
				if len(got) != 1 || got[0].ID != IDUnchecked || got[0].Evidence["reason"] != reasonNoVendor || !finding.Inconclusive(got[0].ID) {
					t.Errorf("vendor %s not in the catalogue, got %v", s.Vendor, ids(got))
				}
			})
		}
	}
	if len(vendors) < 1 { // Sony, Bosch, Panasonic i-PRO and Buffalo joined the catalogue (issue 10 item 20)
		t.Fatalf("want a lab vendor outside the catalogue, got %v", vendors)
	}
	t.Logf("vendors outside the catalogue: %v", vendors)
}
