package identity

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/probe"
)

func TestHTTPAPIs(t *testing.T) {
	names := func(apis []API) string {
		var out []string
		for _, a := range apis {
			out = append(out, a.Name)
		}
		return strings.Join(out, ",")
	}
	tests := []struct{ vendor, platform, want string }{
		{"Hikvision", "", "ISAPI deviceInfo"},
		{"HiWatch", "Hikvision", "ISAPI deviceInfo"},
		{"Amcrest", "Dahua", "Dahua magicBox getSystemInfo,Dahua magicBox getSoftwareVersion"},
		{"Axis", "", "Axis basicdeviceinfo,Axis param.cgi"},
		{"Hanwha Vision", "", "Hanwha SUNAPI deviceinfo"},
		{"Reolink", "", ""}, // its own login method reads GetDevInfo
		{"", "", "ISAPI deviceInfo,Dahua magicBox getSystemInfo,Axis basicdeviceinfo,Uniview LAPI DeviceInfo,Dahua magicBox getSoftwareVersion,Axis param.cgi"},
	}
	for _, tc := range tests {
		if got := names(HTTPAPIs(tc.vendor, tc.platform)); got != tc.want {
			t.Errorf("HTTPAPIs(%q, %q) = %q, want %q", tc.vendor, tc.platform, got, tc.want)
		}
	}
}

// TestDrive checks the order and the stops of an identity read: the
// family that answers first is followed, a refusal stops at once, a
// complete identity ends the read, and MaxCalls bounds it.
func TestDrive(t *testing.T) {
	sysinfo := read(t, "amcrest-ip4m1041b-getsysteminfo.txt")
	version := []byte("version=2.800.0000016.0.R,build:2020-06-05\r\n")
	tests := []struct {
		name    string
		replies map[string]Reply // by path; absent paths answer 404
		err     error
		asked   string
		apis    string
		refused bool
	}{
		{name: "unknown vendor, dahua answers", replies: map[string]Reply{
			apiDahua[0].Path: {Status: 200, Body: sysinfo}, apiDahua[1].Path: {Status: 200, Body: version}},
			asked: "/ISAPI/System/deviceInfo,/cgi-bin/magicBox.cgi?action=getSystemInfo,/cgi-bin/magicBox.cgi?action=getSoftwareVersion",
			apis:  "Dahua magicBox getSystemInfo,Dahua magicBox getSoftwareVersion"},
		{name: "refused on the first call", replies: map[string]Reply{apiISAPI.Path: {Status: 401, Refused: true}},
			asked: "/ISAPI/System/deviceInfo", refused: true},
		{name: "nothing answers: MaxCalls", replies: map[string]Reply{},
			asked: "/ISAPI/System/deviceInfo,/cgi-bin/magicBox.cgi?action=getSystemInfo,/axis-cgi/basicdeviceinfo.cgi,/LAPI/V1.0/System/DeviceInfo"},
		{name: "network errors go on", err: errors.New("connection reset"),
			asked: "/ISAPI/System/deviceInfo,/cgi-bin/magicBox.cgi?action=getSystemInfo,/axis-cgi/basicdeviceinfo.cgi,/LAPI/V1.0/System/DeviceInfo"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var asked []string
			r, err := Drive(t.Context(), HTTPAPIs("", ""), func(_ context.Context, a API) (Reply, error) {
				asked = append(asked, a.Path)
				if tc.err != nil {
					return Reply{}, tc.err
				}
				rep, ok := tc.replies[a.Path]
				if !ok {
					return Reply{Status: 404, Sent: true}, nil
				}
				rep.Sent = true
				return rep, nil
			})
			if (err != nil) != (tc.err != nil) {
				t.Errorf("error %v, want %v", err, tc.err)
			}
			if got := strings.Join(asked, ","); got != tc.asked {
				t.Errorf("asked %s\nwant  %s", got, tc.asked)
			}
			if got := strings.Join(r.APIs, ","); got != tc.apis || r.Refused != tc.refused || r.Sent != (tc.err == nil) {
				t.Errorf("result APIs %q refused %v sent %v, want %q %v", got, r.Refused, r.Sent, tc.apis, tc.refused)
			}
		})
	}
}

func TestAttribute(t *testing.T) {
	in := []probe.Claim{{Attr: probe.AttrModel, Value: "M1065-LW", Source: "Axis param.cgi", Confidence: 0.9},
		{Attr: probe.AttrVendor, Value: "AXIS", Source: "Axis param.cgi", Confidence: 0.9}}
	got := Attribute(in, "with the factory default")
	want := []probe.Claim{
		{Attr: probe.AttrModel, Value: "M1065-LW", Source: "Axis param.cgi, read after login with the factory default", Confidence: 0.95},
		{Attr: probe.AttrVendor, Value: "AXIS", Source: "Axis param.cgi, read after login with the factory default", Confidence: 0.9},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Attribute = %+v\nwant %+v", got, want)
	}
	if !FromLogin(got[0].Source) || FromLogin(in[0].Source) {
		t.Error("FromLogin does not tell the sources apart")
	}
}
