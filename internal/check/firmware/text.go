package firmware

import (
	"fmt"
	"strings"
	"time"

	catalogfw "github.com/camwarden/camwarden/internal/catalog/firmware"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/version"
)

var unknownTitle = finding.Text{EN: "Firmware version could not be read", JA: "ファームウェアのバージョンを確認できません"}

// eolRemediation carries the ministry's advice: replace products whose
// support has ended.
func eolRemediation(en, ja, replacement string) finding.Text {
	t := finding.Text{
		EN: en + " Security flaws found from now on will not be fixed. Replace the product",
		JA: ja + "今後見つかる脆弱性は修正されません。サポートが終了した製品は買い替えを検討してください",
	}
	if replacement != "" {
		t.EN += fmt.Sprintf(" (the vendor's successor is %s)", replacement)
		t.JA += fmt.Sprintf("（メーカーの後継機種は%sです）", replacement)
	}
	t.EN += "; until then, keep it off the internet and behind a firewall."
	t.JA += "。買い替えまでの間は、インターネットから直接接続できないようにしてください。"
	return t
}

// severity ranks a vulnerability: exploited in the wild (KEV) or CVSS 9+
// is critical; an unknown CVSS is treated as high.
func severity(v *catalogfw.Vulnerability) finding.Severity {
	switch {
	case v.KEV || v.CVSS >= 9:
		return finding.SevCritical
	case v.CVSS >= 7 || v.CVSS == 0:
		return finding.SevHigh
	case v.CVSS >= 4:
		return finding.SevMedium
	}
	return finding.SevLow
}

func (c *checker) vulnFinding(v *catalogfw.Vulnerability, inst *version.Version) finding.Finding {
	f := c.base(IDVulnerable, severity(v))
	f.Evidence["cve"] = v.CVE
	f.Evidence["link"] = "https://www.cve.org/CVERecord?id=" + v.CVE
	if inst != nil {
		f.Evidence["installed"] = inst.Raw
	}
	if v.Advisory != "" {
		f.Evidence["advisory"] = v.Advisory
	}
	if v.CVSS > 0 {
		f.Evidence["cvss"] = fmt.Sprint(v.CVSS)
	}
	if v.KEV {
		f.Evidence["kev_date_added"] = v.KEVAdded
	}
	if v.JVN != "" {
		f.Evidence["jvn"] = v.JVN
	}
	if v.RangeText != "" {
		f.Evidence["affected"] = v.RangeText
	}
	f.Evidence["catalogue_source"] = PublicSource(v.Source)
	kevEN, kevJA := "", ""
	if v.KEV {
		kevEN = " CISA lists it as exploited in the wild."
		kevJA = "米国CISAが実際に悪用されている脆弱性（KEV）として公表しています。"
	}
	f.Title = finding.Text{
		EN: fmt.Sprintf("Known vulnerability %s: %s", v.CVE, v.Title),
		JA: fmt.Sprintf("既知の脆弱性 %s（%s）", v.CVE, v.Title),
	}
	if v.AllVersions {
		f.Remediation = finding.Text{
			EN: "The installed firmware is affected by " + v.CVE + " and the vendor provides no fixed version." + kevEN +
				" Stop using the product and replace it; until then, disconnect it from the internet.",
			JA: "導入済みのファームウェアは" + v.CVE + "の影響を受け、メーカーから修正版は提供されていません。" + kevJA +
				"サポートが終了した製品は買い替えを検討してください。それまではインターネットから切り離してください。",
		}
		return f
	}
	f.Remediation = finding.Text{
		EN: "The installed firmware is in the affected range of " + v.CVE + "." + kevEN +
			" Update to the vendor's latest firmware (see the advisory) and keep it up to date; do not expose the device to the internet.",
		JA: "導入済みのファームウェアは" + v.CVE + "の影響を受けるバージョンです。" + kevJA +
			"メーカーのアドバイザリを確認し、最新のファームウェアに更新してください。また、機器をインターネットに直接公開しないでください。",
	}
	return f
}

// staleAfter is the catalogue age from which reports warn.
const staleAfter = 90 * 24 * time.Hour

// FreshnessReport states the catalogue's date and whether it is stale.
type FreshnessReport struct {
	Date    string       `json:"date"`
	AgeDays int          `json:"age_days"`
	Stale   bool         `json:"stale"` // older than 90 days: update it
	Message finding.Text `json:"message"`
}

