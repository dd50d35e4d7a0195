package igd

import (
	"bytes"
	"errors"
	"testing"

	"github.com/camwarden/camwarden/internal/probe/probetest"
	"github.com/camwarden/camwarden/internal/probe/upnp"
)

// TestParseDescription: igd reads its service list through the UPnP probe's
// parser, so both packages' errors match and a DOCTYPE is refused.
func TestParseDescription(t *testing.T) {
	root := probetest.Fixture(t, "miniupnpd-2.3.1-rootdesc.xml")
	tests := []struct {
		name    string
		in      []byte
		wantErr bool
		control string // control URL of the best connection service
	}{
		{name: "miniupnpd capture", in: root, control: "/ctl/IPConn"},
		{name: "latin-1 declaration", control: "/ctl/IPConn",
			in: bytes.Replace(root, []byte(`<?xml version="1.0"?>`), []byte(`<?xml version="1.0" encoding="ISO-8859-1"?>`), 1)},
		{name: "doctype refused", wantErr: true,
			in: bytes.Replace(root, []byte(`<?xml version="1.0"?>`), []byte(`<?xml version="1.0"?><!DOCTYPE root [<!ENTITY a "aaaa">]>`), 1)},
		{name: "not a description", in: []byte(`<html><body>login</body></html>`), wantErr: true},
		{name: "truncated", in: root[:len(root)/2], wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParseDescription(tc.in)
			if tc.wantErr {
				if !errors.Is(err, ErrMalformed) || !errors.Is(err, upnp.ErrMalformed) {
					t.Fatalf("err = %v, want igd and upnp ErrMalformed", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			s, ok := d.connectionService()
			if !ok || s.ControlURL != tc.control || !IsV2(s.ServiceType) {
				t.Fatalf("connection service %+v (%v), want v2 at %s", s, ok, tc.control)
			}
		})
	}
}
