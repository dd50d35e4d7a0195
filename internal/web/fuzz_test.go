package web

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzClean: whatever a device sends, the text shown is valid UTF-8 with
// no control or bidi character and a bounded length.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"<script>alert(1)</script>", "\x1b[2J\x1b[31mOWNED\x07\r\n", "\xff\xfe", "a\u202eb", "日本語", strings.Repeat("x", 400)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := clean(s)
		if !utf8.ValidString(out) || utf8.RuneCountInString(out) > 301 {
			t.Fatalf("clean(%q) = %q", s, out)
		}
		for _, r := range out {
			if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
				t.Fatalf("clean(%q) kept %U", s, r)
			}
		}
	})
}
