package i18n

// evidenceLabels names the evidence keys the checks use, for reports
// people read. A key without a label is shown as it is.
var evidenceLabels = []struct{ key, en, ja string }{
	{"advisory", "Vendor advisory", "メーカーのアドバイザリ"},
	{"affected", "Affected versions", "影響を受けるバージョン"},
	{"artifact", "Evidence file", "証跡ファイル"},
	{"auth_methods", "Login methods offered", "提供されているログイン方式"},
	{"banner", "Banner", "バナー"},
	{"behind_days", "Days behind the latest", "最新版との差（日）"},
	{"catalogue_source", "Catalogue source", "カタログの出典"},
	{"check", "Check", "チェック"},
	{"cloud", "Cloud service", "クラウドサービス"},
	{"community", "SNMP community", "SNMP コミュニティ名"},
	{"count", "Count", "件数"},
	{"credential", "Credential", "認証情報"},
	{"cve", "CVE", "CVE"},
	{"cvss", "CVSS score", "CVSS スコア"},
	{"description", "Description", "説明"},
	{"device_type", "Device type", "機器の種類"},
	{"enabled", "Enabled", "有効"},
	{"end_of_sale", "End of sale", "販売終了"},
	{"end_of_support", "End of support", "サポート終了日"},
	{"external", "External", "外部"},
	{"external_ip", "External address", "外部アドレス"},
	{"external_port", "External port", "外部ポート"},
	{"family", "Product family", "製品シリーズ"},
	{"firmware", "Firmware", "ファームウェア"},
	{"gateway", "Router", "ルーター"},
	{"grade", "Grade", "判定"},
	{"host_key", "Host key", "ホスト鍵"},
	{"installed", "Installed version", "導入済みのバージョン"},
	{"installed_build", "Installed build date", "導入済みのビルド日"},
	{"internal", "Internal address", "内部アドレス"},
	{"internal_port", "Internal port", "内部ポート"},
	{"jvn", "JVN", "JVN"},
	{"kev_date_added", "Added to CISA KEV", "CISA KEV への登録日"},
	{"latest", "Latest version", "最新バージョン"},
	{"latest_date", "Latest released", "最新版の公開日"},
	{"lease", "Lease", "リース期間"},
	{"link", "Link", "リンク"},
	{"location", "Description URL", "説明ファイルの URL"},
	{"mac", "MAC address", "MAC アドレス"},
	{"manufacturer", "Manufacturer", "製造元"},
	{"merged", "Also reported as", "統合した検出"},
	{"model", "Model", "型番"},
	{"panic", "Error", "エラー"},
	{"password", "Password", "パスワード"},
	{"ports", "Ports", "ポート"},
	{"prompt", "Login prompt", "ログインプロンプト"},
	{"protocol", "Protocol", "プロトコル"},
	{"published", "Published", "公開"},
	{"reason", "Reason", "理由"},
	{"remote_host", "Allowed remote host", "許可されたリモートホスト"},
	{"replacement", "Successor model", "後継機種"},
	{"request", "Request", "リクエスト"},
	{"route", "Path", "パス"},
	{"scheme", "Authentication scheme", "認証方式"},
	{"sdk", "SDK", "SDK"},
	{"serial", "Serial number", "シリアル番号"},
	{"server", "Server", "サーバー"},
	{"service", "Service", "サービス"},
	{"services", "Services", "サービス"},
	{"snapshot", "Snapshot", "静止画"},
	{"source", "Source", "出典"},
	{"status", "HTTP status", "HTTP ステータス"},
	{"stream_uri", "Stream address", "映像のアドレス"},
	{"title", "Page title", "ページタイトル"},
	{"transport", "Transport", "トランスポート"},
	{"unverified_cves", "CVEs that could not be verified", "判定できなかった CVE"},
	{"username", "User name", "ユーザー名"},
	{"vendor", "Vendor", "メーカー"},
}

// evidenceKey is the catalogue key of an evidence label.
func evidenceKey(name string) Key { return Key("evidence." + name) }

func evidenceEntries() []entry {
	out := make([]entry, len(evidenceLabels))
	for i, l := range evidenceLabels {
		out[i] = entry{evidenceKey(l.key), l.en, l.ja}
	}
	return out
}

// EvidenceLabel returns the label of an evidence key in p's language, or
// the key itself when it has none.
func (p *Printer) EvidenceLabel(name string) string {
	if _, ok := p.msgs[evidenceKey(name)]; !ok {
		return name
	}
	return p.T(evidenceKey(name))
}
