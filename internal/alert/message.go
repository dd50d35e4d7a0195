package alert

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
)

// Message is what one channel sends for one audit: its alerts.
type Message struct {
	Site      string  `json:"site"`
	Run       int64   `json:"audit"`
	Dashboard string  `json:"dashboard,omitempty"` // URL of the dashboard, when known
	Alerts    []Alert `json:"alerts"`
}

// ID is a stable identifier of the message for one channel (the
// webhook's Idempotency-Key, the e-mail's Message-ID): a retry repeats it.
func (m Message) ID(channel string) string {
	return fmt.Sprintf("camwarden-audit-%d-%s", m.Run, clean(channel, 40))
}

var words = map[i18n.Lang]map[string]string{
	i18n.EN: {
		"subject":                "camwarden: %d change(s) at %s",
		string(DeviceNew):        "New device",
		string(DeviceGone):       "Device no longer found",
		string(FindingNew):       "New problem",
		string(FindingFixed):     "Fixed",
		string(FirmwareChanged):  "Firmware changed",
		string(FirmwareOutdated): "Firmware now outdated (catalogue update)",
		string(SupportEnding):    "Vendor support ends",
		"intro":                  "camwarden audited site %s and found these changes since the previous audit:",
		"open":                   "Open the dashboard: %s",
		"footer":                 "You receive this because camwarden serve is set up to send alerts here.",
	},
	i18n.JA: {
		"subject":                "camwarden: %[2]s で %[1]d 件の変化",
		string(DeviceNew):        "新しい機器",
		string(DeviceGone):       "見つからなくなった機器",
		string(FindingNew):       "新しい問題",
		string(FindingFixed):     "解消",
		string(FirmwareChanged):  "ファームウェアの変更",
		string(FirmwareOutdated): "ファームウェアが古くなりました（カタログ更新）",
		string(SupportEnding):    "メーカーサポート終了予定",
		"intro":                  "camwarden がサイト %s を点検し、前回からの次の変化を見つけました:",
		"open":                   "ダッシュボードを開く: %s",
		"footer":                 "camwarden serve の通知先としてこのアドレスが設定されているため送信しています。",
	},
}

func word(lang i18n.Lang, key string) string {
	if w, ok := words[lang][key]; ok {
		return w
	}
	return words[i18n.EN][key]
}

// Subject is the message's one-line summary.
func (m Message) Subject(lang i18n.Lang) string {
	return fmt.Sprintf(word(lang, "subject"), len(m.Alerts), clean(m.Site, 80))
}

// Text is the plain-text body: one line per alert, device text cleaned
// of control characters.
func (m Message) Text(lang i18n.Lang) string {
	p := i18n.New(lang)
	var b strings.Builder
	fmt.Fprintf(&b, word(lang, "intro")+"\n\n", clean(m.Site, 80))
	for _, a := range m.Alerts {
		b.WriteString("- " + Line(a, lang, p) + "\n")
	}
	if m.Dashboard != "" {
		b.WriteString("\n" + fmt.Sprintf(word(lang, "open"), m.Dashboard) + "\n")
	}
	b.WriteString("\n-- \n" + word(lang, "footer") + "\n")
	return b.String()
}

// Line describes one alert in one line.
func Line(a Alert, lang i18n.Lang, p *i18n.Printer) string {
	dev := clean(strings.TrimSpace(a.Vendor+" "+a.Model), 80)
	if dev == "" {
		dev = "?"
	}
	s := fmt.Sprintf("[%s] %s: %s (%s)", p.T(i18n.Key("severity."+a.Severity.String())), word(lang, string(a.Kind)),
		dev, clean(a.Address, 64))
	switch a.Kind {
	case FirmwareChanged:
		s += fmt.Sprintf(" %s -> %s", clean(a.From, 64), clean(a.To, 64))
	case SupportEnding:
		s += " " + clean(a.To, 16)
	}
	if a.FindingID != "" {
		s += " " + clean(a.FindingID, 64)
		if t := pickText(a.Title, lang); t != "" {
			s += ": " + clean(t, 200)
		}
	}
	return s
}

func pickText(t finding.Text, lang i18n.Lang) string {
	if lang == i18n.JA && t.JA != "" {
		return t.JA
	}
	if t.EN != "" {
		return t.EN
	}
	return t.JA
}

// clean drops control characters (terminal escapes, CR/LF that could
// add mail headers) from device text and caps its length in runes.
func clean(s string, n int) string {
	var b strings.Builder
	i := 0
	for _, r := range s {
		if i == n {
			b.WriteString("…")
			break
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			r = ' '
		}
		b.WriteRune(r)
		i++
	}
	return b.String()
}
