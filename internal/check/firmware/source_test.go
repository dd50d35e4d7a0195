package firmware

import (
	"strings"
	"testing"
	"time"

	catalogfw "github.com/camwarden/camwarden/internal/catalog/firmware"
	"github.com/camwarden/camwarden/internal/probe"
)

func TestPublicSource(t *testing.T) {
	tests := []struct{ in, want string }{
		{"CISA KEV (cisagov/kev-data @eacf03e, CC0), data as of 2025-08-25; ranges/patterns transcribed in gen/overlay.json",
			"CISA KEV (cisagov/kev-data @eacf03e, CC0), data as of 2025-08-25"},
		{"CVE record CVEProject/cvelistV5 cves/2017/7xxx/CVE-2017-7921.json @0668; ranges/patterns transcribed in gen/overlay.json",
			"CVE record CVEProject/cvelistV5 cves/2017/7xxx/CVE-2017-7921.json @0668"},
		{"https://www.hikvision.com/en/support/download/firmware/", "https://www.hikvision.com/en/support/download/firmware/"},
	}
	for _, tc := range tests {
		if got := PublicSource(tc.in); got != tc.want {
			t.Errorf("PublicSource(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestNoInternalPathInFindings (issue 10.18): "gen/overlay.json", a file
// of camwarden's catalogue generator, was shown to users as a source.
// No firmware finding on any catalogued model carries one.
func TestNoInternalPathInFindings(t *testing.T) {
	cat, err := catalogfw.Default()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for i := range cat.Vulnerabilities {
		v := &cat.Vulnerabilities[i]
		c := checker{d: dev(probe.AttrVendor, v.Vendor), cat: cat, now: time.Now(), vendor: cat.Vendor(v.Vendor)}
		if c.vendor == nil {
			continue
		}
		c.scheme = c.vendor.Scheme
		f := c.vulnFinding(v, nil)
		checked++
		for k, val := range f.Evidence {
			if internalPath.MatchString(val) || strings.Contains(val, "overlay.json") {
				t.Errorf("%s %s evidence %s = %q names an internal file", f.ID, v.CVE, k, val)
			}
		}
	}
	for i := range cat.Families {
		fam := &cat.Families[i]
		c := checker{d: dev(probe.AttrVendor, fam.Vendor), cat: cat, now: time.Now(), vendor: cat.Vendor(fam.Vendor)}
		if f, ok := c.eol(fam); ok {
			checked++
			if strings.Contains(f.Evidence["catalogue_source"], "overlay.json") {
				t.Errorf("%s %s names an internal file", f.ID, fam.Name)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no finding checked")
	}
}
