// Package termsafe is the one sanitiser of text that reaches a terminal
// from outside camwarden: device replies (banners, model names, SOAP
// faults in router errors), the history store, fleet queue entries (site
// names) and installed catalogues. A control character or escape sequence
// in such text could move the cursor, rewrite earlier lines, change the
// window title or hide text; here every one of them is shown as a
// visible escape (\r, \x1b, \u202e) instead.
//
// Escaped: C0 controls and DEL, C1 controls (U+0080-U+009F, which some
// terminals take as CSI and OSC), Unicode bidirectional controls (which
// reorder what is shown) and bytes that are not UTF-8 (a lone 0x9B is CSI
// to an 8-bit terminal). Line escapes newlines and tabs too; Text and
// Writer keep them, for multi-line output that camwarden lays out itself.
package termsafe

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Line returns s safe to print as part of one line.
func Line(s string) string { return clean(s, false) }

// Text returns s safe to print, keeping newlines and tabs.
func Text(s string) string { return clean(s, true) }

func clean(s string, multiline bool) string {
	if safe(s, multiline) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case multiline && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case dangerous(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// safe is the fast path: true when clean would return s unchanged.
func safe(s string, multiline bool) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && !(multiline && (c == '\n' || c == '\t'))) || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || dangerous(r) {
			return false
		}
		i += size
	}
	return true
}

// dangerous reports the non-ASCII runes that control a terminal or the
// order in which text is shown.
func dangerous(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f: // C1 controls
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f: // bidi marks
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // bidi embeddings, overrides, isolates
		return true
	}
	return false
}

// Writer passes everything written through Text, for output that is
// plain text from end to end (no colour of camwarden's own). A UTF-8
// sequence split across two writes is held back until it is complete.
type Writer struct {
	w       io.Writer
	pending []byte
}

// NewWriter returns a Writer that sanitises what it writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write implements io.Writer. It reports len(p) on success, whatever
// the escaping added.
func (w *Writer) Write(p []byte) (int, error) {
	buf := append(w.pending, p...)
	w.pending = nil
	// Hold back an incomplete UTF-8 sequence at the end (at most 3 bytes).
	cut := len(buf)
	for back := 1; back <= 3 && back <= len(buf); back++ {
		c := buf[len(buf)-back]
		if c < utf8.RuneSelf {
			break
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(buf[len(buf)-back:]) {
				cut = len(buf) - back
			}
			break
		}
	}
	w.pending = append([]byte(nil), buf[cut:]...)
	if _, err := io.WriteString(w.w, Text(string(buf[:cut]))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes a held-back incomplete sequence (escaped) at the end.
func (w *Writer) Flush() error {
	if len(w.pending) == 0 {
		return nil
	}
	_, err := io.WriteString(w.w, Text(string(w.pending)))
	w.pending = nil
	return err
}
