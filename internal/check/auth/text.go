package auth

import (
	"strings"

	"github.com/camwarden/camwarden/internal/finding"
)

func label(proto string) string {
	switch proto {
	case "onvif":
		return "ONVIF"
	default:
		return strings.ToUpper(proto)
	}
}

func textNone(proto string) finding.Text {
	switch proto {
	case "ftp":
		return finding.Text{
			EN: "FTP allows anonymous login (anyone can log in without a password)",
			JA: "FTP で匿名ログインが可能です（誰でもパスワードなしでログインできます）",
		}
	case "ssh":
		return finding.Text{
			EN: "SSH lets a user log in without any authentication (\"none\" method)",
			JA: "SSH に認証なし（none 方式）でログインできます",
		}
	}
	return finding.Text{
		EN: label(proto) + " answers without a password",
		JA: label(proto) + " がパスワードなしで応答します",
	}
}

func textDefault(proto string) finding.Text {
	if proto == "snmp" {
		return finding.Text{
			EN: "SNMP answers a factory default community (\"public\" or \"private\"): anyone can read the device's configuration",
			JA: "SNMP が初期設定のコミュニティ名（public/private）に応答します。誰でも機器の設定情報を読み取れます",
		}
	}
	return finding.Text{
		EN: label(proto) + " accepts a factory default password",
		JA: label(proto) + " で初期パスワードのままログインできます",
	}
}

func textWeak(proto string) finding.Text {
	if proto == "snmp" {
		return finding.Text{
			EN: "SNMP answers a commonly used, guessable community",
			JA: "SNMP が推測されやすい一般的なコミュニティ名に応答します",
		}
	}
	return finding.Text{
		EN: label(proto) + " accepts a weak, commonly used password",
		JA: label(proto) + " で推測されやすいパスワードによりログインできます",
	}
}

func textCleartext(proto, scheme string) finding.Text {
	if scheme != "basic" {
		return finding.Text{
			EN: label(proto) + " login sends the password in the request URL over plain text: it can be sniffed",
			JA: label(proto) + " のログインが暗号化されていない通信でパスワードを URL に含めて送っており、盗聴されるおそれがあります",
		}
	}
	return finding.Text{
		EN: label(proto) + " uses Basic authentication over plain text: the password can be sniffed",
		JA: label(proto) + " が暗号化されていない通信で Basic 認証を使っており、パスワードを盗聴されるおそれがあります",
	}
}

var (
	textUnverifiable = finding.Text{
		EN: "Authentication cannot be verified: the service accepts requests without valid credentials",
		JA: "認証を確認できません（正しい認証情報がなくても応答します）",
	}
	textStopped = finding.Text{
		EN: "Stopped: lockout risk (the device signalled an account lockout)",
		JA: "アカウントロックのおそれがあるため確認を中止しました",
	}
	textAdminOK = finding.Text{
		EN: "The administrator-supplied credential works on this service",
		JA: "管理者が指定した認証情報でログインできることを確認しました",
	}
	remNone = finding.Text{
		EN: "Require a password on this service, or turn the service off if it is not used.",
		JA: "このサービスにパスワードを設定してください。使用していない場合は機能を無効にしてください。",
	}
	remDefault = finding.Text{
		EN: "Change the factory password and set one of 10 or more characters that is hard to guess.",
		JA: "初期パスワードを変更し、10文字以上の推測されにくいパスワードを設定してください。",
	}
	remCleartext = finding.Text{
		EN: "Use Digest authentication or HTTPS/RTSPS, and change any password that may have been sent in clear.",
		JA: "Digest 認証または HTTPS/RTSPS を使用し、平文で送られた可能性のあるパスワードを変更してください。",
	}
	remUnverifiable = finding.Text{
		EN: "Check the login of this service by hand; make sure it really requires a password.",
		JA: "このサービスのログインを手動で確認し、パスワードが本当に必要か確かめてください。",
	}
	remStopped = finding.Text{
		EN: "Check the device's login settings by hand; camwarden stopped to avoid locking the account.",
		JA: "アカウントのロックを避けるため確認を中止しました。機器のログイン設定を手動で確認してください。",
	}
	remAdminOK = finding.Text{
		EN: "Keep a password of 10 or more characters that is hard to guess; see the grade.",
		JA: "10文字以上の推測されにくいパスワードを維持してください（評価結果を参照）。",
	}
)
