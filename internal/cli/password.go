package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/password"
)

// maxPasswordBytes caps what `password check` reads from stdin.
const maxPasswordBytes = 4096

// runPassword implements `camwarden password check`: it reads one
// password from standard input (with echo off on a terminal), grades it
// and prints the grade. Exit 0 when strong, 1 when weak or a default.
// The password is never printed, logged or accepted on the command line.
func runPassword(ctx context.Context, args []string, stdio IO) (int, error) {
	fs := newFlagSet("password check", stdio.Err)
	lang := fs.String("lang", "", "output language: en or ja (default from LC_ALL/LC_MESSAGES/LANG)")
	fs.Usage = func() {
		fmt.Fprint(stdio.Err, `Usage: camwarden password check [--lang en|ja] < file

Reads ONE password from standard input (typed with echo off on a terminal,
or piped) and grades it: at least 10 characters, not a factory default, not
in the common password lists, character classes and an entropy estimate.
Exit status 0 when strong, 1 when weak or a factory default.

`)
		fs.PrintDefaults()
	}
	if len(args) > 0 && isHelp(args[0]) {
		fs.Usage()
		return ExitOK, nil
	}
	if len(args) == 0 || args[0] != "check" {
		fs.Usage()
		return ExitUsage, usagef("want the subcommand \"check\"")
	}
	// Refuse anything but the known flags before parsing, so that an
	// argument that may be the password is never echoed in an error.
	if !onlyKnownFlags(args[1:]) {
		return ExitUsage, usagef("unexpected argument: the password is read from standard input only, " +
			"never from the command line, where the process list and shell history would keep it")
	}
	if _, err := parseInterspersed(fs, args[1:]); err != nil {
		return ExitUsage, err
	}
	l := *lang
	if l == "" {
		l = langFromEnv(os.Getenv)
	}
	if l != "en" && l != "ja" {
		return ExitUsage, usagef("--lang %q: want en or ja", l)
	}
	cat, err := creds.Default()
	if err != nil {
		return ExitError, fmt.Errorf("password check: %w", err)
	}
	pw, err := readPassword(ctx, stdio)
	if err != nil {
		return ExitError, fmt.Errorf("password check: %w", err)
	}
	g := password.Grade(pw, cat)
	printGrade(stdio.Out, g, l)
	if g.Verdict == password.Strong {
		return ExitOK, nil
	}
	return ExitFindings, nil
}

// onlyKnownFlags reports whether args hold nothing but --lang [value],
// --lang=value and -h/--help.
func onlyKnownFlags(args []string) bool {
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--lang" || a == "-lang":
			i++ // its value
		case strings.HasPrefix(a, "--lang=") || strings.HasPrefix(a, "-lang="):
		case a == "-h" || a == "-help" || a == "--help":
		default:
			return false
		}
	}
	return true
}

// langFromEnv picks "ja" when the locale (LC_ALL, LC_MESSAGES, LANG in
// POSIX precedence) is Japanese, else "en".
func langFromEnv(getenv func(string) string) string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "ja") {
				return "ja"
			}
			return "en"
		}
	}
	return "en"
}

// readPassword reads one password: from a terminal with echo off, else
// the first line of stdin (at most maxPasswordBytes; a trailing CR/LF is
// removed). Further non-empty lines are refused so that a wrong file is
// not graded by accident.
func readPassword(ctx context.Context, stdio IO) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if f, ok := stdio.In.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stdio.Err, "Password (not shown): ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdio.Err)
		if err != nil {
			return "", fmt.Errorf("read password from terminal: %w", err)
		}
		if len(b) > maxPasswordBytes {
			return "", fmt.Errorf("password longer than %d bytes", maxPasswordBytes)
		}
		return string(b), nil
	}
	data, err := io.ReadAll(io.LimitReader(stdio.In, maxPasswordBytes+1))
	if err != nil {
		return "", fmt.Errorf("read standard input: %w", err)
	}
	if len(data) > maxPasswordBytes {
		return "", fmt.Errorf("standard input longer than %d bytes: give one password", maxPasswordBytes)
	}
	if len(data) == 0 {
		return "", errors.New("no password on standard input (an empty line grades an empty password)")
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, len(data)+1), len(data)+1)
	var first string
	for n := 0; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if n == 0 {
			first = line
		} else if line != "" {
			return "", errors.New("standard input holds more than one line: give one password")
		}
	}
	return first, sc.Err()
}

// printGrade writes the grade in one language; it never has the password.
func printGrade(w io.Writer, g password.Result, lang string) {
	pick := func(en, ja string) string {
		if lang == "ja" {
			return ja
		}
		return en
	}
	verdict := map[password.Verdict]string{password.Strong: pick("STRONG", "強い"),
		password.Weak: pick("WEAK", "弱い"), password.Default: pick("FACTORY DEFAULT", "初期設定のまま")}[g.Verdict]
	fmt.Fprintf(w, "%s %s\n", pick("Password check:", "パスワード診断:"), verdict)
	for _, r := range g.Reasons {
		fmt.Fprintf(w, "  - %s\n", pick(r.Text.EN, r.Text.JA))
	}
	var kinds []string
	for _, k := range []struct {
		on     bool
		en, ja string
	}{{g.Lower, "lower-case", "英小文字"}, {g.Upper, "upper-case", "英大文字"}, {g.Digit, "digits", "数字"}, {g.Symbol, "symbols/other", "記号など"}} {
		if k.on {
			kinds = append(kinds, pick(k.en, k.ja))
		}
	}
	fmt.Fprintf(w, pick("  length %d, %d of 4 character kinds (%s), zxcvbn %d/4, about 10^%.0f guesses\n",
		"  %d文字、文字の種類 %d/4（%s）、zxcvbnスコア %d/4、推定試行回数 約10^%.0f回\n"),
		g.Length, g.Classes, strings.Join(kinds, ", "), g.Score, g.GuessesLog10)
	s := g.Summary()
	fmt.Fprintln(w, pick(s.EN, s.JA))
}
