package report

import (
	"math"
	"strconv"
	"testing"
)

// TestPaletteContrast checks every text/background pair the HTML report
// uses against WCAG 2.x AA for normal text (4.5:1).
func TestPaletteContrast(t *testing.T) {
	hex := map[string]string{}
	for _, c := range palette() {
		hex[c.Name] = c.Hex
	}
	pairs := [][2]string{
		{"text", "bg"}, {"text", "card"}, {"muted", "bg"}, {"muted", "card"},
		{"link", "bg"}, {"link", "card"}, {"text", "code-bg"},
	}
	for _, bg := range []string{"sev-critical", "sev-high", "sev-medium", "sev-low", "sev-info", "pass", "fail", "could-not-check"} {
		pairs = append(pairs, [2]string{"#ffffff", bg}) // white badge text
	}
	for _, p := range pairs {
		t.Run(p[0]+"/"+p[1], func(t *testing.T) {
			fg, bg := colourOf(t, hex, p[0]), colourOf(t, hex, p[1])
			if r := contrast(fg, bg); r < 4.5 {
				t.Errorf("contrast %s on %s = %.2f, want >= 4.5", p[0], p[1], r)
			}
		})
	}
}

func TestContrastFormula(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"#000000", "#ffffff", 21},
		{"#777777", "#ffffff", 4.48}, // the classic just-failing grey
		{"#ffffff", "#ffffff", 1},
	}
	for _, tc := range tests {
		t.Run(tc.a+"/"+tc.b, func(t *testing.T) {
			if got := contrast(tc.a, tc.b); math.Abs(got-tc.want) > 0.01 {
				t.Errorf("contrast = %.3f, want %.2f", got, tc.want)
			}
		})
	}
}

func colourOf(t *testing.T, hex map[string]string, name string) string {
	t.Helper()
	if name[0] == '#' {
		return name
	}
	h, ok := hex[name]
	if !ok {
		t.Fatalf("palette has no colour %q", name)
	}
	return h
}

// contrast is the WCAG contrast ratio of two #rrggbb colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

func luminance(hex string) float64 {
	ch := func(i int) float64 {
		v, _ := strconv.ParseUint(hex[i:i+2], 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(1) + 0.7152*ch(3) + 0.0722*ch(5)
}
