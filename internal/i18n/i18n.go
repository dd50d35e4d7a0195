// Package i18n holds every user-interface string of camwarden's reports in
// English and Japanese, and picks the language from a flag or the locale.
// Finding titles and remediation come with the findings themselves
// (finding.Text); this catalogue holds the headings, labels and words
// around them.
package i18n

import (
	"fmt"
	"strings"
)

// Lang is a report language.
type Lang string

// The supported languages.
const (
	EN Lang = "en"
	JA Lang = "ja"
)

// Langs lists the supported languages in a fixed order.
func Langs() []Lang { return []Lang{EN, JA} }

// UnknownLangError reports a --lang value that is not supported.
type UnknownLangError struct{ Name string }

func (e *UnknownLangError) Error() string {
	return fmt.Sprintf("unknown language %q: want en or ja", e.Name)
}

// Parse reads "en" or "ja" (case-insensitive; "" means English).
func Parse(name string) (Lang, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "en":
		return EN, nil
	case "ja":
		return JA, nil
	}
	return "", &UnknownLangError{Name: name}
}

// FromLocale picks the language from the POSIX locale variables in their
// order of precedence (LC_ALL, LC_MESSAGES, LANG): a value starting with
// "ja" selects Japanese, anything else English. getenv is os.Getenv in
// the CLI and a map lookup in tests.
func FromLocale(getenv func(string) string) Lang {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		if strings.HasPrefix(strings.ToLower(v), "ja") {
			return JA
		}
		return EN
	}
	return EN
}

// Choose returns the language named by flag, or the locale's when flag is
// empty.
func Choose(flag string, getenv func(string) string) (Lang, error) {
	if strings.TrimSpace(flag) == "" {
		return FromLocale(getenv), nil
	}
	return Parse(flag)
}

// Printer looks up UI strings in one language.
type Printer struct {
	lang Lang
	msgs map[Key]message
}

// New returns a printer for lang (English for an unknown value).
func New(lang Lang) *Printer {
	if lang != JA {
		lang = EN
	}
	return &Printer{lang: lang, msgs: catalogue()}
}

// Lang returns the printer's language.
func (p *Printer) Lang() Lang { return p.lang }

// T returns the message for key; an unknown key renders as "!key" so a
// missing entry is visible rather than silent.
func (p *Printer) T(key Key) string {
	m, ok := p.msgs[key]
	if !ok {
		return "!" + string(key)
	}
	if p.lang == JA {
		return m.ja
	}
	return m.en
}

// F formats the message for key with fmt verbs.
func (p *Printer) F(key Key, args ...any) string { return fmt.Sprintf(p.T(key), args...) }

// Both returns the English and Japanese text of key, for documents that
// carry both (the scan JSON).
func Both(key Key, args ...any) (en, ja string) {
	m := catalogue()[key]
	return fmt.Sprintf(m.en, args...), fmt.Sprintf(m.ja, args...)
}

// Keys lists every key in the catalogue, in catalogue order.
func Keys() []Key {
	entries := entries()
	out := make([]Key, len(entries))
	for i, e := range entries {
		out[i] = e.key
	}
	return out
}

// Lookup returns the English and Japanese text of key and whether it exists.
func Lookup(key Key) (en, ja string, ok bool) {
	m, ok := catalogue()[key]
	return m.en, m.ja, ok
}

type message struct{ en, ja string }

type entry struct {
	key    Key
	en, ja string
}

func catalogue() map[Key]message {
	es := entries()
	m := make(map[Key]message, len(es))
	for _, e := range es {
		m[e.key] = message{e.en, e.ja}
	}
	return m
}
