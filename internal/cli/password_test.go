package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func runPW(t *testing.T, stdin string, args ...string) (int, string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	code, err := runPassword(t.Context(), args, IO{In: strings.NewReader(stdin), Out: &out, Err: &errb})
	return code, out.String(), errb.String(), err
}

func TestPasswordCheck(t *testing.T) {
	tests := []struct {
		name, stdin, lang string
		code              int
		want              []string
	}{
		{"factory default", "12345\n", "en", ExitFindings, []string{"FACTORY DEFAULT", "Hikvision factory default", "use at least 10"}},
		{"default ja", "admin\n", "ja", ExitFindings, []string{"初期設定のまま", "10文字以上", "初期設定のままにしない"}},
		{"common list", "password123\n", "en", ExitFindings, []string{"WEAK", "public password lists"}},
		{"nine chars", "Xk7#mQ2p!", "en", ExitFindings, []string{"WEAK", "9 characters: use at least 10"}},
		{"strong, CRLF", "t7#Rq9!vLm2xWp\r\n", "en", ExitOK, []string{"STRONG", "length 14, 4 of 4"}},
		{"strong ja", "violet-harbour-tractor-museum\n", "ja", ExitOK, []string{"強い", "推測されにくい"}},
		{"empty line", "\n", "en", ExitFindings, []string{"No password is set"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut, err := runPW(t, tc.stdin, "check", "--lang", tc.lang)
			if err != nil || code != tc.code {
				t.Fatalf("code %d, err %v; want %d\n%s", code, err, tc.code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			pw := strings.TrimRight(tc.stdin, "\r\n")
			if len(pw) >= 6 && (strings.Contains(out, pw) || strings.Contains(errOut, pw)) {
				t.Errorf("the password was echoed:\n%s%s", out, errOut)
			}
		})
	}
}

// TestPasswordNoEcho feeds secrets that cannot appear by chance and
// checks that no stream carries them back, whatever the verdict.
func TestPasswordNoEcho(t *testing.T) {
	for _, pw := range []string{"Zq8!vR3#kLp0-unique", "admin2024!!zz", "xmhdipc-qq"} {
		for _, lang := range []string{"en", "ja"} {
			_, out, errOut, err := runPW(t, pw+"\n", "check", "--lang", lang)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(out+errOut, pw) {
				t.Errorf("lang %s: output contains the password:\n%s%s", lang, out, errOut)
			}
		}
	}
}

func TestPasswordUsage(t *testing.T) {
	tests := []struct {
		name, stdin string
		args        []string
		code        int
		want        string
	}{
		{"password on argv", "", []string{"check", "hunter2hunter2"}, ExitUsage, "never from the command line"},
		{"password as a flag", "", []string{"check", "--hunter2hunter2"}, ExitUsage, "never from the command line"},
		{"password after lang", "", []string{"check", "--lang", "en", "hunter2hunter2"}, ExitUsage, "never from the command line"},
		{"no subcommand", "", nil, ExitUsage, `want the subcommand "check"`},
		{"bad lang", "x\n", []string{"check", "--lang", "fr"}, ExitUsage, `--lang "fr"`},
		{"two lines", "one\ntwo\n", []string{"check", "--lang", "en"}, ExitError, "more than one line"},
		{"nothing", "", []string{"check", "--lang", "en"}, ExitError, "no password on standard input"},
		{"too long", strings.Repeat("a", maxPasswordBytes+1), []string{"check", "--lang", "en"}, ExitError, "longer than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut, err := runPW(t, tc.stdin, tc.args...)
			if code != tc.code || err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("code %d err %v; want %d %q", code, err, tc.code, tc.want)
			}
			var ue usageError
			if (tc.code == ExitUsage) != errors.As(err, &ue) {
				t.Errorf("usage error = %v for code %d", errors.As(err, &ue), tc.code)
			}
			if strings.Contains(out+errOut+err.Error(), "hunter2hunter2") {
				t.Errorf("argv password echoed")
			}
		})
	}
}

func TestLangFromEnv(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"LANG": "ja_JP.UTF-8"}, "ja"},
		{map[string]string{"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, "en"},
		{map[string]string{"LC_ALL": "ja_JP.eucJP"}, "ja"},
		{map[string]string{"LC_MESSAGES": "ja", "LANG": "en_US.UTF-8"}, "ja"},
		{map[string]string{}, "en"},
	}
	for _, tc := range tests {
		t.Run(tc.want+"/"+tc.env["LANG"]+tc.env["LC_ALL"], func(t *testing.T) {
			if got := langFromEnv(func(k string) string { return tc.env[k] }); got != tc.want {
				t.Errorf("langFromEnv = %q, want %q", got, tc.want)
			}
		})
	}
}
