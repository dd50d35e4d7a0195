package report

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// displayWidth is the number of terminal cells s takes: East Asian wide
// and fullwidth characters (kanji, kana, the long-vowel mark ー, fullwidth
// forms) two, combining marks and zero-width characters none, ANSI colour
// sequences (ESC [ ... m) none, everything else one.
func displayWidth(s string) int {
	n, esc := 0, false
	for _, r := range s {
		switch {
		case esc:
			esc = r != 'm'
		case r == '\x1b':
			esc = true
		default:
			n += runeWidth(r)
		}
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case r == '\u200b' || r == '\u200d' || r == '\ufeff':
		return 0
	case unicode.In(r, unicode.Mn, unicode.Me):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// truncate cuts s to at most w cells, ending with "…" when it cut. s must
// not hold colour sequences.
func truncate(s string, w int) string {
	if displayWidth(s) <= w {
		return s
	}
	if w <= 0 {
		return ""
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		rw := runeWidth(r)
		if n+rw > w-1 {
			break
		}
		b.WriteRune(r)
		n += rw
	}
	return b.String() + "…"
}

// pad right-pads s with spaces to w cells.
func pad(s string, w int) string {
	return s + strings.Repeat(" ", max(0, w-displayWidth(s)))
}
