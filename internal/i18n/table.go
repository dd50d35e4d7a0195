package i18n

// The strings of the terminal table. Texts with fmt verbs take the
// arguments named in their comment.
const (
	TableDevice       Key = "table.device"
	TableFixFirst     Key = "table.fixfirst"
	TableBySeverity   Key = "table.byseverity" // %s "critical 4, medium 2"
	TableMoreHosts    Key = "table.morehosts"  // %d further devices
	TableWideHint     Key = "table.widehint"
	TableNothingToFix Key = "table.nothingtofix"
	CSVProtocol       Key = "csv.protocol"
	CSVTitle          Key = "csv.title"
)

func tableEntries() []entry {
	return []entry{
		{TableDevice, "Device", "機器"},
		{TableFixFirst, "Fix these first:", "まず対処すること："},
		{TableBySeverity, "Findings by severity: %s", "重大度別の検出数：%s"},
		{TableMoreHosts, " and %d more", " ほか %d 台"},
		{TableWideHint, "(--wide shows type, firmware and services)", "（--wide で種類・ファームウェア・サービスも表示）"},
		{TableNothingToFix, "No problem to fix was found.", "対処が必要な問題は見つかりませんでした。"},
		{CSVProtocol, "Protocol", "プロトコル"},
		{CSVTitle, "Finding", "検出内容"},
	}
}
