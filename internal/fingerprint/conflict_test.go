package fingerprint

import (
	"slices"
	"strings"
	"testing"

	p "github.com/camwarden/camwarden/internal/probe"
)

// ONVIF says one model, SNMP another: the stronger wins, the other is
// kept in Conflicts with its source.
func TestConflictKept(t *testing.T) {
	m := newMatcher(t)
	services := []p.Service{
		svc(80, "tcp", "onvif", p.FieldONVIFManufacturer, "AXIS", p.FieldONVIFModel, "M1065-LW", p.FieldONVIFFirmware, "9.80.1"),
		claims(svc(161, "udp", "snmp", p.FieldSNMPSysDescr, "AXIS P1346"), "snmp sysDescr", 0.5,
			p.AttrModel, "P1346", p.AttrFirmware, "5.50"),
	}
	d := m.Identify(testAddr, "", services)
	model := d.Identity[p.AttrModel]
	if model.Value != "M1065-LW" {
		t.Fatalf("model %q, want the ONVIF one", model.Value)
	}
	i := slices.IndexFunc(model.Conflicts, func(c p.Claim) bool { return c.Value == "P1346" })
	if i < 0 {
		t.Fatalf("SNMP model not kept in conflicts: %+v", model.Conflicts)
	}
	if c := model.Conflicts[i]; c.Source != "udp/161 snmp: snmp sysDescr" || c.Confidence != 0.5 {
		t.Errorf("conflict %+v", c)
	}
	if fw := d.Identity[p.AttrFirmware]; fw.Value != "9.80.1" || len(fw.Conflicts) != 1 {
		t.Errorf("firmware %+v", fw)
	}
	// The order of services must not change the outcome.
	r := m.Identify(testAddr, "", []p.Service{services[1], services[0]})
	if r.Model() != d.Model() || r.Identity[p.AttrModel].Confidence != model.Confidence {
		t.Errorf("order dependent: %+v vs %+v", r.Identity[p.AttrModel], model)
	}
}

// Agreeing independent sources raise confidence; one source cited twice
// (two rules on the same field) does not.
func TestAgreementRaisesConfidence(t *testing.T) {
	m := newMatcher(t)
	one := m.Identify(testAddr, "", []p.Service{svc(554, "tcp", "rtsp", p.FieldRTSPServer, "Rtsp Server/3.0")})
	two := m.Identify(testAddr, "", []p.Service{
		svc(554, "tcp", "rtsp", p.FieldRTSPServer, "Rtsp Server/3.0"),
		svc(80, "tcp", "http", p.FieldHTTPAPI, "dahua-cgi"),
	})
	c1, c2 := one.Identity[p.AttrVendor].Confidence, two.Identity[p.AttrVendor].Confidence
	if !(c2 > c1 && c2 <= 1) {
		t.Errorf("confidence one source %v, two sources %v", c1, c2)
	}
	if src := two.Identity[p.AttrVendor].Source; src == "" || !containsAll(src, "rtsp.server", "http.api") {
		t.Errorf("winner source %q does not list both", src)
	}
}

// A brand's platform evidence supports the brand instead of conflicting.
func TestOEMPlatformSupportsBrand(t *testing.T) {
	m := newMatcher(t)
	d := m.Identify(testAddr, "", []p.Service{
		svc(80, "tcp", "onvif", p.FieldONVIFManufacturer, "LOREX"),
		svc(554, "tcp", "rtsp", p.FieldRTSPServer, "Rtsp Server/3.0"),
	})
	v := d.Identity[p.AttrVendor]
	if v.Value != "Lorex" || len(v.Conflicts) != 0 || !containsAll(v.Source, "Dahua platform") {
		t.Errorf("vendor %+v", v)
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
