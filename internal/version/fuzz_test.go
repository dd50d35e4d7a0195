package version

import (
	"errors"
	"testing"
)

// FuzzParse feeds every scheme with mutations of real version strings: the
// parser must never panic, must return ErrUnparseable on failure, and a
// parsed version must compare equal to itself.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"V5.5.82 build 190909", "V4.62.210", "5.8.41", "V5.4.0 Build 160530",
		"2.800.0000016.0.R,build:2020-06-05", "2.800.0000000.25.R, Build Date: 2019-07-31",
		"9.80.1", "5.20.5", "v2.0.0.1389_18081408", "B6103.16.10.B25.201218",
		"FullImg-1023-1007-1011-1009", "1.3.6 Build 230615 Rel.44178n", "0107a", "Mockup_15_14_13",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, scheme := range Schemes() {
			v, err := Parse(scheme, raw)
			if err != nil {
				if !errors.Is(err, ErrUnparseable) {
					t.Fatalf("Parse(%s, %q): error %v is not ErrUnparseable", scheme, raw, err)
				}
				continue
			}
			if Compare(v, v) != 0 {
				t.Fatalf("Parse(%s, %q): version not equal to itself", scheme, raw)
			}
		}
	})
}
