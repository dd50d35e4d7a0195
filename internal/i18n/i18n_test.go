package i18n

import (
	"regexp"
	"strings"
	"testing"
)

func TestEveryKeyHasBothLanguages(t *testing.T) {
	seen := map[Key]bool{}
	verbs := regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)
	for _, k := range Keys() {
		t.Run(string(k), func(t *testing.T) {
			if seen[k] {
				t.Fatalf("key %q listed twice", k)
			}
			seen[k] = true
			en, ja, ok := Lookup(k)
			if !ok || strings.TrimSpace(en) == "" || strings.TrimSpace(ja) == "" {
				t.Fatalf("key %q: en=%q ja=%q: both translations are required", k, en, ja)
			}
			ve, vj := verbs.FindAllString(en, -1), verbs.FindAllString(ja, -1)
			if strings.Join(ve, ",") != strings.Join(vj, ",") {
				t.Errorf("key %q: format verbs differ: en %v, ja %v", k, ve, vj)
			}
		})
	}
	if len(seen) < 50 {
		t.Errorf("catalogue has %d keys; expected the full report vocabulary", len(seen))
	}
}

func TestMinistryWording(t *testing.T) {
	tests := []struct {
		key     Key
		en, ja  []string
		whatFor string
	}{
		{AdvicePassword, []string{"10 characters", "factory default", "different for every device"}, []string{"10文字以上", "初期設定", "機器ごとに異なる"}, "password advice"},
		{AdviceFirmware, []string{"latest", "replace"}, []string{"最新", "買い替え"}, "firmware advice"},
		{AdviceFunctions, []string{"switch off", "close ports"}, []string{"無効", "ポートは閉じて"}, "unused-function advice"},
	}
	for _, tc := range tests {
		t.Run(tc.whatFor, func(t *testing.T) {
			en, ja, _ := Lookup(tc.key)
			for _, w := range tc.en {
				if !strings.Contains(en, w) {
					t.Errorf("en %q lacks %q", en, w)
				}
			}
			for _, w := range tc.ja {
				if !strings.Contains(ja, w) {
					t.Errorf("ja %q lacks %q", ja, w)
				}
			}
		})
	}
}

func TestChoose(t *testing.T) {
	tests := []struct {
		name, flag string
		env        map[string]string
		want       Lang
		wantErr    bool
	}{
		{"flag en beats locale", "en", map[string]string{"LANG": "ja_JP.UTF-8"}, EN, false},
		{"flag ja", "JA", nil, JA, false},
		{"bad flag", "fr", nil, "", true},
		{"LANG ja", "", map[string]string{"LANG": "ja_JP.UTF-8"}, JA, false},
		{"LC_ALL wins over LANG", "", map[string]string{"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, EN, false},
		{"LC_MESSAGES ja", "", map[string]string{"LC_MESSAGES": "ja_JP", "LANG": "en_US"}, JA, false},
		{"no locale", "", nil, EN, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Choose(tc.flag, func(k string) string { return tc.env[k] })
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Fatalf("Choose(%q) = %q, %v; want %q (error %v)", tc.flag, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestPrinter(t *testing.T) {
	tests := []struct {
		lang Lang
		key  Key
		args []any
		want string
	}{
		{EN, VerdictPass, nil, "Pass"},
		{JA, VerdictPass, nil, "合格"},
		{JA, ReasonMore, []any{2}, "（ほか 2 件）"},
		{"fr", VerdictFail, nil, "Fail"},
		{EN, Key("no.such.key"), nil, "!no.such.key"},
	}
	for _, tc := range tests {
		t.Run(string(tc.lang)+"/"+string(tc.key), func(t *testing.T) {
			if got := New(tc.lang).F(tc.key, tc.args...); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
