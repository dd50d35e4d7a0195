package identity

import (
	"testing"
	"unicode/utf8"

	"github.com/camwarden/camwarden/internal/probe"
)

var parsers = []func([]byte) ([]probe.Claim, error){
	ParseISAPI, ParseONVIFDeviceInformation, ParseFoscamDevInfo, ParseDahuaCGI, ParseAxisParam,
	ParseVivotek, ParseSUNAPI, ParseUniviewLAPI, ParseAxisBasicDeviceInfo, ParseReolinkDevInfo, ParseDahuaRPC2,
	ParseAVTECHCapability,
}

// FuzzParsers feeds every identity parser the same device reply, seeded
// with the real captures of the table test: none may panic, and every
// claim must be a known attribute with a printable, bounded value and a
// confidence in (0,1].
func FuzzParsers(f *testing.F) {
	for _, fx := range fixtures {
		f.Add(read(f, fx.name))
	}
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><DeviceInfo><model>&e;</model></DeviceInfo>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = ReolinkLoginRequired(b)
		for _, parse := range parsers {
			cl, err := parse(b)
			if err != nil && len(cl) > 0 {
				t.Fatalf("claims with an error: %v", cl)
			}
			for _, c := range cl {
				if c.Value == "" || !utf8.ValidString(c.Value) || len(c.Value) > MaxValue+8 {
					t.Fatalf("bad value %q", c.Value)
				}
				if !(c.Confidence > 0 && c.Confidence <= 1) || c.Source == "" {
					t.Fatalf("bad claim %+v", c)
				}
			}
		}
	})
}
