// Package password grades an administrator's own password the way the
// ministry's checklist words it: at least 10 characters, not left at the
// factory default, not in the lists attackers use, and hard to guess
// (character classes and a zxcvbn entropy estimate).
//
// The password itself is never stored in the Result, logged or printed;
// Result.String and the reasons only describe it.
package password

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/trustelem/zxcvbn"
)

// MinLength is the ministry's minimum password length.
const MinLength = 10

// passphraseRunes is the length from which a password zxcvbn rates 4/4
// passes without mixing character classes (a passphrase, or Japanese
// text, which has no upper/lower case).
const passphraseRunes = 14

// zxcvbnMaxRunes bounds the part of the password zxcvbn analyses (its
// cost grows quickly with length; anything longer is long enough).
const zxcvbnMaxRunes = 64

// Verdict is the overall grade.
type Verdict int

// Verdicts, best first.
const (
	Strong  Verdict = iota // meets every rule
	Weak                   // too short, listed, a variant, few classes or guessable
	Default                // a factory default (or no password at all)
)

var verdictNames = [...]string{"strong", "weak", "default"}

// String returns "strong", "weak" or "default".
func (v Verdict) String() string {
	if v < 0 || int(v) >= len(verdictNames) {
		return "unknown"
	}
	return verdictNames[v]
}

