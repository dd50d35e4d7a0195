package captures

import (
	"fmt"
	"slices"
	"strings"

	catalog "github.com/camwarden/camwarden/internal/catalog/fingerprint"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/probe"
)

// Outcome is how camwarden did on one device.
type Outcome struct {
	Device Device
	Got    map[string]string // attribute -> value camwarden reported
	// Vendor, Model, Firmware, Type: 1 right, -1 wrong, 0 not stated or
	// (vendor only) nothing reported.
	Vendor, Model, Firmware, Type int
	// Cited: a rule of the full catalogue names one of the device's files.
	Cited bool
}

// Score compares what the matcher reported with the device's truth.
func Score(cat *catalog.Catalog, d Device, got device.Device) Outcome {
	o := Outcome{Device: d, Got: map[string]string{}}
	for attr, a := range got.Identity {
		o.Got[attr] = a.Value
	}
	if d.Vendor != "" && o.Got[probe.AttrVendor] != "" {
		o.Vendor = verdict(sameVendor(cat, o.Got[probe.AttrVendor], d.Vendor))
	}
	if d.Model != "" {
		o.Model = verdict(sameModel(o.Got[probe.AttrModel], d.Model))
	}
	if d.Firmware != "" {
		o.Firmware = verdict(sameFirmware(o.Got[probe.AttrFirmware], d.Firmware))
	}
	if d.Type != "" {
		o.Type = verdict(o.Got[probe.AttrType] == d.Type)
	}
	for _, r := range cat.Rules {
		for _, f := range d.Files() {
			if slices.Contains(r.Refs, f) {
				o.Cited = true
			}
		}
	}
	return o
}

func verdict(ok bool) int {
	if ok {
		return 1
	}
	return -1
}

// sameVendor accepts the vendor itself (any spelling of it) and the maker
// whose platform a brand resells (Dahua for Lorex, TP-Link for Mercury).
func sameVendor(cat *catalog.Catalog, got, want string) bool {
	canon := func(s string) string {
		if v, ok := cat.CanonicalVendor(s); ok {
			return v
		}
		return catalog.NormaliseName(s)
	}
	g, w := canon(got), canon(want)
	return g == w || cat.Platform(w) == g
}

func alnum(s string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// sameModel compares letters and digits only; a reported model may carry
// the vendor's name before it ("FRITZ!Box 7590", "AXIS M1014").
func sameModel(got, want string) bool {
	g, w := alnum(got), alnum(want)
	return g != "" && (g == w || strings.HasSuffix(g, w) || strings.HasSuffix(w, g) && len(g) >= 3)
}

// sameFirmware accepts the version with a build suffix after it.
func sameFirmware(got, want string) bool {
	g, w := strings.ToLower(strings.TrimSpace(got)), strings.ToLower(want)
	return g != "" && (g == w || strings.HasPrefix(g, w) || strings.Contains(g, w))
}

// Tally counts outcomes: right of stated for each attribute.
type Tally struct {
	Devices                                  int
	VendorStated, VendorRight, VendorWrong   int
	ModelStated, ModelRight                  int
	FirmwareStated, FirmwareRight            int
	TypeStated, TypeRight, TypeWrong         int
	Uncited, UncitedStated, UncitedRight     int
	LoginFree, LoginFreeStated, LoginFreeRig int
}

// Add counts one outcome.
func (t *Tally) Add(o Outcome) {
	t.Devices++
	count := func(stated string, v int, n, right *int) {
		if stated != "" {
			*n++
			if v > 0 {
				*right++
			}
		}
	}
	count(o.Device.Vendor, o.Vendor, &t.VendorStated, &t.VendorRight)
	if o.Vendor < 0 {
		t.VendorWrong++
	}
	count(o.Device.Model, o.Model, &t.ModelStated, &t.ModelRight)
	count(o.Device.Firmware, o.Firmware, &t.FirmwareStated, &t.FirmwareRight)
	count(o.Device.Type, o.Type, &t.TypeStated, &t.TypeRight)
	if o.Type < 0 {
		t.TypeWrong++
	}
	if !o.Cited {
		t.Uncited++
		count(o.Device.Vendor, o.Vendor, &t.UncitedStated, &t.UncitedRight)
	}
	if !o.Device.Login {
		t.LoginFree++
		count(o.Device.Vendor, o.Vendor, &t.LoginFreeStated, &t.LoginFreeRig)
	}
}

// Merge adds another tally.
func (t *Tally) Merge(o Tally) {
	t.Devices += o.Devices
	t.VendorStated += o.VendorStated
	t.VendorRight += o.VendorRight
	t.VendorWrong += o.VendorWrong
	t.ModelStated += o.ModelStated
	t.ModelRight += o.ModelRight
	t.FirmwareStated += o.FirmwareStated
	t.FirmwareRight += o.FirmwareRight
	t.TypeStated += o.TypeStated
	t.TypeRight += o.TypeRight
	t.TypeWrong += o.TypeWrong
	t.Uncited += o.Uncited
	t.UncitedStated += o.UncitedStated
	t.UncitedRight += o.UncitedRight
	t.LoginFree += o.LoginFree
	t.LoginFreeStated += o.LoginFreeStated
	t.LoginFreeRig += o.LoginFreeRig
}

// Row formats the tally as one line of the per-source table.
func (t Tally) Row(name string) string {
	return fmt.Sprintf("%-32s %4d  vendor %3d/%-3d wrong %d  model %2d/%-2d  firmware %2d/%-2d  type %3d/%-3d  uncited vendor %3d/%-3d  no-login vendor %3d/%-3d",
		name, t.Devices, t.VendorRight, t.VendorStated, t.VendorWrong, t.ModelRight, t.ModelStated,
		t.FirmwareRight, t.FirmwareStated, t.TypeRight, t.TypeStated, t.UncitedRight, t.UncitedStated,
		t.LoginFreeRig, t.LoginFreeStated)
}
