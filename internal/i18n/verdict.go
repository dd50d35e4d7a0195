package i18n

// The reasons a scorecard gives for its verdicts. Texts with fmt verbs
// take the arguments named in their comment; service lists are
// "80/http, 554/rtsp".
const (
	ReasonAuthVendorRefused Key = "reason.auth.vendorrefused" // %s vendor, %s services
	ReasonAuthAdminStrong   Key = "reason.auth.adminstrong"   // %s services
	ReasonAuthGenericOnly   Key = "reason.auth.genericonly"   // %s services
	ReasonAuthUntried       Key = "reason.auth.untried"       // %s services, %s reason (English)
	// ReasonAuthShared and ReasonAuthSharedMany say that surfaces count a
	// refusal of another surface of the same account domain; %[1]s the
	// surfaces, %[2]s the one that refused ("RTSP (554/rtsp)", "the web
	// login (80/http)": ServiceWebLogin and ServiceNamed).
	ReasonAuthShared     Key = "reason.auth.shared"
	ReasonAuthSharedMany Key = "reason.auth.sharedmany"
	// ServiceWebLogin names a web login surface: %s its port ("80/http").
	ServiceWebLogin Key = "service.weblogin"
	// ServiceNamed names another login surface: %[1]s the protocol's
	// name, %[2]s its port ("554/rtsp").
	ServiceNamed Key = "service.named"
	// ServiceAnd joins two surface names.
	ServiceAnd              Key = "service.and"
	ReasonAuthIncomplete    Key = "reason.auth.incomplete"
	ReasonAuthNoSurface     Key = "reason.auth.nosurface" // %d services seen
	ReasonAuthNoRecord      Key = "reason.auth.norecord"
	ReasonAuthUncovered     Key = "reason.auth.uncovered" // %s services
	ReasonFWNoVendor        Key = "reason.fw.novendor"
	ReasonFWNoModel         Key = "reason.fw.nomodel"
	ReasonExpUnfinished     Key = "reason.exposure.unfinished" // %s ports
	ReasonExpNoPorts        Key = "reason.exposure.noports"
	ReasonInterruptedDevice Key = "reason.interrupted"
	ReasonCheckError        Key = "reason.checkerror" // %s check name
	ReasonNote              Key = "reason.note"       // %s title of an informational finding
)

func verdictEntries() []entry {
	return []entry{
		{ReasonAuthVendorRefused, "The %s factory default passwords were tried and refused on %s.",
			"%s の初期パスワードを試し、%s ですべて拒否されました。"},
		{ReasonAuthAdminStrong, "Your own password works and is strong on %s.",
			"%s では、設定済みのパスワードでログインでき、十分な強度があります。"},
		{ReasonAuthGenericOnly, "The vendor is not known, so only common generic passwords were tried (and refused) on %s; the vendor's own factory defaults could not be tried.",
			"メーカーを特定できなかったため、%s では一般的なパスワードのみを試しました（拒否されました）。メーカー固有の初期パスワードは試せていません。"},
		{ReasonAuthUntried, "Not tried on %s (%s).",
			"%s では試せませんでした（%s）。"},
		{ReasonAuthShared, "%[1]s checks the same accounts as %[2]s, which refused them, so they were not sent again.",
			"%[1]s は %[2]s と同じアカウントを使うため、そこで拒否されたものは再送せず、拒否とみなしました。"},
		{ReasonAuthSharedMany, "%[1]s check the same accounts as %[2]s, which refused them, so they were not sent again.",
			"%[1]s は %[2]s と同じアカウントを使うため、そこで拒否されたものは再送せず、拒否とみなしました。"},
		{ServiceWebLogin, "the web login (%s)", "Web ログイン（%s）"},
		{ServiceNamed, "%[1]s (%[2]s)", "%[1]s（%[2]s）"},
		{ServiceAnd, " and ", "と"},
		{ReasonAuthIncomplete, "The password check did not finish on this device.",
			"この機器ではパスワードの確認が最後まで終わりませんでした。"},
		{ReasonAuthNoSurface, "No service that asks for a password was found (%d services seen), so there was nothing to try.",
			"パスワードを求めるサービスが見つからず（確認したサービス %d 個）、試すものがありませんでした。"},
		{ReasonAuthNoRecord, "The password check left no record of what it tried on this device.",
			"この機器で何を試したかの記録がパスワード確認に残っていません。"},
		{ReasonAuthUncovered, "No conclusive result on %s.",
			"%s では結論が出ませんでした。"},
		{ReasonFWNoVendor, "The vendor was not identified, so the firmware could not be compared with the catalogue.",
			"メーカーを特定できなかったため、ファームウェアをカタログと比べられませんでした。"},
		{ReasonFWNoModel, "The model was not identified, so the firmware could not be compared with the catalogue.",
			"型番を特定できなかったため、ファームウェアをカタログと比べられませんでした。"},
		{ReasonExpUnfinished, "Not every open port could be identified (%s), so unused functions could not all be checked.",
			"開いているポートのうち特定できなかったものがあり（%s）、不要な機能をすべては確認できませんでした。"},
		{ReasonExpNoPorts, "No port of this device was checked.",
			"この機器のポートは確認していません。"},
		{ReasonInterruptedDevice, "The scan was interrupted before this device was fully checked.",
			"この機器の確認が終わる前に診断が中断されました。"},
		{ReasonCheckError, "The %s check failed on this device.",
			"この機器で %s の確認に失敗しました。"},
		{ReasonNote, " Note: %s", " 補足：%s"},
	}
}