// MarshalText implements encoding.TextMarshaler.
func (v Verdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// Reason codes, stable for tests and JSON.
const (
	ReasonEmpty      = "empty"
	ReasonShort      = "too-short"
	ReasonDefault    = "factory-default"
	ReasonListed     = "listed"
	ReasonVariant    = "variant-of-listed"
	ReasonFewClasses = "few-classes"
	ReasonGuessable  = "guessable"
)

// Reason is one rule the password breaks, in both languages.
type Reason struct {
	Code string       `json:"code"`
	Text finding.Text `json:"text"`
}

// Result is the grade of one password. It holds no part of the password.
type Result struct {
	Verdict Verdict `json:"verdict"`
	Length  int     `json:"length"` // characters (runes)
	Lower   bool    `json:"lower"`
	Upper   bool    `json:"upper"`
	Digit   bool    `json:"digit"`
	Symbol  bool    `json:"symbol"`
	Classes int     `json:"classes"` // how many of the four kinds are used
	// Score is zxcvbn's 0 (too guessable) to 4 (very unguessable).
	Score int `json:"score"`
	// GuessesLog10 is zxcvbn's estimate of guesses needed, log10.
	GuessesLog10 float64 `json:"guesses_log10"`
	// Listed is the catalogue entry the password (or its base, when
	// Variant) matched, by name only.
	Listed  string   `json:"listed,omitempty"`
	Variant bool     `json:"variant,omitempty"`
	Reasons []Reason `json:"reasons,omitempty"`
}

// String summarises the grade in English without the password.
func (r Result) String() string {
	codes := make([]string, len(r.Reasons))
	for i, rs := range r.Reasons {
		codes[i] = rs.Code
	}
	s := fmt.Sprintf("%s (length %d, %d character classes, zxcvbn %d/4, 10^%.1f guesses)",
		r.Verdict, r.Length, r.Classes, r.Score, r.GuessesLog10)
	if len(codes) > 0 {
		s += ": " + strings.Join(codes, ", ")
	}
	return s
}

// GoString keeps %#v as safe as %v.
func (r Result) GoString() string { return "password.Result{" + r.String() + "}" }

// Summary is the one-line verdict in both languages.
func (r Result) Summary() finding.Text {
	switch r.Verdict {
	case Strong:
		return finding.Text{
			EN: "Strong: at least 10 characters, not a factory default or a listed password, and hard to guess.",
			JA: "強いパスワードです。10文字以上で、初期設定や公開された一覧のパスワードではなく、推測されにくいものです。"}
	case Default:
		return finding.Text{
			EN: "Factory default: change it now, never leave the initial setting.",
			JA: "初期設定のパスワードです。初期設定のままにせず、すぐに変更してください。"}
	}
	return finding.Text{
		EN: "Weak: change it to a password of 10 or more characters that is hard to guess.",
		JA: "弱いパスワードです。10文字以上の、推測されにくいパスワードに変更してください。"}
}

// Grade grades pw against the rules and the catalogue's default, common
// and extended lists (cat may be nil: the list checks are then skipped).
func Grade(pw string, cat *creds.Catalog) Result {
	r := Result{Length: utf8.RuneCountInString(pw)}
	for _, c := range pw {
		switch {
		case unicode.IsLower(c):
			r.Lower = true
		case unicode.IsUpper(c):
			r.Upper = true
		case unicode.IsDigit(c):
			r.Digit = true
		default:
			r.Symbol = true
		}
	}
	for _, b := range []bool{r.Lower, r.Upper, r.Digit, r.Symbol} {
		if b {
			r.Classes++
		}
	}
	r.Score, r.GuessesLog10 = estimate(pw)

	if pw == "" {
		r.add(ReasonEmpty, "No password is set: anyone who reaches the device can sign in.",
			"パスワードが設定されていません。機器に接続できる人なら誰でもログインできます。")
	}
	if r.Length < MinLength {
		r.add(ReasonShort, fmt.Sprintf("%d characters: use at least %d.", r.Length, MinLength),
			fmt.Sprintf("パスワードが%d文字です。%d文字以上にしてください。", r.Length, MinLength))
	}
	isDefault := r.checkLists(pw, cat)
	if r.Classes < 2 && !(r.Length >= passphraseRunes && r.Score == 4) && pw != "" {
		r.add(ReasonFewClasses, fmt.Sprintf("Uses only %d kind of character: mix upper- and lower-case letters, digits and symbols.", r.Classes),
			fmt.Sprintf("使われている文字の種類が%d種類だけです。英大文字・英小文字・数字・記号を組み合わせてください。", r.Classes))
	}
	if r.Score < 3 && pw != "" {
		r.add(ReasonGuessable, fmt.Sprintf("Easy to guess: about 10^%.0f guesses (zxcvbn score %d of 4).", r.GuessesLog10, r.Score),
			fmt.Sprintf("推測されやすいパスワードです（推定試行回数 約10^%.0f回、zxcvbnスコア %d/4）。推測されにくいものにしてください。", r.GuessesLog10, r.Score))
	}
	switch {
	case isDefault:
		r.Verdict = Default
	case len(r.Reasons) > 0:
		r.Verdict = Weak
	default:
		r.Verdict = Strong
	}
	return r
}

func (r *Result) add(code, en, ja string) {
	r.Reasons = append(r.Reasons, Reason{Code: code, Text: finding.Text{EN: en, JA: ja}})
}

// checkLists looks pw and its trivial variants up in the catalogue and
// reports whether it is a factory default.
func (r *Result) checkLists(pw string, cat *creds.Catalog) bool {
	if cat == nil {
		return false
	}
	if m, ok := cat.FindPassword(pw); ok {
		r.Listed = m.Name
		if m.Default {
			r.add(ReasonDefault, "This is a factory default password ("+m.Name+"): never leave the initial setting.",
				"初期設定のパスワード（"+m.Name+"）です。初期設定のままにしないでください。")
			return true
		}
		r.add(ReasonListed, "Appears in the public password lists attackers try ("+m.Name+", "+m.Tier.String()+" tier).",
			"攻撃者が試す公開パスワード一覧に含まれています（"+m.Name+"）。推測されにくいものにしてください。")
		return false
	}
	for _, base := range variants(pw) {
		if m, ok := cat.FindPassword(base); ok {
			r.Listed, r.Variant = m.Name, true
			r.add(ReasonVariant, "Only a trivial variant of a listed password ("+m.Name+"): added digits or symbols, doubled, or letters swapped for look-alikes.",
				"一覧にあるパスワード（"+m.Name+"）に数字や記号を付け足す、繰り返す、似た文字に置き換えるなどしただけのものです。")
			return false
		}
	}
	return false
}

// estimate runs zxcvbn on at most zxcvbnMaxRunes runes of pw, with the
// words an attacker of a camera would try first as user inputs.
func estimate(pw string) (score int, log10 float64) {
	if pw == "" {
		return 0, 0
	}
	if utf8.RuneCountInString(pw) > zxcvbnMaxRunes {
		pw = string([]rune(pw)[:zxcvbnMaxRunes])
	}
	res := zxcvbn.PasswordStrength(pw, []string{"admin", "camera", "password", "root", "user", "hikvision", "dahua", "axis", "camwarden"})
	g := res.Guesses
	if g < 1 {
		g = 1
	}
	return res.Score, math.Round(math.Log10(g)*10) / 10
}
