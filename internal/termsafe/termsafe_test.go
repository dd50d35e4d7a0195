package termsafe

import (
	"bytes"
	"strings"
	"testing"
)

func TestLineAndText(t *testing.T) {
	tests := []struct {
		name, in, line, text string
	}{
		{"plain", "Hikvision DS-2CD2042WD-I", "Hikvision DS-2CD2042WD-I", "Hikvision DS-2CD2042WD-I"},
		{"japanese", "ネットワークカメラ ー 録画機", "ネットワークカメラ ー 録画機", "ネットワークカメラ ー 録画機"},
		{"SOAP fault with CR LF", "s:Sender\r\nfake: ok\r", `s:Sender\r\nfake: ok\r`, "s:Sender\\r\nfake: ok\\r"},
		{"ANSI clear screen", "\x1b[2J\x1b[Hpwned", `\x1b[2J\x1b[Hpwned`, `\x1b[2J\x1b[Hpwned`},
		{"OSC title", "\x1b]0;owned\x07", `\x1b]0;owned\x07`, `\x1b]0;owned\x07`},
		{"C1 CSI rune", "a\u009b2Jb", `a\u009b2Jb`, `a\u009b2Jb`},
		{"lone 0x9b byte", "a\x9b2Jb", `a\x9b2Jb`, `a\x9b2Jb`},
		{"bidi override", "admin\u202egnp.exe", `admin\u202egnp.exe`, `admin\u202egnp.exe`},
		{"tab and DEL", "a\tb\x7f", `a\tb\x7f`, "a\tb\\x7f"},
		{"backspace overwrite", "critical\b\b\b\b\b\b\b\bok      ", `critical\x08\x08\x08\x08\x08\x08\x08\x08ok      `, `critical\x08\x08\x08\x08\x08\x08\x08\x08ok      `},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Line(tc.in); got != tc.line {
				t.Errorf("Line = %q, want %q", got, tc.line)
			}
			if got := Text(tc.in); got != tc.text {
				t.Errorf("Text = %q, want %q", got, tc.text)
			}
		})
	}
}

func TestWriterSplitsRunes(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	in := "サイト\x1b[31m東京\n"
	for i := range len(in) { // one byte per write: every rune is split
		if _, err := w.Write([]byte{in[i]}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if want := "サイト\\x1b[31m東京\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{"\x1b[2J", "a\u009bb", "\xff\xfe", "ok", "東京\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{Line(s), Text(s)} {
			for _, r := range out {
				if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || dangerous(r) {
					t.Fatalf("%q left control %U in %q", s, r, out)
				}
			}
		}
		if strings.ContainsAny(Line(s), "\n\t") {
			t.Fatalf("Line(%q) kept a newline or tab", s)
		}
	})
}
