// Package device holds the merged view of one host: what it is (type,
// vendor, model, firmware... each with provenance) and the services it runs.
// Fingerprinting builds it; checks, reports and the store read it.
package device

import (
	"net/netip"

	"github.com/camwarden/camwarden/internal/probe"
)

// Kind is the type of device.
type Kind string

// Device kinds.
const (
	KindCamera  Kind = "camera"
	KindNVR     Kind = "nvr" // NVR or DVR
	KindRouter  Kind = "router"
	KindOther   Kind = "other"
	KindUnknown Kind = ""
)

// Attribute is one identity attribute with the evidence behind it. When
// services disagree, the best-supported value wins and the others are kept
// in Conflicts, never hidden.
type Attribute struct {
	Value      string        `json:"value"`
	Source     string        `json:"source"`
	Confidence float64       `json:"confidence"`
	Conflicts  []probe.Claim `json:"conflicts,omitempty"`
}

// Device is one host and what camwarden learned about it.
type Device struct {
	Address  netip.Addr           `json:"address"`
	Hostname string               `json:"hostname,omitempty"`
	Identity map[string]Attribute `json:"identity,omitempty"` // keyed by probe.Attr*
	Services []probe.Service      `json:"services"`
	// Status is empty when every probe finished; otherwise it says what
	// went wrong with this device (e.g. "2 services timed out").
	Status string `json:"status,omitempty"`
}

// Get returns the value of an identity attribute, or "".
func (d *Device) Get(attr string) string { return d.Identity[attr].Value }

// Kind returns the device type.
func (d *Device) Kind() Kind { return Kind(d.Get(probe.AttrType)) }

// Vendor returns the vendor name as the catalogue spells it.
func (d *Device) Vendor() string { return d.Get(probe.AttrVendor) }

// Model returns the model, or "".
func (d *Device) Model() string { return d.Get(probe.AttrModel) }

// Firmware returns the firmware version string as read, or "".
func (d *Device) Firmware() string { return d.Get(probe.AttrFirmware) }

// Service returns the first service speaking protocol, or nil.
func (d *Device) Service(protocol string) *probe.Service {
	for i := range d.Services {
		if d.Services[i].Protocol == protocol {
			return &d.Services[i]
		}
	}
	return nil
}
