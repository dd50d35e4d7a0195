package finding

import (
	"net/netip"
	"slices"
	"strconv"
	"testing"
)

// TestDedupeONVIF: the same ONVIF port without WS-Security gave both
// AUTH-NONE-ONVIF and EXPOSE-ONVIF-NOAUTH on 15 of 22 lab devices (issue
// 10.16). One weakness is one finding; the exposure one stays where the
// authentication check did not run or on another port.
func TestDedupeONVIF(t *testing.T) {
	a, b := netip.MustParseAddr("127.0.0.2"), netip.MustParseAddr("127.0.0.3")
	auth := Finding{ID: "AUTH-NONE-ONVIF", Checkpoint: CheckAuth, Severity: SevCritical, Address: a, Port: 80, Protocol: "onvif",
		Evidence: map[string]string{"service": "onvif"}}
	expose := Finding{ID: "EXPOSE-ONVIF-NOAUTH", Checkpoint: CheckExposure, Severity: SevMedium, Address: a, Port: 80, Protocol: "onvif",
		Evidence: map[string]string{"manufacturer": "HIKVISION", "service": "other"}}
	otherPort, otherHost := expose, expose
	otherPort.Port = 8000
	otherHost.Address = b
	telnet := Finding{ID: "EXPOSE-TELNET", Address: a, Port: 23}
	tests := []struct {
		name   string
		in     []Finding
		want   []string // ID@address:port
		merged string   // EvidenceMerged of the AUTH-NONE-ONVIF kept
	}{
		{"both on one port", []Finding{expose, telnet, auth}, []string{"EXPOSE-TELNET@127.0.0.2:23", "AUTH-NONE-ONVIF@127.0.0.2:80"}, "EXPOSE-ONVIF-NOAUTH"},
		{"exposure alone (--no-login)", []Finding{expose, telnet}, []string{"EXPOSE-ONVIF-NOAUTH@127.0.0.2:80", "EXPOSE-TELNET@127.0.0.2:23"}, ""},
		{"another port", []Finding{auth, otherPort}, []string{"AUTH-NONE-ONVIF@127.0.0.2:80", "EXPOSE-ONVIF-NOAUTH@127.0.0.2:8000"}, ""},
		{"another device", []Finding{auth, otherHost}, []string{"AUTH-NONE-ONVIF@127.0.0.2:80", "EXPOSE-ONVIF-NOAUTH@127.0.0.3:80"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Dedupe(tc.in)
			var ids []string
			for _, f := range got {
				ids = append(ids, f.ID+"@"+f.Address.String()+":"+strconv.Itoa(int(f.Port)))
				if f.ID == "AUTH-NONE-ONVIF" {
					if f.Evidence[EvidenceMerged] != tc.merged {
						t.Errorf("merged = %q, want %q", f.Evidence[EvidenceMerged], tc.merged)
					}
					if tc.merged != "" && (f.Evidence["manufacturer"] != "HIKVISION" || f.Evidence["service"] != "onvif") {
						t.Errorf("evidence %v: want the kept finding's own values and the merged one's missing keys", f.Evidence)
					}
				}
			}
			if !slices.Equal(ids, tc.want) {
				t.Errorf("got %v, want %v", ids, tc.want)
			}
			if auth.Evidence[EvidenceMerged] != "" {
				t.Error("Dedupe modified its input")
			}
		})
	}
}
