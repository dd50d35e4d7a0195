package password

import (
	"slices"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/catalog/creds"
)

func catalog(t *testing.T) *creds.Catalog {
	t.Helper()
	c, err := creds.Default()
	if err != nil {
		t.Fatalf("creds.Default: %v", err)
	}
	return c
}

func codes(r Result) []string {
	var out []string
	for _, rs := range r.Reasons {
		out = append(out, rs.Code)
	}
	return out
}

func TestGrade(t *testing.T) {
	cat := catalog(t)
	tests := []struct {
		name    string
		pw      string
		verdict Verdict
		want    []string // reason codes that must be present
		notWant []string // reason codes that must be absent
	}{
		{"empty", "", Default, []string{ReasonEmpty, ReasonShort, ReasonDefault}, nil},
		{"hikvision default", "12345", Default, []string{ReasonDefault, ReasonShort}, nil},
		{"dahua default", "admin", Default, []string{ReasonDefault}, nil},
		{"xiongmai telnet default any case", "XMHDIPC", Default, []string{ReasonDefault}, nil},
		{"axis default", "pass", Default, []string{ReasonDefault}, nil},
		{"mirai common", "xc3511", Weak, []string{ReasonListed, ReasonShort}, []string{ReasonDefault}},
		{"common list, 10+ chars", "password123", Weak, []string{ReasonListed}, []string{ReasonShort}},
		{"extended list only", "!manage", Weak, []string{ReasonListed}, nil},
		{"default plus digits", "admin2024!!", Weak, []string{ReasonVariant}, []string{ReasonShort}},
		{"leet of a listed word", "P@ssw0rd2025", Weak, []string{ReasonVariant}, []string{ReasonShort}},
		{"doubled listed word", "qwertyqwerty", Weak, []string{ReasonVariant}, nil},
		{"nine characters, random", "Xk7#mQ2p!", Weak, []string{ReasonShort}, []string{ReasonListed, ReasonVariant}},
		{"exactly ten, random", "Xk7#mQ2p!v", Strong, nil, []string{ReasonShort}},
		{"digits only, long", "8403917265", Weak, []string{ReasonFewClasses}, []string{ReasonShort}},
		{"lower only, long but guessable", "abcdefghijkl", Weak, []string{ReasonFewClasses, ReasonGuessable}, nil},
		{"passphrase", "violet-harbour-tractor-museum", Strong, nil, nil},
		{"strong mixed", "t7#Rq9!vLm2xWp", Strong, nil, nil},
		{"japanese passphrase", "しずかな港で赤い自転車が眠る", Strong, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Grade(tc.pw, cat)
			got := codes(r)
			if r.Verdict != tc.verdict {
				t.Errorf("verdict %s, want %s (%s)", r.Verdict, tc.verdict, r)
			}
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("reasons %v lack %q", got, w)
				}
			}
			for _, w := range tc.notWant {
				if slices.Contains(got, w) {
					t.Errorf("reasons %v contain %q", got, w)
				}
			}
			if tc.verdict == Strong && len(got) != 0 {
				t.Errorf("strong with reasons %v", got)
			}
			for _, rs := range r.Reasons {
				if rs.Text.EN == "" || rs.Text.JA == "" {
					t.Errorf("reason %s lacks a language: %+v", rs.Code, rs.Text)
				}
			}
		})
	}
}

func TestGradeFacts(t *testing.T) {
	r := Grade("Ab1!Ab1!Ab1!", nil)
	if r.Length != 12 || !r.Lower || !r.Upper || !r.Digit || !r.Symbol || r.Classes != 4 {
		t.Errorf("facts = %+v", r)
	}
	if r.GuessesLog10 <= 0 || r.Score < 0 || r.Score > 4 {
		t.Errorf("zxcvbn estimate = score %d, log10 %v", r.Score, r.GuessesLog10)
	}
	if r := Grade("パスワード", nil); r.Length != 5 {
		t.Errorf("length counts runes: got %d, want 5", r.Length)
	}
}

func TestGradeNeverContainsPassword(t *testing.T) {
	cat := catalog(t)
	for _, pw := range []string{"12345", "Xk7#mQ2p!v", "admin2024!!", "violet-harbour-tractor-museum"} {
		r := Grade(pw, cat)
		for _, s := range []string{r.String(), r.GoString(), r.Summary().EN, r.Summary().JA} {
			if pw != "12345" && strings.Contains(s, pw) {
				t.Errorf("output %q contains the password", s)
			}
		}
		for _, rs := range r.Reasons {
			if len(pw) >= 6 && (strings.Contains(rs.Text.EN, pw) || strings.Contains(rs.Text.JA, pw)) {
				t.Errorf("reason %s contains the password", rs.Code)
			}
		}
	}
}

func TestGradeLongInputIsBounded(t *testing.T) {
	r := Grade(strings.Repeat("aB3$", 5000), nil)
	if r.Length != 20000 || r.Score < 0 {
		t.Errorf("long password: %s", r)
	}
}

func TestVariants(t *testing.T) {
	tests := []struct {
		pw   string
		want string
	}{
		{"admin123", "admin"},
		{"123admin", "admin"},
		{"!!admin!!", "admin"},
		{"qwertyqwerty", "qwerty"},
		{"p@ssw0rd", "password"},
		{"P@ssw0rd2025", "P@ssw0rd"},
	}
	for _, tc := range tests {
		t.Run(tc.pw, func(t *testing.T) {
			if got := variants(tc.pw); !slices.Contains(got, tc.want) {
				t.Errorf("variants(%q) = %q, want %q among them", tc.pw, got, tc.want)
			}
		})
	}
	if got := variants("ab12"); len(got) != 0 {
		t.Errorf("variants(ab12) = %q, want none (base too short)", got)
	}
}
