package captures

import (
	"fmt"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/fingerprint"
	"github.com/camwarden/camwarden/internal/probe"
)

// TestCompositeDevices scans whole real devices (devices.json composites:
// the replies of one device that several captures describe, served
// together on one address) with camwarden's engine, and identifies each
// twice: with the rules that do not cite the device's source (as a
// held-out device would be) and with every rule. Login-only replies are a
// second row, served as if the device had no password. It prints what was
// named and fails on a wrong vendor or below the floor.
func TestCompositeDevices(t *testing.T) {
	c, cat := loadAll(t)
	full, err := fingerprint.NewFromCatalog(cat)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	var heldOut, all Tally
	for _, comp := range c.Composites {
		members, err := c.Members(comp)
		if err != nil {
			t.Fatal(err)
		}
		loo, err := fingerprint.NewFromCatalog(cat.Without(members[0].Source()))
		if err != nil {
			t.Fatal(err)
		}
		for _, withLogin := range []bool{false, true} {
			d := comp.Truth(members, withLogin)
			if len(d.Replies) == 0 || withLogin && !d.Login {
				continue
			}
			var row []string
			for _, m := range []struct {
				name string
				m    *fingerprint.Matcher
				tl   *Tally
			}{{"held out", loo, &heldOut}, {"all rules", full, &all}} {
				got, err := ScanDevice(t.Context(), t, dataDir, d, m.m.Identify)
				if err != nil {
					t.Errorf("%s: %v", d.ID, err)
					continue
				}
				o := Score(cat, d, got)
				m.tl.Add(o)
				if o.Vendor < 0 {
					t.Errorf("%s (%s): wrong vendor %q, want %q", d.ID, m.name, o.Got[probe.AttrVendor], d.Vendor)
				}
				row = append(row, fmt.Sprintf("%s %s", m.name, triple(o.Got)))
			}
			variant := "no login"
			if withLogin {
				variant = "login replies open"
			}
			lines = append(lines, fmt.Sprintf("%-36s %-18s want %-40s %s", comp.ID, variant,
				strings.Join([]string{d.Vendor, d.Model, d.Firmware}, "/"), strings.Join(row, "  ")))
		}
	}
	t.Logf("whole devices scanned by the engine (%d rows):\n%s\n%s\n%s", len(lines), strings.Join(lines, "\n"),
		heldOut.Row("TOTAL held out"), all.Row("TOTAL all rules"))
	if heldOut.VendorRight < compositeFloor {
		t.Errorf("held-out vendor right for %d composite rows, floor %d", heldOut.VendorRight, compositeFloor)
	}
}

// compositeFloor is the held-out vendor count measured (17 of 24 rows,
// 0 wrong), a little below.
const compositeFloor = 16

func triple(got map[string]string) string {
	return fmt.Sprintf("%s/%s/%s", got[probe.AttrVendor], got[probe.AttrModel], got[probe.AttrFirmware])
}