// Freshness tells a report how old the firmware catalogue is at now and
// warns when it is older than 90 days (or its date cannot be read).
func Freshness(cat *catalogfw.Catalog, now time.Time) FreshnessReport {
	r := FreshnessReport{Date: cat.Date}
	d, ok := date(cat.Date)
	if !ok {
		r.Stale = true
		r.Message = finding.Text{EN: "The firmware catalogue has no valid date; update it with `camwarden catalog update`.",
			JA: "ファームウェアカタログの日付が不正です。`camwarden catalog update` で更新してください。"}
		return r
	}
	age := now.Sub(d)
	r.AgeDays = int(age.Hours() / 24)
	r.Stale = age > staleAfter
	r.Message = finding.Text{
		EN: fmt.Sprintf("Firmware catalogue dated %s (%d days old).", cat.Date, r.AgeDays),
		JA: fmt.Sprintf("ファームウェアカタログの日付: %s（%d日前）。", cat.Date, r.AgeDays),
	}
	if r.Stale {
		r.Message.EN += " It is older than 90 days: newer firmware and vulnerabilities are missing; run `camwarden catalog update`."
		r.Message.JA += "90日以上前のデータのため、新しいファームウェアや脆弱性が反映されていません。`camwarden catalog update` で更新してください。"
	}
	r.Message.EN = strings.TrimSpace(r.Message.EN)
	return r
}

// Reasons of FW-UNCHECKED, kept in the finding's "reason" evidence.
const (
	reasonNoVendor     = "vendor not in the catalogue"
	reasonNoModel      = "model not identified"
	reasonNoRelease    = "no release of this model in the catalogue"
	reasonIncomparable = "the catalogue's latest release cannot be compared with this version"
)

// uncheckedVendor is FW-UNCHECKED for a vendor the catalogue does not
// know at all.
func uncheckedVendor(d *device.Device) finding.Finding {
	name := strings.TrimSpace(d.Vendor() + " " + d.Model())
	return finding.Finding{ID: IDUnchecked, Checkpoint: finding.CheckFirmware, Severity: finding.SevInfo, Address: d.Address,
		Title: finding.Text{
			EN: "Firmware not checked: " + name + " is not in the firmware catalogue",
			JA: "ファームウェア未確認：" + name + " はファームウェアカタログにありません",
		},
		Remediation: finding.Text{
			EN: "camwarden cannot tell whether this firmware is current. Read the installed version on the device's web page and compare it with the latest on the vendor's support site.",
			JA: "camwarden ではこのファームウェアが最新か判定できません。機器の Web 画面で導入済みのバージョンを確認し、メーカーのサポートサイトの最新版と比べてください。",
		},
		Evidence: map[string]string{"vendor": d.Vendor(), "model": d.Model(), "installed": d.Firmware(), "reason": reasonNoVendor},
	}
}

// unchecked is FW-UNCHECKED for a vendor the catalogue knows, when the
// model is unknown to it or its latest release cannot be compared.
func (c *checker) unchecked(reason string) finding.Finding {
	f := c.base(IDUnchecked, finding.SevInfo)
	name := strings.TrimSpace(c.vendor.Name + " " + c.model)
	switch reason {
	case reasonNoModel:
		f.Title = finding.Text{EN: "Firmware not checked: the " + c.vendor.Name + " model was not identified",
			JA: "ファームウェア未確認：" + c.vendor.Name + " の型番を特定できませんでした"}
	case reasonIncomparable:
		f.Title = finding.Text{EN: "Firmware not checked: " + name + " could not be compared with the catalogue",
			JA: "ファームウェア未確認：" + name + " をカタログと比較できませんでした"}
	default:
		f.Title = finding.Text{EN: "Firmware not checked: the catalogue has no release of " + name + " to compare with",
			JA: "ファームウェア未確認：カタログに " + name + " のリリース情報がなく、比較できません"}
	}
	f.Remediation = finding.Text{
		EN: "camwarden cannot tell whether this firmware is current. " + c.vendor.ManualCheck.EN +
			" Then compare it with the latest version on the vendor's support site.",
		JA: "camwarden ではこのファームウェアが最新か判定できません。" + c.vendor.ManualCheck.JA +
			"確認したバージョンをメーカーのサポートサイトの最新版と比べてください。",
	}
	f.Evidence["installed"] = c.d.Firmware()
	f.Evidence["reason"] = reason
	return f
}
