package password

import (
	"strings"
	"unicode"
)

// minBase is the shortest base word a variant may reduce to; shorter
// bases ("ab" + digits) say nothing useful.
const minBase = 4

// leet maps look-alike substitutions back to letters.
var leet = strings.NewReplacer("0", "o", "1", "i", "3", "e", "4", "a", "5", "s", "7", "t", "@", "a", "$", "s", "!", "i")

// variants returns the base words pw trivially derives from: digits and
// symbols trimmed from either end, a doubled word halved, look-alike
// substitutions undone. Bases equal to pw or shorter than minBase are
// dropped; the order is most specific first.
func variants(pw string) []string {
	notLetter := func(r rune) bool { return !unicode.IsLetter(r) }
	var out []string
	seen := map[string]bool{pw: true}
	add := func(s string) {
		if len([]rune(s)) >= minBase && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	add(strings.TrimRightFunc(pw, notLetter))
	add(strings.TrimLeftFunc(pw, notLetter))
	add(strings.TrimFunc(pw, notLetter))
	if n := len(pw); n%2 == 0 && n >= 2*minBase && pw[:n/2] == pw[n/2:] {
		add(pw[:n/2])
	}
	// Undo look-alikes inside the word, then trim what is left at the ends
	// (so "p@ssw0rd!" -> "passwordi" -> also tried without the tail).
	core := strings.TrimRightFunc(pw, func(r rune) bool { return unicode.IsDigit(r) || r == '!' || r == '?' || r == '.' })
	add(strings.TrimFunc(leet.Replace(core), notLetter))
	add(strings.TrimFunc(leet.Replace(pw), notLetter))
	return out
}
