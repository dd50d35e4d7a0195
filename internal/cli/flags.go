package cli

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// parseInterspersed parses flags that may come before, between or after
// positional arguments ("scan 10.0.0.0/24 -p 80") and returns the
// positional arguments. "--" ends flag parsing.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usageError{err}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > 0 && len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool { return arg == "-h" || arg == "-help" || arg == "--help" }

func newFlagSet(name string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("camwarden "+name, flag.ContinueOnError)
	fs.SetOutput(w)
	return fs
}

// parsePorts parses "80,443,8000-8010" into a sorted, de-duplicated list.
func parsePorts(spec string) ([]uint16, error) {
	var out []uint16
	for tok := range strings.SplitSeq(spec, ",") {
		tok = strings.TrimSpace(tok)
		if tok == "" {
			continue
		}
		lo, hi, isRange := strings.Cut(tok, "-")
		a, err := parsePort(lo)
		if err != nil {
			return nil, fmt.Errorf("port %q: %w", tok, err)
		}
		b := a
		if isRange {
			if b, err = parsePort(hi); err != nil {
				return nil, fmt.Errorf("port %q: %w", tok, err)
			}
			if b < a {
				return nil, fmt.Errorf("port %q: range end below start", tok)
			}
		}
		for p := uint32(a); p <= uint32(b); p++ {
			out = append(out, uint16(p))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("port list %q is empty", spec)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func parsePort(s string) (uint16, error) {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 16)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("not a port number (1-65535)")
	}
	return uint16(n), nil
}
