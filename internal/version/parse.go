package version

import (
	"fmt"
	"regexp"
	"strings"
)

// format is one vendor's version syntax: an expression, which groups are
// release numbers, which is the build date, and which are kept as Extra.
type format struct {
	re    *regexp.Regexp
	nums  []int // submatch indexes of release numbers, in order
	build []int // submatch indexes that may hold the build date (first non-empty wins)
	extra []int // submatch indexes kept as Extra
}

// formats holds, per scheme, the syntaxes it accepts, tried in order.
// Each comes from real strings (see version_test.go for their sources).
var formats = map[Scheme][]format{
	SchemeHikvision: {{
		// V5.5.82 build 190909, V4.62.210, 5.8.41 (download centre), V5.4.0 Build 160530
		re:    regexp.MustCompile(`^[Vv]?(\d{1,3})\.(\d{1,4})\.(\d{1,4})(?:\s*[Bb]uild\s*(\d{6}))?$`),
		nums:  []int{1, 2, 3},
		build: []int{4},
	}},
	SchemeDahua: {{
		// 2.800.0000000.25.R, Build Date: 2019-07-31 ; 2.800.0000016.0.R,build:2020-06-05 ;
		// V2.800.0000000.25.R.190731 ; V2.520.AC00.18.R
		re: regexp.MustCompile(`^[Vv]?(\d{1,3})\.(\d{1,4})\.([0-9A-Za-z]{1,12})\.(\d{1,4})\.([A-Za-z])` +
			`(?:\s*[,.]?\s*(?:(?:[Bb]uild(?:\s*[Dd]ate)?\s*:\s*)?(\d{4}-\d{2}-\d{2})|(\d{6})))?$`),
		nums:  []int{1, 2, 4},
		build: []int{6, 7},
		extra: []int{3, 5},
	}},
	SchemeAxis: {{
		// 10.12.153, 5.51.7.2, 9.80.1, 5.20.5
		re:   regexp.MustCompile(`^(\d{1,3})\.(\d{1,4})(?:\.(\d{1,4}))?(?:\.(\d{1,4}))?$`),
		nums: []int{1, 2, 3, 4},
	}},
	SchemeReolink: {{
		// v3.0.0.2356_23062000, v2.0.0.1389_18081408 (yymmdd + two digits)
		re:    regexp.MustCompile(`^[Vv]?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,6})_(\d{6})\d{0,2}$`),
		nums:  []int{1, 2, 3, 4},
		build: []int{5},
	}},
	SchemeTPLink: {{
		// 1.3.6 Build 230615 Rel.44178n
		re:    regexp.MustCompile(`^[Vv]?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\s+[Bb]uild\s+(\d{6}|\d{8})(?:\s+(Rel\.\d{1,8}[a-z]?))?$`),
		nums:  []int{1, 2, 3},
		build: []int{4},
		extra: []int{5},
	}},
	SchemeUniview: {{
		// B6103.16.10.B25.201218, IPC_G6103-B6103.16.10.B25.201218
		re:    regexp.MustCompile(`^(?:[A-Z0-9_]{1,24}-)?([A-Z])(\d{4})\.(\d{1,3})\.(\d{1,3})\.[A-Z]?(\d{1,4})\.(\d{6})$`),
		nums:  []int{2, 3, 4, 5},
		build: []int{6},
		extra: []int{1},
	}},
	SchemeVivotek: {{
		// 0107a, FD8134-VVTK-0107a: two-digit major and minor, letter patch
		re:    regexp.MustCompile(`^(?:[A-Z0-9]{2,16}-VVTK-)?(\d{2})(\d{2})([a-z])?$`),
		nums:  []int{1, 2, 3},
		extra: nil,
	}},
	SchemeAVTech: {{
		// FullImg-1023-1007-1011-1009 (CVE-2024-7029 record)
		re:   regexp.MustCompile(`^FullImg-(\d{1,6})-(\d{1,6})-(\d{1,6})-(\d{1,6})$`),
		nums: []int{1, 2, 3, 4},
	}},
	SchemeGeneric: {{
		// 4.69.55, v1.0.4, 1.41.01_20210806, 2.71.1.59 build 230101, 1.5.1.4 Build Date: 2024-02-23
		re: regexp.MustCompile(`^[Vv]?(\d{1,5})(?:\.(\d{1,5}))?(?:\.(\d{1,5}))?(?:\.(\d{1,5}))?(?:\.(\d{1,5}))?` +
			`(?:(?:[_\s,-]+|\s*[Bb]uild(?:\s*[Dd]ate)?\s*:?\s*)+(\d{4}-\d{2}-\d{2}|\d{8}|\d{6}))?$`),
		nums:  []int{1, 2, 3, 4, 5},
		build: []int{6},
	}},
}

// Parse reads raw in the format of scheme. Surrounding space is ignored;
// anything else that does not fit the format is ErrUnparseable.
func Parse(scheme Scheme, raw string) (Version, error) {
	fs, ok := formats[scheme]
	if !ok {
		return Version{}, fmt.Errorf("parse version %q: unknown scheme %q: %w", clip(raw), scheme, ErrUnparseable)
	}
	s := strings.TrimSpace(raw)
	if s == "" || len(s) > maxLen {
		return Version{}, fmt.Errorf("parse %s version %q: %w", scheme, clip(raw), ErrUnparseable)
	}
	for _, f := range fs {
		m := f.re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		v, err := f.version(scheme, s, m)
		if err != nil {
			return Version{}, fmt.Errorf("parse %s version %q: %w", scheme, clip(raw), err)
		}
		return v, nil
	}
	return Version{}, fmt.Errorf("parse %s version %q: %w", scheme, clip(raw), ErrUnparseable)
}

// MustParse is Parse for literals in tests and tables; it panics on error.
func MustParse(scheme Scheme, raw string) Version {
	v, err := Parse(scheme, raw)
	if err != nil {
		panic(err)
	}
	return v
}

func (f format) version(scheme Scheme, s string, m []string) (Version, error) {
	v := Version{Scheme: scheme, Raw: s}
	for _, i := range f.nums {
		if m[i] == "" {
			continue
		}
		if len(m[i]) == 1 && m[i][0] >= 'a' && m[i][0] <= 'z' { // Vivotek patch letter
			v.Nums = append(v.Nums, int(m[i][0]-'a')+1)
			continue
		}
		n, err := atoi(m[i])
		if err != nil {
			return Version{}, err
		}
		v.Nums = append(v.Nums, n)
	}
	for _, i := range f.build {
		if m[i] == "" {
			continue
		}
		t, err := parseDate(m[i])
		if err != nil {
			return Version{}, err
		}
		v.Build = t
		break
	}
	var extra []string
	for _, i := range f.extra {
		if m[i] != "" {
			extra = append(extra, m[i])
		}
	}
	v.Extra = strings.Join(extra, " ")
	return v, nil
}

// clip shortens hostile input before it goes into an error message.
func clip(s string) string {
	const n = 48
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
