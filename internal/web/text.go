package web

import (
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/camwarden/camwarden/internal/i18n"
)

// texts are the dashboard's words: English, Japanese.
var texts = map[string][2]string{
	"app":             {"camwarden", "camwarden"},
	"overview":        {"Overview", "概要"},
	"devices":         {"Devices", "機器"},
	"findings":        {"Findings", "問題"},
	"sites":           {"Sites", "サイト"},
	"alerts":          {"Alerts", "通知"},
	"users":           {"Users", "ユーザー"},
	"auditlog":        {"Audit log", "操作ログ"},
	"logout":          {"Log out", "ログアウト"},
	"login":           {"Log in", "ログイン"},
	"username":        {"User name", "ユーザー名"},
	"password":        {"Password", "パスワード"},
	"password2":       {"Password again", "パスワード（確認）"},
	"setup":           {"First start: create the administrator", "初回設定: 管理者を作成"},
	"setup.intro":     {"This link works once. Choose a long password: camwarden grades it like a camera password.", "このリンクは一度だけ有効です。長いパスワードを選んでください（カメラのパスワードと同じ基準で判定します）。"},
	"create":          {"Create", "作成"},
	"login.bad":       {"Wrong user name or password.", "ユーザー名またはパスワードが違います。"},
	"login.throttled": {"Too many failed logins. Try again later.", "ログインの失敗が多すぎます。しばらくしてから再度お試しください。"},
	"pw.mismatch":     {"The two passwords differ.", "2つのパスワードが一致しません。"},
	"pw.weak":         {"Password refused", "パスワードは使えません"},
	"checkpoint":      {"Checkpoint", "チェックポイント"},
	"pass":            {"pass", "合格"},
	"fail":            {"fail", "不合格"},
	"unknown":         {"could not check", "確認できず"},
	"worst":           {"Devices to fix first", "最初に対処すべき機器"},
	"trend":           {"Open findings over time (low and above)", "未解決の問題の推移（低以上）"},
	"trend.none":      {"No audit finished yet.", "完了した点検はまだありません。"},
	"address":         {"Address", "アドレス"},
	"site":            {"Site", "サイト"},
	"vendor":          {"Vendor", "メーカー"},
	"model":           {"Model", "型番"},
	"type":            {"Type", "種類"},
	"firmware":        {"Firmware", "ファームウェア"},
	"name":            {"Name", "名前"},
	"seen":            {"Last seen", "最終確認"},
	"all":             {"all", "すべて"},
	"failing":         {"Failing checkpoint", "不合格のチェックポイント"},
	"sort":            {"Sort", "並べ替え"},
	"sort.risk":       {"risk", "リスク順"},
	"sort.address":    {"address", "アドレス順"},
	"sort.vendor":     {"vendor", "メーカー順"},
	"sort.seen":       {"last seen", "確認日時順"},
	"filter":          {"Filter", "絞り込み"},
	"page":            {"Page %d of %d (%d devices)", "%[3]d 台中 %[1]d / %[2]d ページ"},
	"fpage":           {"Page %d of %d (%d findings)", "%[3]d 件中 %[1]d / %[2]d ページ"},
	"prev":            {"Previous", "前へ"},
	"next":            {"Next", "次へ"},
	"none":            {"Nothing here yet.", "まだありません。"},
	"identity":        {"Identity", "識別情報"},
	"source":          {"Source", "根拠"},
	"confidence":      {"Confidence", "確度"},
	"checkpoints":     {"The three checkpoints", "3つのチェックポイント"},
	"fix":             {"How to fix", "対処方法"},
	"timeline":        {"Timeline", "履歴"},
	"services":        {"Services", "サービス"},
	"lastreport":      {"Last report", "最新のレポート"},
	"downloads":       {"Downloads", "ダウンロード"},
	"accept":          {"Accept risk", "リスクを受容"},
	"accepted":        {"Accepted until %s by %s: %s", "%[2]s が %[1]s まで受容: %[3]s"},
	"reason":          {"Reason", "理由"},
	"until":           {"Until", "期限"},
	"severity":        {"Severity", "深刻度"},
	"finding":         {"Finding", "問題"},
	"device":          {"Device", "機器"},
	"minsev":          {"At least", "以上"},
	"schedule":        {"Schedule", "スケジュール"},
	"targets":         {"Targets", "対象"},
	"excludes":        {"Excludes", "除外"},
	"depth":           {"Password depth", "パスワード確認の深さ"},
	"credfile":        {"Credentials file (path on the server)", "認証情報ファイル（サーバー上のパス）"},
	"lastaudit":       {"Last audit", "前回の点検"},
	"nextaudit":       {"Next audit", "次回の点検"},
	"state":           {"State", "状態"},
	"auditnow":        {"Audit now", "今すぐ点検"},
	"remove":          {"Remove", "削除"},
	"addsite":         {"Add a site", "サイトを追加"},
	"add":             {"Add", "追加"},
	"role":            {"Role", "権限"},
	"adduser":         {"Add a user", "ユーザーを追加"},
	"when":            {"When", "日時"},
	"who":             {"Who", "誰が"},
	"action":          {"Action", "操作"},
	"detail":          {"Detail", "詳細"},
	"from":            {"From", "接続元"},
	"channel":         {"Channel", "通知先"},
	"attempts":        {"Attempts", "試行"},
	"deliveries":      {"Deliveries", "配信状況"},
	"kind":            {"Change", "変化"},
	"language":        {"日本語", "English"},
	"forbidden":       {"Forbidden: this account may only read.", "禁止: このアカウントは閲覧のみ可能です。"},
	"csrf":            {"Forbidden: the form expired or came from another site. Reload the page.", "禁止: フォームの期限切れか、別のサイトからの送信です。ページを再読み込みしてください。"},
	"notfound":        {"Not found.", "見つかりません。"},
	"pruned":          {"This audit's full report was removed by the retention policy (serve --keep); its counts and each device's history remain.", "この監査の完全なレポートは保持期間の設定（serve --keep）により削除されました。件数と各機器の履歴は残っています。"},
	"saved":           {"Saved.", "保存しました。"},
	"save":            {"Save", "保存"},
	"queued":          {"The audit is queued.", "点検を予約しました。"},
	"allowpublic":     {"Allow public addresses (only ones you may audit)", "グローバルアドレスを許可（点検が許可されたもののみ）"},
	"ports":           {"Ports (empty: defaults)", "ポート（空欄で既定）"},
	"viewer":          {"Viewer", "閲覧者"},
	"admin":           {"Administrator", "管理者"},
	"scorecard":       {"Scorecard", "評価"},
	"open":            {"open", "未解決"},
	"ok":              {"OK", "OK"},
	"report.html":     {"HTML report", "HTMLレポート"},
	"report.csv":      {"CSV", "CSV"},
	"report.json":     {"JSON", "JSON"},
	"changes":         {"Changes", "変化"},
	"account":         {"My account", "アカウント"},
	"changepw":        {"Change my password", "パスワードの変更"},
	"pw.intro":        {"camwarden grades the new password like a camera password. When it changes, every other session of this account is signed out; this browser stays signed in.", "新しいパスワードはカメラのパスワードと同じ基準で判定します。変更すると、このアカウントの他のセッションはすべてログアウトされます（このブラウザはログインしたままです）。"},
	"pw.current":      {"Current password", "現在のパスワード"},
	"pw.new":          {"New password", "新しいパスワード"},
	"pw.new2":         {"New password again", "新しいパスワード（確認）"},
	"pw.changed":      {"Password changed. Every other session of this account was signed out.", "パスワードを変更しました。このアカウントの他のセッションはすべてログアウトされました。"},
	"pw.wrongcurrent": {"The current password is wrong.", "現在のパスワードが違います。"},
	"pw.throttled":    {"Too many wrong passwords. Try again later.", "パスワードの誤りが多すぎます。しばらくしてから再度お試しください。"},
	"pw.same":         {"The new password must differ from the current one.", "新しいパスワードは現在のものと別にしてください。"},
	"changerole":      {"Change role", "権限を変更"},
	"you":             {"(you)", "（あなた）"},
	"user.self":       {"You cannot remove your own account or change your own role: another administrator must do it.", "自分のアカウントの削除や権限の変更はできません。別の管理者に依頼してください。"},
	"user.lastadmin":  {"At least one administrator must remain: make another user an administrator first.", "管理者が最低1人必要です。先に別のユーザーを管理者にしてください。"},
	"user.removed":    {"The user was removed and signed out.", "ユーザーを削除し、ログアウトさせました。"},
	"role.changed":    {"The role was changed.", "権限を変更しました。"},
}

