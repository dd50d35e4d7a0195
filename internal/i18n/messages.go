package i18n

// Key names one UI string.
type Key string

// The report strings. Texts with fmt verbs take the arguments named in
// their comment.
const (
	ReportTitle     Key = "report.title"
	ReportIntro     Key = "report.intro"
	Summary         Key = "summary"
	Scope           Key = "scope"
	Started         Key = "started"
	Finished        Key = "finished"
	Duration        Key = "duration"
	CatalogDate     Key = "catalog.date"
	Unknown         Key = "unknown"
	ToolVersion     Key = "tool.version"
	DevicesCount    Key = "devices.count"
	FindingsCount   Key = "findings.count"
	Interrupted     Key = "interrupted"
	ChartTitle      Key = "chart.title"
	ChartDesc       Key = "chart.desc" // %d findings
	DevicesHeading  Key = "devices.heading"
	NoDevices       Key = "devices.none"
	Address         Key = "address"
	Hostname        Key = "hostname"
	Type            Key = "type"
	Vendor          Key = "vendor"
	Model           Key = "model"
	Firmware        Key = "firmware"
	Services        Key = "services"
	DeviceStatus    Key = "device.status"
	None            Key = "none"
	TypeCamera      Key = "type.camera"
	TypeNVR         Key = "type.nvr"
	TypeRouter      Key = "type.router"
	TypeOther       Key = "type.other"
	ScorecardHead   Key = "scorecard.heading"
	Checkpoint      Key = "checkpoint"
	Check1          Key = "check.1"
	Check2          Key = "check.2"
	Check3          Key = "check.3"
	Check1Short     Key = "check.1.short"
	Check2Short     Key = "check.2.short"
	Check3Short     Key = "check.3.short"
	Verdict         Key = "verdict"
	Reason          Key = "reason"
	VerdictPass     Key = "verdict.pass"
	VerdictFail     Key = "verdict.fail"
	VerdictUnknown  Key = "verdict.unknown"
	Legend          Key = "legend"
	FindingsHeading Key = "findings.heading"
	NoFindings      Key = "findings.none"
	Severity        Key = "severity"
	SevCritical     Key = "severity.critical"
	SevHigh         Key = "severity.high"
	SevMedium       Key = "severity.medium"
	SevLow          Key = "severity.low"
	SevInfo         Key = "severity.info"
	FindingID       Key = "finding.id"
	Port            Key = "port"
	Evidence        Key = "evidence"
	Remediation     Key = "remediation"
	VendorSteps     Key = "remediation.vendor" // %s vendor
	Trace           Key = "trace"
	SnapshotAlt     Key = "snapshot.alt"     // %s address
	SnapshotMissing Key = "snapshot.missing" // %s path
	AdviceHeading   Key = "advice.heading"
	AdvicePassword  Key = "advice.password"
	AdviceFirmware  Key = "advice.firmware"
	AdviceFunctions Key = "advice.functions"
	Footer          Key = "footer"         // %s version
	ReasonFWPass    Key = "reason.fw.pass" // %s firmware
	ReasonFWUnread  Key = "reason.fw.unread"
	ReasonExpPass   Key = "reason.exposure.pass" // %d services
	ReasonNotRun    Key = "reason.notrun"
	ReasonMore      Key = "reason.more"          // %d further findings
	ReadAfterLogin  Key = "identity.after_login" // %s value read with a credential
	TableChecks     Key = "table.checks"
	TableFindings   Key = "table.findings"
	TableWorst      Key = "table.worst"   // %d findings, %s severity
	TableSummary    Key = "table.summary" // %d devices, %d findings, %s scope, %s duration
)

