package lab

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	catalog "github.com/camwarden/camwarden/internal/catalog/fingerprint"
)

// labIdentifiers are the values that name one simulated unit: serials,
// MACs (with and without colons) and UUIDs of the device table.
func labIdentifiers() []string {
	var out []string
	for _, d := range deviceTable() {
		for _, v := range []string{d.Serial, d.Extra["MAC"], d.Extra["UUID"]} {
			if len(v) >= 6 {
				out = append(out, v, strings.ReplaceAll(v, ":", ""))
			}
		}
	}
	return out
}

var (
	reFixtureMAC    = regexp.MustCompile(`(?i)\b(?:[0-9a-f]{2}[:-]){5}[0-9a-f]{2}\b|\b[0-9A-F]{12}\b`)
	reFixtureSerial = regexp.MustCompile(`(?i)(?:serial(?:number)?|serialNo)["']?\s*[:=>]\s*["']?([0-9A-Za-z/_-]{8,})`)
	reLabAddress    = regexp.MustCompile(`127\\?\.7[789]\\?\.`)
)

// fixtureIdentifiers are the MACs and serial numbers in the repository's
// test fixtures (every testdata folder and the lab's responses).
func fixtureIdentifiers(t *testing.T) []string {
	t.Helper()
	seen := map[string]bool{}
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			if e.Name() == ".git" || e.Name() == ".tmp" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.Contains(filepath.ToSlash(p), "/testdata/") && !strings.Contains(filepath.ToSlash(p), "/lab/responses/") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range reFixtureMAC.FindAllString(string(b), -1) {
			if strings.ContainsAny(m, "0123456789") && strings.ContainsAny(strings.ToUpper(m), "ABCDEF") {
				seen[strings.ToUpper(strings.NewReplacer(":", "", "-", "").Replace(m))] = true
			}
		}
		for _, m := range reFixtureSerial.FindAllStringSubmatch(string(b), -1) {
			seen[strings.ToUpper(m[1])] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	return out
}

// TestRulesQuoteNoUnit checks that no fingerprint rule quotes what names
// one unit rather than a vendor: a lab address, a lab device's serial,
// MAC or UUID (in its pattern, fixed model or examples), or a serial or
// MAC of a test fixture (in its pattern or fixed model). Such a rule would
// identify the lab or a fixture, and nothing else.
func TestRulesQuoteNoUnit(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	lab := labIdentifiers()
	fixtures := fixtureIdentifiers(t)
	if len(lab) == 0 || len(fixtures) < 10 {
		t.Fatalf("found %d lab and %d fixture identifiers: the scan is broken", len(lab), len(fixtures))
	}
	for _, r := range cat.Rules {
		logic := strings.ToUpper(r.Pattern + "\x00" + r.Model)
		// A pattern's escapes (\.) and classes are not part of a literal.
		literal := strings.NewReplacer(`\`, "", "(?I)", "").Replace(logic)
		text := logic
		for _, ex := range r.Examples {
			text += "\x00" + strings.ToUpper(ex.Text)
		}
		if reLabAddress.MatchString(r.Pattern) || reLabAddress.MatchString(text) {
			t.Errorf("rule %s quotes a lab address", r.ID)
		}
		for _, id := range lab {
			if strings.Contains(text, strings.ToUpper(id)) {
				t.Errorf("rule %s quotes lab identifier %q", r.ID, id)
			}
		}
		for _, id := range fixtures {
			if strings.Contains(literal, id) {
				t.Errorf("rule %s quotes fixture identifier %q", r.ID, id)
			}
		}
	}
}
