package exposure

import (
	"github.com/camwarden/camwarden/internal/finding"
)

// ministry is the closing advice of every remediation: switch off unused
// functions and close unneeded ports.
var ministry = finding.Text{
	EN: " Switch off functions you do not use and close ports you do not need; never forward this port on the router.",
	JA: "使わない機能は無効にし、不要なポートは閉じてください。ルーターでこのポートを転送（ポート開放）しないでください。",
}

type text struct {
	title  finding.Text
	advice finding.Text // what to do, without a vendor path
}

var texts = map[string]text{
	IDTelnet: {
		finding.Text{EN: "Telnet is enabled", JA: "Telnet が有効になっています"},
		finding.Text{EN: "Telnet sends passwords in clear and is the first door botnets such as Mirai try. Switch telnet off.",
			JA: "Telnet はパスワードを暗号化せずに送り、Mirai などのボットネットが最初に狙う入口です。Telnet を無効にしてください。"}},
	IDFTP: {
		finding.Text{EN: "FTP server is enabled", JA: "FTP サーバーが有効になっています"},
		finding.Text{EN: "FTP sends passwords and files in clear. Switch the FTP server off unless you use it; prefer SFTP or HTTPS uploads.",
			JA: "FTP はパスワードとファイルを暗号化せずに送ります。使っていなければ FTP サーバーを無効にし、必要なら SFTP や HTTPS を使ってください。"}},
	IDSSHPassword: {
		finding.Text{EN: "SSH accepts password login", JA: "SSH でパスワードによるログインができます"},
		finding.Text{EN: "An SSH server that offers password login can be brute-forced. Switch SSH off if you do not administer the device over it; otherwise allow key login only.",
			JA: "パスワードでログインできる SSH は総当たり攻撃の対象になります。SSH で管理していなければ SSH を無効にし、使う場合は鍵認証だけを許可してください。"}},
	IDSNMP: {
		finding.Text{EN: "SNMP v1/v2c answers a community string", JA: "SNMP v1/v2c がコミュニティ名で応答します"},
		finding.Text{EN: "SNMP v1/v2c has no real authentication: the community string travels in clear and the factory one is public knowledge. Switch SNMP off, or use SNMPv3 with a user and password.",
			JA: "SNMP v1/v2c には実質的な認証がなく、コミュニティ名は暗号化されず、初期値は広く知られています。SNMP を無効にするか、ユーザーとパスワードを設定した SNMPv3 を使ってください。"}},
	IDUPnP: {
		finding.Text{EN: "UPnP/SSDP is answering on the device", JA: "機器で UPnP/SSDP が応答しています"},
		finding.Text{EN: "UPnP announces the device on the network and, on some models, asks the router to open ports to the internet by itself. Switch UPnP off on the camera.",
			JA: "UPnP は機器の存在をネットワークに知らせ、機種によってはルーターに自動でポート開放を依頼します。カメラの UPnP を無効にしてください。"}},
	IDONVIFNoAuth: {
		finding.Text{EN: "ONVIF answers without authentication", JA: "ONVIF が認証なしで応答します"},
		finding.Text{EN: "The ONVIF service gave out device information without credentials. Turn on ONVIF user authentication (digest/WS-Security), or switch ONVIF off if no recorder or app uses it.",
			JA: "ONVIF サービスが認証なしで機器情報を返しました。ONVIF の認証（ダイジェスト認証／WS-Security）を有効にするか、録画機やアプリで使っていなければ ONVIF を無効にしてください。"}},
	IDHTTPNoTLS: {
		finding.Text{EN: "Web administration over plain HTTP, no HTTPS offered (informational)", JA: "管理画面が暗号化されていない HTTP で、HTTPS がありません（参考情報）"},
		finding.Text{EN: "The login page and password cross the network unencrypted. On a trusted home or office network this is common and low risk; if the device is reached over Wi-Fi shared with others or from outside, enable HTTPS and switch plain HTTP off (or redirect it to HTTPS).",
			JA: "ログイン画面とパスワードが暗号化されずにネットワークを流れます。信頼できる家庭内・社内ネットワークではよくある設定で、危険性は低めです。他人と共有する Wi-Fi や外部から接続する場合は、HTTPS を有効にし、HTTP は無効にする（または HTTPS に転送する）設定にしてください。"}},
	IDTLSCert: {
		finding.Text{EN: "HTTPS certificate is self-signed or expired (informational)", JA: "HTTPS の証明書が自己署名または期限切れです（参考情報）"},
		finding.Text{EN: "Browsers cannot tell this device from an impostor. Install a certificate from your own or a public CA, and renew it before it expires.",
			JA: "ブラウザーがこの機器となりすましを区別できません。社内 CA または公的な認証局の証明書を設定し、期限が切れる前に更新してください。"}},
	IDVendorSDK: {
		finding.Text{EN: "Vendor SDK port is open", JA: "メーカー独自の SDK ポートが開いています"},
		finding.Text{EN: "The vendor's private protocol (used by its apps and recorders) accepts logins on this port and has had serious flaws. Keep the firmware current, do not forward the port, and switch the service off where the device allows it.",
			JA: "メーカー独自のプロトコル（専用アプリや録画機が使用）がこのポートでログインを受け付けており、過去に深刻な脆弱性がありました。ファームウェアを最新にし、このポートを転送せず、機器で無効にできる場合は無効にしてください。"}},
	IDDebugPort: {
		finding.Text{EN: "Vendor debug port (XMeye 9527) is open", JA: "メーカーのデバッグ用ポート（XMeye 9527）が開いています"},
		finding.Text{EN: "Port 9527 of XMeye/Xiongmai devices is a maintenance console that has given shell access with the web password or without one. It cannot be switched off in the web interface: update to firmware that closes it, block it on the network, or replace the device.",
			JA: "XMeye/Xiongmai 製機器の 9527 番ポートは保守用コンソールで、Web のパスワードで、あるいはパスワードなしでシェルに入れた事例があります。Web 画面からは無効にできないため、このポートを閉じるファームウェアに更新するか、ネットワークで遮断するか、機器の交換を検討してください。"}},
	IDCloudP2P: {
		finding.Text{EN: "Cloud/P2P remote access is enabled", JA: "クラウド／P2P 遠隔接続が有効になっています"},
		finding.Text{EN: "The device keeps a connection to the vendor's cloud so it can be reached from the internet without port forwarding. Switch it off if you do not view the camera remotely through the vendor's app.",
			JA: "機器がメーカーのクラウドに常時接続しており、ポート開放なしでインターネットから接続できる状態です。メーカーのアプリで遠隔から見ていなければ無効にしてください。"}},
}