// entries is the catalogue. The advice follows the Ministry of Internal
// Affairs and Communications and NOTICE: passwords of 10+ characters, not
// the factory default and unique per device; update the firmware and
// replace unsupported products; switch off unused functions and close
// unneeded ports.
func entries() []entry {
	return append([]entry{
		{ReportTitle, "camwarden security report", "camwarden セキュリティ診断レポート"},
		{ReportIntro, "Each network camera, recorder and router found was checked for the three things that get such devices hijacked: how it is protected by passwords, whether its firmware is current and supported, and whether functions nobody uses are left open.",
			"見つかったネットワークカメラ・レコーダー・ルーターについて、乗っ取りの原因となる3つの点を確認しました。パスワードによる保護、ファームウェアが最新でサポート中か、使っていない機能が開いたままになっていないか、です。"},
		{Summary, "Summary", "概要"},
		{Scope, "Scope", "診断範囲"},
		{Started, "Started", "開始"},
		{Finished, "Finished", "終了"},
		{Duration, "Duration", "所要時間"},
		{CatalogDate, "Catalogue date", "カタログの日付"},
		{Unknown, "unknown", "不明"},
		{ToolVersion, "camwarden version", "camwarden のバージョン"},
		{DevicesCount, "Devices", "機器"},
		{FindingsCount, "Findings", "検出事項"},
		{Interrupted, "The scan was interrupted: results are partial.", "診断は中断されました。結果は一部のみです。"},
		{ChartTitle, "Findings per checkpoint and severity", "チェック項目・重大度ごとの検出数"},
		{ChartDesc, "Bar chart of %d findings by checkpoint, coloured by severity.", "検出事項 %d 件をチェック項目ごとに重大度で色分けした棒グラフ。"},
		{DevicesHeading, "Devices", "機器ごとの結果"},
		{NoDevices, "No devices were found in the scope.", "診断範囲に機器は見つかりませんでした。"},
		{Address, "Address", "アドレス"},
		{Hostname, "Host name", "ホスト名"},
		{Type, "Type", "種類"},
		{Vendor, "Vendor", "メーカー"},
		{Model, "Model", "型番"},
		{Firmware, "Firmware", "ファームウェア"},
		{Services, "Services", "サービス"},
		{DeviceStatus, "Probe problems", "調査中の問題"},
		{None, "none", "なし"},
		{TypeCamera, "camera", "カメラ"},
		{TypeNVR, "recorder (NVR/DVR)", "レコーダー（NVR/DVR）"},
		{TypeRouter, "router", "ルーター"},
		{TypeOther, "other device", "その他の機器"},
		{ScorecardHead, "The three checks", "3つのチェック"},
		{Checkpoint, "Check", "チェック項目"},
		{Check1, "1. Passwords", "1. パスワード"},
		{Check2, "2. Firmware", "2. ファームウェア"},
		{Check3, "3. Unused functions", "3. 不要な機能"},
		{Check1Short, "AUTH", "認証"},
		{Check2Short, "FW", "FW"},
		{Check3Short, "SVC", "機能"},
		{Verdict, "Result", "結果"},
		{Reason, "Reason", "理由"},
		{VerdictPass, "Pass", "合格"},
		{VerdictFail, "Fail", "要対応"},
		{VerdictUnknown, "Could not check", "確認できず"},
		{Legend, "✓ pass  ✗ fail  ? could not check", "✓ 合格  ✗ 要対応  ? 確認できず"},
		{FindingsHeading, "Findings", "検出事項"},
		{NoFindings, "No problems found on this device.", "この機器では問題は見つかりませんでした。"},
		{Severity, "Severity", "重大度"},
		{SevCritical, "critical", "緊急"},
		{SevHigh, "high", "高"},
		{SevMedium, "medium", "中"},
		{SevLow, "low", "低"},
		{SevInfo, "info", "情報"},
		{FindingID, "ID", "ID"},
		{Port, "Port", "ポート"},
		{Evidence, "Evidence", "根拠"},
		{Remediation, "What to do", "対処方法"},
		{VendorSteps, "What to do on the %s device", "%s 製品での対処方法"},
		{Trace, "Protocol trace (secrets redacted)", "通信記録（秘密情報は伏せています）"},
		{SnapshotAlt, "Camera image from %s, obtained without a password", "パスワードなしで取得できた %s のカメラ映像"},
		{SnapshotMissing, "Image %s is not available next to this report.", "画像 %s はこのレポートと同じ場所にありません。"},
		{AdviceHeading, "What to do for every device", "すべての機器で行うこと"},
		{AdvicePassword, "Passwords: do not keep the factory default; set a password of at least 10 characters that is hard to guess and different for every device.",
			"パスワード：初期設定のまま使わず、10文字以上の推測されにくいものを、機器ごとに異なる内容で設定してください。"},
		{AdviceFirmware, "Firmware: update to the latest version from the vendor; replace products whose support has ended.",
			"ファームウェア：メーカーの最新版に更新してください。サポートが終了した製品は買い替えを検討してください。"},
		{AdviceFunctions, "Unused functions: switch off functions you do not use and close ports that are not needed, including port forwarding on the router.",
			"不要な機能：使っていない機能は無効にし、ルーターのポート開放を含め、不要なポートは閉じてください。"},
		{Footer, "Generated by camwarden %s. Only audit networks you own or are authorised to audit.",
			"camwarden %s で作成しました。診断は自分が管理する、または許可を得たネットワークに対してのみ行ってください。"},
		{ReasonFWPass, "Firmware %s is the latest the catalogue knows for this model.", "ファームウェア %s は、カタログにあるこの型番の最新版です。"},
		{ReasonFWUnread, "The firmware version could not be read.", "ファームウェアのバージョンを読み取れませんでした。"},
		{ReasonExpPass, "Every open port was identified and none is an unneeded function (%d services checked).",
			"開いているポートをすべて特定し、不要な機能は見つかりませんでした（%d 個のサービスを確認）。"},
		{ReasonNotRun, "This check was not run in this scan.", "この診断ではこのチェックを実施していません。"},
		{ReadAfterLogin, "%s (read after login)", "%s（ログイン後に取得）"},
		{ReasonMore, " (+%d more)", "（ほか %d 件）"},
		{TableChecks, "1 AUTH 2 FW 3 SVC", "1認証 2FW 3機能"},
		{TableFindings, "FINDINGS", "検出"},
		{TableWorst, "%d (worst %s)", "%d 件（最大 %s）"},
		{TableSummary, "%d devices, %d findings; scope %s; %s", "機器 %d 台、検出 %d 件、範囲 %s、所要 %s"},
	}, append(append(append(historyEntries(), verdictEntries()...), tableEntries()...), evidenceEntries()...)...)
}
