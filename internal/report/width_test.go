package report

import "testing"

func TestDisplayWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"camera", 6},
		{"ルーター", 8}, // ー (U+30FC) is wide, like the kana around it
		{"レコーダー（NVR/DVR）", 21},
		{"緊急", 4},
		{"1✗ 2? 3✓", 8},
		{"\x1b[1;31m緊急\x1b[0m", 4},
		{"ｶﾒﾗ", 3}, // halfwidth katakana
		{"é", 1},   // e + combining acute
	}
	for _, tc := range tests {
		if got := displayWidth(tc.s); got != tc.want {
			t.Errorf("displayWidth(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		s    string
		w    int
		want string
	}{
		{"Hikvision DS-2CD2532F-IWS", 30, "Hikvision DS-2CD2532F-IWS"},
		{"Hikvision DS-2CD2532F-IWS", 12, "Hikvision D…"},
		{"レコーダー", 6, "レコ…"},
		{"レコーダー", 5, "レコ…"},
	}
	for _, tc := range tests {
		got := truncate(tc.s, tc.w)
		if got != tc.want || displayWidth(got) > tc.w {
			t.Errorf("truncate(%q, %d) = %q (%d cells), want %q", tc.s, tc.w, got, displayWidth(got), tc.want)
		}
	}
}
