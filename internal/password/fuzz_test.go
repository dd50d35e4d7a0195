package password

import (
	"testing"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"unicode/utf8"
)

// FuzzGrade checks that any input grades without panicking and that the
// facts agree with the input (Grade reads administrator input, not device
// input, but it must never fail on odd bytes).
func FuzzGrade(f *testing.F) {
	cat, err := creds.Default()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"", "12345", "xmhdipc", "P@ssw0rd2025", "violet-harbour-tractor-museum", "\xff\xfe", "しずかな港"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, pw string) {
		r := Grade(pw, cat)
		if r.Length != utf8.RuneCountInString(pw) {
			t.Errorf("length %d, want %d", r.Length, utf8.RuneCountInString(pw))
		}
		if r.Verdict < Strong || r.Verdict > Default || r.Score < 0 || r.Score > 4 {
			t.Errorf("out of range: %s", r)
		}
		if r.Verdict == Strong && (len(r.Reasons) != 0 || r.Length < MinLength) {
			t.Errorf("strong but %s", r)
		}
	})
}
