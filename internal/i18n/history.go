package i18n

// The strings of `camwarden history` and of the "since last scan" view.
// Texts with fmt verbs take the arguments named in their comment.
const (
	HistoryScans      Key = "history.scans" // %s database path
	HistoryNoScans    Key = "history.noscans"
	HistoryID         Key = "history.id"
	HistoryDate       Key = "history.date"
	HistoryPartial    Key = "history.partial"
	HistoryPruned     Key = "history.pruned"
	HistoryDevice     Key = "history.device"     // %s key, %s vendor and model
	HistoryFirmwares  Key = "history.firmwares"  // %s list of versions
	HistorySeenAt     Key = "history.seenat"     // %d scan ID, %s address
	HistoryFindingsN  Key = "history.findings"   // %d findings
	HistoryMoved      Key = "history.moved"      // %s previous address
	HistoryFWChanged  Key = "history.fw.changed" // %s from, %s to
	HistoryOpened     Key = "history.opened"     // %s list
	HistoryFixed      Key = "history.fixed"      // %s list
	HistoryUnchecked  Key = "history.unchecked"  // %s list
	HistoryVerdict    Key = "history.verdict"    // %s checkpoint, %s from, %s to
	SinceHeading      Key = "since.heading"      // %s previous date, %s current date
	SinceNew          Key = "since.new"
	SinceGone         Key = "since.gone"
	SinceChanged      Key = "since.changed"
	SinceUnchanged    Key = "since.unchanged" // %d devices
	SinceNothing      Key = "since.nothing"
	SinceScopeChanged Key = "since.scope" // %s previous scope, %s current scope
	SinceInterrupted  Key = "since.interrupted"
	SinceNeedTwo      Key = "since.needtwo"
)

func historyEntries() []entry {
	return []entry{
		{HistoryScans, "Stored scans (%s)", "保存された診断（%s）"},
		{HistoryNoScans, "No scans are stored yet. Save one with: camwarden scan --db PATH TARGET...",
			"保存された診断はまだありません。camwarden scan --db PATH 対象... で保存できます。"},
		{HistoryID, "ID", "ID"},
		{HistoryDate, "Date", "日時"},
		{HistoryPartial, "(interrupted)", "（中断）"},
		{HistoryPruned, "(report removed by retention)", "（保持期間によりレポート削除済み）"},
		{HistoryDevice, "Device %s: %s", "機器 %s：%s"},
		{HistoryFirmwares, "Firmware versions seen: %s", "確認したファームウェア：%s"},
		{HistorySeenAt, "scan %d at %s", "診断 %d（%s）"},
		{HistoryFindingsN, "%d findings", "検出 %d 件"},
		{HistoryMoved, "moved from %s", "%s から移動"},
		{HistoryFWChanged, "firmware %s → %s", "ファームウェア %s → %s"},
		{HistoryOpened, "new: %s", "新たに検出：%s"},
		{HistoryFixed, "fixed: %s", "解消：%s"},
		{HistoryUnchecked, "not checked this time: %s", "今回は未確認：%s"},
		{HistoryVerdict, "%s %s → %s", "%s %s → %s"},
		{SinceHeading, "Since the last scan (%s → %s)", "前回の診断からの変化（%s → %s）"},
		{SinceNew, "New devices", "新たに見つかった機器"},
		{SinceGone, "Devices no longer seen", "見つからなくなった機器"},
		{SinceChanged, "Changed devices", "変化のあった機器"},
		{SinceUnchanged, "%d devices unchanged.", "変化のない機器：%d 台"},
		{SinceNothing, "Nothing changed.", "変化はありません。"},
		{SinceScopeChanged, "The two scans covered different scopes (%s, then %s): a device no longer seen may only be outside the new scope.",
			"2回の診断は範囲が異なります（%s、次に %s）。見つからなくなった機器は、新しい範囲の外にあるだけかもしれません。"},
		{SinceInterrupted, "The last scan was interrupted: a device no longer seen may only not have been reached.",
			"前回の診断は中断されました。見つからなくなった機器は、確認が終わらなかっただけかもしれません。"},
		{SinceNeedTwo, "Fewer than two scans are stored: nothing to compare yet.", "保存された診断が2回分ないため、まだ比較できません。"},
	}
}