// langOf picks the language: the cw_lang cookie (the switch), else the
// first of Accept-Language that camwarden speaks, else English.
func langOf(r *http.Request) i18n.Lang {
	if c, err := r.Cookie("cw_lang"); err == nil {
		if l, err := i18n.Parse(c.Value); err == nil {
			return l
		}
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		switch base {
		case "ja":
			return i18n.JA
		case "en":
			return i18n.EN
		}
	}
	return i18n.EN
}

func tr(lang i18n.Lang, key string) string {
	t, ok := texts[key]
	if !ok {
		return key
	}
	if lang == i18n.JA {
		return t[1]
	}
	return t[0]
}

// clean makes device-controlled text safe to show as text: control
// characters (terminal escapes, CR/LF, C1) become visible symbols
// (U+2400 Control Pictures or U+FFFD), invalid UTF-8 becomes U+FFFD, and
// the length is capped. html/template still escapes the result.
func clean(s string) string {
	const maxRunes = 300
	var b strings.Builder
	n := 0
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		if n == maxRunes {
			b.WriteString("…")
			break
		}
		switch {
		case r == utf8.RuneError && size == 1:
			r = '\uFFFD'
		case r < 0x20:
			r = 0x2400 + r
		case r == 0x7f:
			r = '\u2421'
		case unicode.IsControl(r), r == '\u2028', r == '\u2029', unicode.Is(unicode.Bidi_Control, r):
			r = '\uFFFD'
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
