package fingerprint

import (
	"testing"

	p "github.com/camwarden/camwarden/internal/probe"
)

// Per-vendor identification from real strings. Sources of the values:
// hikvision_next devices/*.json and ISAPI/System.deviceInfo/ipc1.xml
// (facts), axis-kane610 basicdeviceinfo and RTSP realm (MIT),
// axis-discovery-ssdp-js M1014 description (Apache-2.0), retina RTSP
// Server headers (MIT/Apache), reolinkapipy GetDevInfo (GPL, facts),
// dahua-cgi-samples (facts), recog <example> strings (BSD-2).
func TestIdentifyVendors(t *testing.T) {
	m := newMatcher(t)
	const isapi = "http ISAPI /System/deviceInfo"
	tests := []struct {
		name     string
		services []p.Service
		want     want
	}{
		{
			name: "hikvision DS-2CD2386G2-IU ISAPI",
			services: []p.Service{
				claims(svc(80, "tcp", "http", p.FieldHTTPServer, "App-webs/", p.FieldHTTPAPI, "isapi"), isapi, 0.9,
					p.AttrVendor, "hikvision", p.AttrModel, "DS-2CD2386G2-IU", p.AttrFirmware, "V5.7.18",
					p.AttrBuildDate, "build 240826", p.AttrMAC, "a6:63:9e:f8:01:09", p.AttrType, "IPCamera",
					p.AttrSerial, "DS-2CD2386G2-IU00000000AAWRJ00000000"),
				svc(554, "tcp", "rtsp", p.FieldRTSPStatus, "401"),
			},
			want: want{typ: "camera", vendor: "Hikvision", model: "DS-2CD2386G2-IU", firmware: "V5.7.18",
				buildDate: "2024-08-26", mac: "A6:63:9E:F8:01:09"},
		},
		{
			name: "hikvision DS-7608NXI-I2 NVR by model naming",
			services: []p.Service{
				claims(svc(80, "tcp", "http", p.FieldHTTPAPI, "isapi"), isapi, 0.9,
					p.AttrModel, "DS-7608NXI-I2/8P/S", p.AttrFirmware, "V4.62.210", p.AttrBuildDate, "build 230619"),
			},
			want: want{typ: "nvr", vendor: "Hikvision", model: "DS-7608NXI-I2/8P/S", buildDate: "2023-06-19"},
		},
		{
			name: "hikvision iDS-7208HQHI-M1 DVR deviceType",
			services: []p.Service{
				claims(svc(80, "tcp", "http", p.FieldHTTPAPI, "isapi"), isapi, 0.9,
					p.AttrVendor, "hikvision", p.AttrModel, "iDS-7208HQHI-M1(A)/S(C)", p.AttrType, "DVR"),
			},
			want: want{typ: "nvr", vendor: "Hikvision", model: "iDS-7208HQHI-M1(A)/S(C)"},
		},
		{
			name: "hikvision firmware string with build",
			services: []p.Service{
				svc(80, "tcp", "onvif", p.FieldONVIFManufacturer, "HIKVISION", p.FieldONVIFModel, "DS-2CD2143G0-I",
					p.FieldONVIFFirmware, "V5.5.82 build 190909"),
			},
			want: want{typ: "camera", vendor: "Hikvision", firmware: "V5.5.82 build 190909", buildDate: "2019-09-09"},
		},
		{
			name: "dahua by RTSP server only",
			services: []p.Service{
				svc(554, "tcp", "rtsp", p.FieldRTSPServer, "Rtsp Server/3.0", p.FieldRTSPStatus, "401"),
			},
			want: want{typ: "camera", vendor: "Dahua"},
		},
		{
			name: "dahua NVR magicBox",
			services: []p.Service{
				claims(svc(80, "tcp", "http", p.FieldHTTPAPI, "dahua-cgi"), "http magicBox getSystemInfo", 0.8,
					p.AttrModel, "DHI-NVR4108HS-8P-4KS2", p.AttrSerial, "ND0219110NNNNN"),
				claims(svc(80, "tcp", "http"), "http magicBox getSoftwareVersion", 0.8,
					p.AttrFirmware, "2.800.0000016.0.R,build:2020-06-05"),
			},
			want: want{typ: "nvr", vendor: "Dahua", model: "DHI-NVR4108HS-8P-4KS2", buildDate: "2020-06-05"},
		},
		{
			name: "amcrest IP4M-1041B on Dahua platform",
			services: []p.Service{
				svc(80, "tcp", "onvif", p.FieldONVIFManufacturer, "Amcrest", p.FieldONVIFModel, "IP4M-1041B"),
				svc(554, "tcp", "rtsp", p.FieldRTSPServer, "Rtsp Server/3.0"),
			},
			want: want{typ: "camera", vendor: "Amcrest", model: "IP4M-1041B"},
		},
		{
			name: "axis M1065-LW basicdeviceinfo",
			services: []p.Service{
				claims(svc(80, "tcp", "http", p.FieldHTTPAPI, "vapix"), "http basicdeviceinfo", 0.9,
					p.AttrVendor, "AXIS", p.AttrModel, "M1065-LW", p.AttrFirmware, "9.80.1",
					p.AttrSerial, "ACCC12345678", p.AttrType, "Network Camera", p.AttrBuildDate, "Apr 29 2020 06:50"),
				svc(554, "tcp", "rtsp", p.FieldRTSPRealm, "AXIS_ACCC8E012345", p.FieldRTSPServer, "GStreamer RTSP server"),
			},
			want: want{typ: "camera", vendor: "Axis", model: "M1065-LW", firmware: "9.80.1", buildDate: "2020-04-29"},
		},
		{
			name: "axis M1014 UPnP description",
			services: []p.Service{
				svc(1900, "udp", "upnp", p.FieldUPnPServer, "Linux/2.6.35, UPnP/1.0, Portable SDK for UPnP devices/1.6.18",
					p.FieldUPnPST, "urn:axis-com:service:BasicService:1", p.FieldUPnPManufacturer, "AXIS",
					p.FieldUPnPModelName, "AXIS M1014", p.FieldUPnPModelDesc, "AXIS M1014 Fixed Network Camera",
					p.FieldUPnPSerial, "ACCC8E270AD8", p.FieldUPnPDeviceType, "urn:schemas-upnp-org:device:Basic:1"),
			},
			want: want{typ: "camera", vendor: "Axis", model: "M1014", serial: "ACCC8E270AD8", mac: "AC:CC:8E:27:0A:D8"},
		},
		{
			name: "reolink RLC-411WS GetDevInfo",
			services: []p.Service{
				claims(svc(80, "tcp", "http", p.FieldHTTPAPI, "reolink-api"), "http api.cgi GetDevInfo", 0.9,
					p.AttrModel, "RLC-411WS", p.AttrFirmware, "v2.0.0.1389_18081408", p.AttrHardware, "IPC_3816M", p.AttrType, "IPC"),
			},
			want: want{typ: "camera", vendor: "Reolink", model: "RLC-411WS", firmware: "v2.0.0.1389_18081408", buildDate: "2018-08-14"},
		},
		{
			name: "xiongmai DVR H264DVR",
			services: []p.Service{
				svc(554, "tcp", "rtsp", p.FieldRTSPServer, "H264DVR 1.0"),
				svc(80, "tcp", "http", p.FieldHTTPServer, "uc-httpd 1.0.0"),
				svc(34567, "tcp", "xmeye-sdk", p.FieldSDKVendor, "xiongmai"),
			},
			want: want{typ: "nvr", vendor: "Xiongmai"},
		},
		{
			name: "axis FTP banner with model and firmware (recog example)",
			services: []p.Service{
				svc(21, "tcp", "ftp", p.FieldFTPBanner, "220 AXIS P1346 Network Camera 5.50beta3 (2014) ready"),
			},
			want: want{typ: "camera", vendor: "Axis", model: "P1346", firmware: "5.50beta3"},
		},
		{
			name: "hikvision realm (recog example) plus favicon",
			services: []p.Service{
				svc(80, "tcp", "http", p.FieldHTTPWWWAuth, `Basic realm="hikvision"`, p.FieldHTTPFaviconMD5, "89b932fcc47cf4ca3faadb0cfdef89cf"),
			},
			want: want{vendor: "Hikvision"},
		},
		{
			name: "mikrotik RouterOS UPnP server (recog example)",
			services: []p.Service{
				svc(1900, "udp", "upnp", p.FieldUPnPServer, "RouterOS/6.43UPnP/1.0 MikroTik UPnP/1.0"),
			},
			want: want{typ: "router", vendor: "MikroTik"},
		},
		{
			name:     "AVM FRITZ!Box title (recog example)",
			services: []p.Service{svc(80, "tcp", "http", p.FieldHTTPTitle, "FRITZ!Box")},
			want:     want{typ: "router", vendor: "AVM"},
		},
		{
			name: "miniupnpd IGD without vendor",
			services: []p.Service{
				svc(1900, "udp", "upnp", p.FieldUPnPServer, "OpenWRT/kamikaze UPnP/1.0 MiniUPnPd/1.5",
					p.FieldUPnPDeviceType, "urn:schemas-upnp-org:device:InternetGatewayDevice:1"),
			},
			want: want{typ: "router"},
		},
		{
			name: "agsh ONVIF mockup: unknown vendor kept as stated",
			services: []p.Service{
				svc(80, "tcp", "onvif", p.FieldONVIFManufacturer, "Mockup Manufacturer", p.FieldONVIFModel, "Mockup Model",
					p.FieldONVIFFirmware, "Mockup_15_14_13", p.FieldONVIFSerial, "00000000"),
			},
			want: want{typ: "other", vendor: "Mockup Manufacturer", model: "Mockup Model", firmware: "Mockup_15_14_13", serial: "00000000"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := m.Identify(testAddr, "", tt.services)
			if d.Address != testAddr || len(d.Services) != len(tt.services) {
				t.Fatalf("address %v, %d services", d.Address, len(d.Services))
			}
			check(t, d, tt.want)
		})
	}
}

func TestIdentifyEmpty(t *testing.T) {
	m := newMatcher(t)
	d := m.Identify(testAddr, "cam1", nil)
	if d.Hostname != "cam1" || d.Vendor() != "" || d.Kind() != "other" {
		t.Errorf("empty host: hostname %q vendor %q kind %q", d.Hostname, d.Vendor(), d.Kind())
	}
	if d.Identity[p.AttrType].Confidence > 0.2 {
		t.Errorf("fallback type confidence %v too high", d.Identity[p.AttrType].Confidence)
	}
}

func TestIdentifyStatusSummary(t *testing.T) {
	m := newMatcher(t)
	bad := svc(23, "tcp", "telnet")
	bad.Status = p.StatusTimeout
	d := m.Identify(testAddr, "", []p.Service{bad, svc(80, "tcp", "http")})
	if d.Status != "services not finished: 1 timeout" {
		t.Errorf("status %q", d.Status)
	}
}
