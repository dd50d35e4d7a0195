package fingerprint

import (
	"slices"
	"testing"

	p "github.com/camwarden/camwarden/internal/probe"
)

// Inputs here come from sources the rules do not cite, to check that the
// rules generalise rather than echo their own examples:
//   - Hikvision model names from hikvision-fw-archive devices.json (GPL,
//     facts: names only), including non-camera lines (DS-K access
//     control, DS-3E switches) that must not become cameras;
//   - Reolink models and their type from reolink-fw-archive
//     discontinued-models (facts);
//   - gortsplib issue_mediamtx_127_Amcrest_cameras.sdp (MIT), whose
//     session name is "Sony RTSP Server" although the camera is an Amcrest.
func TestGeneraliseModelNaming(t *testing.T) {
	m := newMatcher(t)
	tests := []struct{ vendor, model, want string }{
		{"HIKVISION", "DS-2CD1023G0-IUF", "camera"},
		{"HIKVISION", "DS-2DE2A204IW-DE3", "camera"},
		{"HIKVISION", "DS-2DF4220-DX(S6/316L)", "camera"},
		{"HIKVISION", "DS-2TD1217-2/PA", "camera"},
		{"HIKVISION", "DS-7604NI-K1/4K", "nvr"},
		{"HIKVISION", "DS-7716NXI-K4(D)", "nvr"},
		{"HIKVISION", "DS-9608NI-I8", "nvr"},
		{"HIKVISION", "DS-7204HUHI-K1", "nvr"},
		{"HIKVISION", "DS-K1101", "other"},
		{"HIKVISION", "DS-3E1105P-EI", "other"},
		{"Reolink", "RLC-410", "camera"},
		{"Reolink", "RLC-1220A", "camera"},
		{"Reolink", "RLC-511W", "camera"},
		{"Reolink", "RLN4-410", "nvr"},
		{"Reolink", "RLN4-210W", "nvr"},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			d := m.Identify(testAddr, "", []p.Service{
				svc(80, "tcp", "onvif", p.FieldONVIFManufacturer, tt.vendor, p.FieldONVIFModel, tt.model),
			})
			if string(d.Kind()) != tt.want {
				t.Errorf("type %q (%s), want %q", d.Kind(), d.Identity[p.AttrType].Source, tt.want)
			}
		})
	}
}

func TestGeneraliseMisleadingSDP(t *testing.T) {
	m := newMatcher(t)
	sdp := "v=0\r\no=RTSP Session 1 2 IN IP4 0.0.0.0\r\ns=Sony RTSP Server\r\n"
	d := m.Identify(testAddr, "", []p.Service{
		svc(80, "tcp", "onvif", p.FieldONVIFManufacturer, "Amcrest", p.FieldONVIFModel, "IP2M-841"),
		svc(554, "tcp", "rtsp", p.FieldRTSPSDP, sdp, p.FieldRTSPServer, "Rtsp Server/3.0"),
	})
	v := d.Identity[p.AttrVendor]
	if v.Value != "Amcrest" || d.Kind() != "camera" {
		t.Fatalf("vendor %q kind %q", v.Value, d.Kind())
	}
	if len(v.Conflicts) == 0 || slices.ContainsFunc(v.Conflicts, func(c p.Claim) bool { return c.Value != "Sony" }) {
		t.Errorf("the Sony session name should be kept as a conflict: %+v", v.Conflicts)
	}
}

// Manufacturer spellings from recog identifiers-vendor.txt and the nmap
// OUI registry names, which the alias list was not written from.
func TestGeneraliseManufacturerSpellings(t *testing.T) {
	m := newMatcher(t)
	tests := []struct{ in, want string }{
		{"Hangzhou Hikvision Digital Technology Co.,Ltd.", "Hikvision"},
		{"Zhejiang Dahua Technology Co., Ltd.", "Dahua"},
		{"Zhejiang Uniview Technologies Co.,Ltd", "Uniview"},
		{"Hangzhou Ezviz Software Co.,Ltd.", "EZVIZ"},
		{"Hanwha Techwin Co., Ltd.", "Hanwha Vision"},
		{"Bosch Security Systems B.V.", "Bosch"},
		{"Amcrest Technologies", "Amcrest"},
		{"Reolink Innovation Limited", "Reolink"},
		{"ASUSTeK COMPUTER INC.", "ASUS"},
		{"NETGEAR, Inc.", "NETGEAR"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d := m.Identify(testAddr, "", []p.Service{svc(1900, "udp", "upnp", p.FieldUPnPManufacturer, tt.in)})
			if d.Vendor() != tt.want {
				t.Errorf("vendor %q, want %q", d.Vendor(), tt.want)
			}
		})
	}
}
