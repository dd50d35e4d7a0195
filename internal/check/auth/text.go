package auth

import (
	"strings"

	"github.com/camwarden/camwarden/internal/finding"
)

// Auth findings, the keys of titles and remediations.
const (
	findNone         = "none"
	findDefault      = "default"
	findWeak         = "weak" // fixed like findDefault
	findCleartext    = "cleartext"
	findCleartextURL = "cleartext-url" // a title only: password in the URL
	findUnverifiable = "unverifiable"
	findStopped      = "stopped"
	findAdminOK      = "admin-ok"
)

// protocolPlaceholder stands for the protocol's label in a shared title.
const protocolPlaceholder = "{protocol}"

// label is how a title names a protocol: Telnet as a word, the others as
// their acronyms (HTTP, RTSP, ONVIF, SSH, FTP, SNMP).
func label(proto string) string {
	if proto == "telnet" {
		return "Telnet"
	}
	return strings.ToUpper(proto)
}

// titleKey picks a title: the finding and, for wording that only one
// protocol gets, that protocol.
type titleKey struct{ finding, proto string }

// titles of the auth findings. An entry without a protocol serves every
// protocol without its own; "{protocol}" in it stands for label(proto).
var titles = map[titleKey]finding.Text{
	{findNone, ""}: {
		EN: "{protocol} answers without a password",
		JA: "{protocol} がパスワードなしで応答します",
	},
	{findNone, "ftp"}: {
		EN: "FTP allows anonymous login (anyone can log in without a password)",
		JA: "FTP で匿名ログインが可能です（誰でもパスワードなしでログインできます）",
	},
	{findNone, "ssh"}: {
		EN: "SSH lets a user log in without any authentication (\"none\" method)",
		JA: "SSH に認証なし（none 方式）でログインできます",
	},
	{findDefault, ""}: {
		EN: "{protocol} accepts a factory default password",
		JA: "{protocol} で初期パスワードのままログインできます",
	},
	{findDefault, "snmp"}: {
		EN: "SNMP answers a factory default community (\"public\" or \"private\"): anyone can read the device's configuration",
		JA: "SNMP が初期設定のコミュニティ名（public/private）に応答します。誰でも機器の設定情報を読み取れます",
	},
	{findWeak, ""}: {
		EN: "{protocol} accepts a weak, commonly used password",
		JA: "{protocol} で推測されやすいパスワードによりログインできます",
	},
	{findWeak, "snmp"}: {
		EN: "SNMP answers a commonly used, guessable community",
		JA: "SNMP が推測されやすい一般的なコミュニティ名に応答します",
	},
	{findCleartext, ""}: {
		EN: "{protocol} uses Basic authentication over plain text: the password can be sniffed",
		JA: "{protocol} が暗号化されていない通信で Basic 認証を使っており、パスワードを盗聴されるおそれがあります",
	},
	{findCleartextURL, ""}: {
		EN: "{protocol} login sends the password in the request URL over plain text: it can be sniffed",
		JA: "{protocol} のログインが暗号化されていない通信でパスワードを URL に含めて送っており、盗聴されるおそれがあります",
	},
	{findUnverifiable, ""}: {
		EN: "Authentication cannot be verified: the service accepts requests without valid credentials",
		JA: "認証を確認できません（正しい認証情報がなくても応答します）",
	},
	{findStopped, ""}: {
		EN: "Stopped: lockout risk (the device signalled an account lockout)",
		JA: "アカウントロックのおそれがあるため確認を中止しました",
	},
	{findAdminOK, ""}: {
		EN: "The administrator-supplied credential works on this service",
		JA: "管理者が指定した認証情報でログインできることを確認しました",
	},
}

// remediations of the auth findings (a weak password is fixed like a
// factory default one).
var remediations = map[string]finding.Text{
	findNone: {
		EN: "Require a password on this service, or turn the service off if it is not used.",
		JA: "このサービスにパスワードを設定してください。使用していない場合は機能を無効にしてください。",
	},
	findDefault: {
		EN: "Change the factory password and set one of 10 or more characters that is hard to guess.",
		JA: "初期パスワードを変更し、10文字以上の推測されにくいパスワードを設定してください。",
	},
	findCleartext: {
		EN: "Use Digest authentication or HTTPS/RTSPS, and change any password that may have been sent in clear.",
		JA: "Digest 認証または HTTPS/RTSPS を使用し、平文で送られた可能性のあるパスワードを変更してください。",
	},
	findUnverifiable: {
		EN: "Check the login of this service by hand; make sure it really requires a password.",
		JA: "このサービスのログインを手動で確認し、パスワードが本当に必要か確かめてください。",
	},
	findStopped: {
		EN: "Check the device's login settings by hand; camwarden stopped to avoid locking the account.",
		JA: "アカウントのロックを避けるため確認を中止しました。機器のログイン設定を手動で確認してください。",
	},
	findAdminOK: {
		EN: "Keep a password of 10 or more characters that is hard to guess; see the grade.",
		JA: "10文字以上の推測されにくいパスワードを維持してください（評価結果を参照）。",
	},
}

// title returns the title of finding f (one of the find* keys) on proto.
func title(f, proto string) finding.Text {
	if t, ok := titles[titleKey{f, proto}]; ok {
		return t
	}
	t := titles[titleKey{f, ""}]
	l := label(proto)
	return finding.Text{
		EN: strings.ReplaceAll(t.EN, protocolPlaceholder, l),
		JA: strings.ReplaceAll(t.JA, protocolPlaceholder, l),
	}
}

// cleartextTitle is the cleartext title for a login scheme: Basic
// authentication, or the password in the URL for any other scheme.
func cleartextTitle(proto, scheme string) finding.Text {
	if scheme != "basic" {
		return title(findCleartextURL, proto)
	}
	return title(findCleartext, proto)
}
