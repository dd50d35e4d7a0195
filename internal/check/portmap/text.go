package portmap

import "github.com/camwarden/camwarden/internal/finding"

type text struct {
	title  finding.Text
	advice finding.Text
}

var texts = map[string]text{
	IDExposed: {
		finding.Text{EN: "Port published to the internet by the router (UPnP port mapping)",
			JA: "ルーターがこのポートをインターネットに公開しています（UPnP ポートマッピング）"},
		finding.Text{EN: "Anyone on the internet can reach this service through the router's external address. Delete the port mapping on the router, switch UPnP off on the router and on the device (so it cannot open the port again), and use a VPN for remote viewing.",
			JA: "インターネット上の誰もが、ルーターのグローバルアドレス経由でこのサービスに接続できます。ルーターのポートマッピング（ポート開放）を削除し、ルーターと機器の UPnP を無効にして（機器が再びポートを開けないように）、遠隔での視聴には VPN を使ってください。"}},
	IDExposedUnscanned: {
		finding.Text{EN: "Router publishes a port of a host that was not scanned",
			JA: "スキャン対象外の機器のポートをルーターが公開しています"},
		finding.Text{EN: "The router forwards this external port to a LAN host camwarden did not audit. Find out what that host is; delete the mapping if nobody needs it, and switch UPnP off on the router.",
			JA: "ルーターが、camwarden が診断していない LAN 内の機器へこの外部ポートを転送しています。その機器が何かを確認し、不要ならポートマッピングを削除して、ルーターの UPnP を無効にしてください。"}},
	IDUnchecked: {
		finding.Text{EN: "Router's port forwarding could not be checked",
			JA: "ルーターのポート転送を確認できませんでした"},
		finding.Text{EN: "The router offers UPnP port mapping but its list of forwarded ports could not be read completely, so camwarden cannot tell what it publishes to the internet. Open the router's settings and look at its port forwarding / UPnP table, delete what nobody needs, and switch UPnP off.",
			JA: "ルーターは UPnP のポート開放に対応していますが、転送中のポートの一覧を最後まで読み取れなかったため、インターネットに何が公開されているか判断できません。ルーターの設定画面でポート転送／UPnP の一覧を確認し、不要なものを削除して、UPnP を無効にしてください。"}},
	IDOutsideView: {
		finding.Text{EN: "Outside view: ports published on the router's external address",
			JA: "外部からの見え方：ルーターのグローバルアドレスで公開されているポート"},
		finding.Text{EN: "This is what the internet can reach without scanning from outside (read from the router's own mapping table). Keep the list empty unless each entry is needed and protected.",
			JA: "外部からスキャンせずに（ルーター自身のマッピング表から）読み取った、インターネットから到達できるポートの一覧です。必要で保護されたもの以外は公開しないでください。"}},
}
