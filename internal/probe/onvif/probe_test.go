package onvif

import (
	"bytes"
	"errors"
	"io"
	"log"
	"net"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
)

type answer struct {
	status int
	body   []byte
}

// fakeONVIF answers POST /onvif/device_service by action, checking the
// SOAP 1.2 content type like a real device service; other paths are 404.
func fakeONVIF(t *testing.T, byAction map[string]answer) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		body, _ := io.ReadAll(r.Body)
		ct := r.Header.Get("Content-Type")
		if r.URL.Path != DevicePath || r.Method != nethttp.MethodPost || !strings.HasPrefix(ct, "application/soap+xml") {
			nethttp.NotFound(w, r)
			return
		}
		for action, a := range byAction {
			if strings.Contains(ct, `action="`+action+`"`) && bytes.Contains(body, []byte(shortAction(action))) {
				w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
				w.WriteHeader(a.status)
				_, _ = w.Write(a.body)
				return
			}
		}
		w.WriteHeader(nethttp.StatusBadRequest)
	})
}

func TestProbe(t *testing.T) {
	gsdt := answer{200, probetest.Fixture(t, "gsoap-mockup-getsystemdateandtime.xml")}
	bomb := []byte(`<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><e>&c;</e>`)
	tests := []struct {
		name     string
		answers  map[string]answer
		status   probe.Status
		noMatch  bool
		fields   map[string]string
		claims   int
		noFields []string
	}{
		{
			name: "open device information",
			answers: map[string]answer{ActionGetSystemDateAndTime: gsdt,
				ActionGetDeviceInformation: {200, probetest.Fixture(t, "gsoap-mockup-getdeviceinformation.xml")}},
			status: probe.StatusIdentified, claims: 5,
			fields: map[string]string{probe.FieldONVIFDeviceTime: "2014-12-24T19:14:37Z", probe.FieldONVIFInfoAuth: "open",
				probe.FieldONVIFManufacturer: "Mockup Manufacturer", probe.FieldONVIFModel: "Mockup Model",
				probe.FieldONVIFFirmware: "Mockup_15_14_13", probe.FieldONVIFSerial: "00000000", probe.FieldONVIFHardwareID: "MOCKUP"},
		},
		{
			name: "http 401 on device information",
			answers: map[string]answer{ActionGetSystemDateAndTime: gsdt,
				ActionGetDeviceInformation: {401, []byte("<html><title>401</title></html>")}},
			status: probe.StatusIdentified,
			fields: map[string]string{probe.FieldONVIFInfoAuth: "required", probe.FieldONVIFDeviceTime: "2014-12-24T19:14:37Z"},
		},
		{
			name: "soap NotAuthorized fault",
			answers: map[string]answer{ActionGetSystemDateAndTime: gsdt,
				ActionGetDeviceInformation: {400, probetest.Fixture(t, "onvif-spec-notauthorized-fault.xml")}},
			status: probe.StatusIdentified,
			fields: map[string]string{probe.FieldONVIFInfoAuth: "required"},
		},
		{
			name: "fault on both still proves onvif",
			answers: map[string]answer{ActionGetSystemDateAndTime: {500, probetest.Fixture(t, "gsoap-mockup-fault.xml")},
				ActionGetDeviceInformation: {500, probetest.Fixture(t, "gsoap-mockup-fault.xml")}},
			status:   probe.StatusIdentified,
			noFields: []string{probe.FieldONVIFInfoAuth, probe.FieldONVIFDeviceTime},
		},
		{name: "plain web server", answers: map[string]answer{}, noMatch: true},
		{name: "entity bomb", answers: map[string]answer{ActionGetSystemDateAndTime: {200, bomb}}, status: probe.StatusMalformed},
		{
			name:    "truncated envelope",
			answers: map[string]answer{ActionGetSystemDateAndTime: {200, gsdt.body[:len(gsdt.body)/2]}},
			status:  probe.StatusMalformed,
		},
		{
			name:    "oversized envelope",
			answers: map[string]answer{ActionGetSystemDateAndTime: {200, append(gsdt.body, bytes.Repeat([]byte("<!-- pad -->"), 30000)...)}},
			status:  probe.StatusTooLarge,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(fakeONVIF(t, tc.answers))
			defer srv.Close()
			start := time.Now()
			s, err := (&Probe{}).Probe(t.Context(), &net.Dialer{}, probetest.URLTarget(t, srv.URL))
			// Hostile XML must fail fast, not at the probe's deadline
			// (generous for -race on a loaded 2-core CI machine).
			if el := time.Since(start); el > 3*time.Second {
				t.Errorf("took %v", el)
			}
			if tc.noMatch {
				if !errors.Is(err, probe.ErrNoMatch) || s != nil {
					t.Fatalf("want ErrNoMatch, got %+v %v", s, err)
				}
				return
			}
			if s == nil || s.Status != tc.status || s.Protocol != "onvif" {
				t.Fatalf("want %s, got %+v %v", tc.status, s, err)
			}
			if (err != nil) != (tc.status != probe.StatusIdentified) {
				t.Errorf("error %v with status %s", err, s.Status)
			}
			for k, v := range tc.fields {
				if s.Fields[k] != v {
					t.Errorf("%s = %q want %q", k, s.Fields[k], v)
				}
			}
			for _, k := range tc.noFields {
				if v, ok := s.Fields[k]; ok {
					t.Errorf("%s = %q, want none", k, v)
				}
			}
			if len(s.Claims) != tc.claims {
				t.Errorf("%d claims, want %d: %+v", len(s.Claims), tc.claims, s.Claims)
			}
			for _, c := range s.Claims {
				if c.Source != SourceDeviceInformation || c.Confidence < 0.8 {
					t.Errorf("claim %+v", c)
				}
			}
		})
	}
}

func TestProbeTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(fakeONVIF(t, map[string]answer{
		ActionGetSystemDateAndTime: {200, probetest.Fixture(t, "gsoap-mockup-getsystemdateandtime.xml")}}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	p := &Probe{TLS: true}
	s, err := p.Probe(t.Context(), &net.Dialer{}, probetest.URLTarget(t, srv.URL))
	if err != nil || s.Status != probe.StatusIdentified || !s.TLS || p.Name() != "onvif-tls" {
		t.Fatalf("got %+v %v", s, err)
	}
}

func TestUsernameTokenEnvelope(t *testing.T) {
	u := &UsernameToken{Username: "admin<&>", Password: "secret", Nonce: []byte("0123456789abcdef"),
		Created: time.Date(2014, 12, 24, 16, 29, 56, 117e6, time.UTC)}
	env, err := BuildEnvelope("<tds:GetDeviceInformation/>", u)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := ParseEnvelope(env)
	if err != nil {
		t.Fatalf("own envelope does not parse: %v\n%s", err, env)
	}
	if parsed.Operation != "GetDeviceInformation" {
		t.Errorf("operation %q", parsed.Operation)
	}
	for _, want := range []string{"<wsse:Username>admin&lt;&amp;&gt;</wsse:Username>",
		"<wsu:Created>2014-12-24T16:29:56.117Z</wsu:Created>", "MDEyMzQ1Njc4OWFiY2RlZg=="} {
		if !bytes.Contains(env, []byte(want)) {
			t.Errorf("envelope lacks %s", want)
		}
	}
	if bytes.Contains(env, []byte("secret")) {
		t.Error("password in clear")
	}
	// PasswordDigest = Base64(SHA1(nonce + created + password)), computed by hand:
	// printf '0123456789abcdef2014-12-24T16:29:56.117Zsecret' | sha1sum | xxd -r -p | base64
	if got := u.Digest("2014-12-24T16:29:56.117Z"); got != wantDigest {
		t.Errorf("digest %s want %s", got, wantDigest)
	}
}

func TestFault(t *testing.T) {
	tests := []struct {
		file string
		auth bool
	}{
		{"onvif-spec-notauthorized-fault.xml", true},
		{"gsoap-mockup-fault.xml", false},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			env, err := ParseEnvelope(probetest.Fixture(t, tc.file))
			if err != nil || env.Fault == nil {
				t.Fatalf("%+v %v", env, err)
			}
			if env.Fault.NotAuthorized() != tc.auth {
				t.Errorf("NotAuthorized %v for %+v", !tc.auth, env.Fault)
			}
		})
	}
}

const wantDigest = "rQlAZA4ILvVRqLONCFJwvW+gtAQ="