// vendorPath is where a vendor's web interface switches a function off.
// Paths follow the vendors' user manuals; when a path is not known the
// advice stays generic.
var vendorPath = map[string]map[string]finding.Text{
	"hikvision": {
		IDTelnet:      {EN: "Configuration > System > Security > Security Service", JA: "設定 > システム > セキュリティ > セキュリティサービス"},
		IDSSHPassword: {EN: "Configuration > System > Security > Security Service (Enable SSH)", JA: "設定 > システム > セキュリティ > セキュリティサービス（SSH を有効化）"},
		IDONVIFNoAuth: {EN: "Configuration > Network > Advanced Settings > Integration Protocol", JA: "設定 > ネットワーク > 詳細設定 > 統合プロトコル"},
		IDHTTPNoTLS:   {EN: "Configuration > Network > Advanced Settings > HTTPS", JA: "設定 > ネットワーク > 詳細設定 > HTTPS"},
		IDCloudP2P:    {EN: "Configuration > Network > Advanced Settings > Platform Access (Hik-Connect)", JA: "設定 > ネットワーク > 詳細設定 > プラットフォームアクセス（Hik-Connect）"},
		IDUPnP:        {EN: "Configuration > Network > Basic Settings > NAT (UPnP)", JA: "設定 > ネットワーク > 基本設定 > NAT（UPnP）"},
		IDSNMP:        {EN: "Configuration > Network > Advanced Settings > SNMP", JA: "設定 > ネットワーク > 詳細設定 > SNMP"},
		IDFTP:         {EN: "Configuration > Network > Advanced Settings > FTP", JA: "設定 > ネットワーク > 詳細設定 > FTP"},
	},
	"dahua": {
		IDTelnet:      {EN: "Setting > System > Safety > System Service", JA: "設定 > システム > セーフティ > システムサービス"},
		IDSSHPassword: {EN: "Setting > System > Safety > System Service (SSH)", JA: "設定 > システム > セーフティ > システムサービス（SSH）"},
		IDCloudP2P:    {EN: "Setting > Network > P2P (untick Enable)", JA: "設定 > ネットワーク > P2P（有効のチェックを外す）"},
		IDHTTPNoTLS:   {EN: "Setting > Network > HTTPS", JA: "設定 > ネットワーク > HTTPS"},
		IDUPnP:        {EN: "Setting > Network > UPnP", JA: "設定 > ネットワーク > UPnP"},
		IDSNMP:        {EN: "Setting > Network > SNMP", JA: "設定 > ネットワーク > SNMP"},
		IDONVIFNoAuth: {EN: "Setting > System > Safety > System Service (ONVIF authentication)", JA: "設定 > システム > セーフティ > システムサービス（ONVIF 認証）"},
	},
	"axis": {
		IDFTP:         {EN: "Settings > System > Network > Network protocols (older firmware: Setup > System Options > Network)", JA: "設定 > システム > ネットワーク > ネットワークプロトコル（旧ファームウェア: Setup > System Options > Network）"},
		IDUPnP:        {EN: "Settings > System > Network > Network discovery protocols > UPnP (older firmware: Setup > System Options > Network > UPnP)", JA: "設定 > システム > ネットワーク > ネットワーク検出プロトコル > UPnP（旧ファームウェア: Setup > System Options > Network > UPnP）"},
		IDHTTPNoTLS:   {EN: "Settings > System > Security > HTTPS (Allow access through: HTTPS)", JA: "設定 > システム > セキュリティ > HTTPS（アクセス方法を HTTPS のみに）"},
		IDSSHPassword: {EN: "Settings > System > Plain config > Network > SSH", JA: "設定 > システム > Plain config > Network > SSH"},
	},
	"mikrotik": {
		IDTelnet:      {EN: "IP > Services (disable telnet)", JA: "IP > Services（telnet を disable）"},
		IDFTP:         {EN: "IP > Services (disable ftp)", JA: "IP > Services（ftp を disable）"},
		IDSSHPassword: {EN: "IP > Services (limit ssh to your LAN) and System > Users (SSH keys)", JA: "IP > Services（ssh の接続元を LAN に限定）と System > Users（SSH 鍵）"},
		IDHTTPNoTLS:   {EN: "IP > Services (disable www, enable www-ssl)", JA: "IP > Services（www を disable、www-ssl を有効化）"},
		IDSNMP:        {EN: "IP > SNMP (untick Enabled)", JA: "IP > SNMP（Enabled のチェックを外す）"},
	},
}

// remediation returns the advice for id on a device of vendor, naming the
// menu of the vendor's platform (Amcrest shares Dahua's) when known, and
// the ministry's closing advice.
func remediation(id, vendor, platform string) finding.Text {
	t := texts[id].advice
	if p, ok := vendorPath[platform][id]; ok {
		t.EN += " On " + vendor + " devices: " + p.EN + "."
		t.JA += vendor + " の機器では「" + p.JA + "」で設定できます。"
	}
	t.EN += ministry.EN
	t.JA += ministry.JA
	return t
}
