package alert

import (
	"crypto/tls"
	"encoding/json"
	"mime"
	"net"
	"net/http/httptest"
	"net/mail"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"encoding/base64"
	"io"

	"github.com/camwarden/camwarden/internal/alert/alerttest"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store/storetest"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func kinds(as []Alert) []string {
	var out []string
	for _, a := range as {
		out = append(out, string(a.Kind)+" "+a.Address+" "+a.FindingID)
	}
	slices.Sort(out)
	return out
}

func TestBuild(t *testing.T) {
	base := storetest.LabScan(t)
	dev := base.Devices[0]
	addr := dev.Address
	telnet := finding.Finding{ID: "EXPOSE-TELNET", Checkpoint: finding.CheckExposure, Severity: finding.SevHigh,
		Address: addr, Port: 23, Protocol: "telnet", Title: finding.Text{EN: "Telnet open"}}
	info := finding.Finding{ID: "INFO-X", Checkpoint: finding.CheckExposure, Severity: finding.SevInfo, Address: addr, Port: 1, Protocol: "x"}
	eol := finding.Finding{ID: "FW-EOL", Checkpoint: finding.CheckFirmware, Severity: finding.SevMedium, Address: addr,
		Evidence: map[string]string{"end_of_support": "2026-04-15"}}
	tests := []struct {
		name   string
		change func(s *report.Scan)
		pol    Policy
		prev   bool
		want   []string
	}{
		{"baseline alerts nothing", func(*report.Scan) {}, Policy{}, false, nil},
		{"no change", func(*report.Scan) {}, Policy{}, true, nil},
		{"new finding at threshold", func(s *report.Scan) { s.Findings = append(s.Findings, telnet, info) },
			Policy{MinSeverity: finding.SevMedium}, true, []string{"finding.new " + addr.String() + " EXPOSE-TELNET"}},
		{"new device", func(s *report.Scan) {
			d := dev
			d.Address, d.Serial, d.MAC = netip.MustParseAddr("127.77.0.200"), "NEW-SERIAL-1", ""
			s.Devices = append(s.Devices, d)
		}, Policy{}, true, []string{"device.new 127.77.0.200 "}},
		{"firmware changed", func(s *report.Scan) { s.Devices[0].Firmware = "V9.9.9" }, Policy{MinSeverity: finding.SevCritical + 1}, true,
			[]string{"firmware.changed " + addr.String() + " "}},
		{"support ending within 90 days", func(s *report.Scan) { s.Findings = append(s.Findings, eol) },
			Policy{MinSeverity: finding.SevCritical + 1, SupportDays: 90}, true, []string{"support.ending " + addr.String() + " FW-EOL"}},
		{"support ending later than asked", func(s *report.Scan) { s.Findings = append(s.Findings, eol) },
			Policy{MinSeverity: finding.SevCritical + 1, SupportDays: 30}, true, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cur := storetest.LabScan(t)
			tc.change(cur)
			cur.Normalize()
			var prev *report.Scan
			if tc.prev {
				prev = storetest.LabScan(t)
			}
			got := kinds(Build("shop", 7, prev, cur, tc.pol, now))
			if !slices.Equal(got, tc.want) {
				t.Errorf("alerts %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("fixed and dedup keys", func(t *testing.T) {
		prev := storetest.LabScan(t)
		prev.Findings = append(prev.Findings, telnet)
		prev.Normalize()
		as := Build("shop", 7, prev, storetest.LabScan(t), Policy{}, now)
		if got := kinds(as); !slices.Equal(got, []string{"finding.fixed " + addr.String() + " EXPOSE-TELNET"}) {
			t.Fatalf("alerts %q", got)
		}
		again := Build("shop", 7, prev, storetest.LabScan(t), Policy{}, now)
		if as[0].Dedup != again[0].Dedup || !strings.Contains(as[0].Dedup, "|7|") {
			t.Errorf("dedup keys %q / %q", as[0].Dedup, again[0].Dedup)
		}
	})
}

func hostileMessage() Message {
	return Message{Site: "shop\r\nBcc: x@evil", Run: 3, Alerts: []Alert{{Kind: FindingNew, Severity: finding.SevHigh,
		Address: "127.77.0.9", Vendor: "Evil\x1b[31m", Model: "<script>", FindingID: "EXPOSE-TELNET",
		Title: finding.Text{EN: "Telnet open", JA: "Telnet が開いています"}}}}
}

func TestMessageText(t *testing.T) {
	m := hostileMessage()
	for _, lang := range []i18n.Lang{i18n.EN, i18n.JA} {
		text, subj := m.Text(lang), m.Subject(lang)
		if strings.ContainsAny(subj, "\r\n") || strings.Contains(text, "\x1b") {
			t.Errorf("%s: control characters kept: %q / %q", lang, subj, text)
		}
	}
	if ja := m.Text(i18n.JA); !strings.Contains(ja, "新しい問題") || !strings.Contains(ja, "Telnet が開いています") {
		t.Errorf("Japanese text: %s", ja)
	}
}

func TestWebhook(t *testing.T) {
	var rcv alerttest.Receiver
	srv := httptest.NewServer(&rcv)
	defer srv.Close()
	for _, slack := range []bool{false, true} {
		w := &Webhook{ID: "webhook:1", URL: srv.URL, Slack: slack, Lang: i18n.EN}
		rcv.Fail(1)
		if err := w.Send(t.Context(), hostileMessage()); err == nil || !strings.Contains(err.Error(), "503") {
			t.Errorf("a 503 was taken as delivered: %v", err)
		}
		if err := w.Send(t.Context(), hostileMessage()); err != nil {
			t.Fatal(err)
		}
	}
	reqs := rcv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	var own struct {
		Schema string  `json:"schema"`
		Text   string  `json:"text"`
		Alerts []Alert `json:"alerts"`
	}
	if err := json.Unmarshal(reqs[0].Body, &own); err != nil || own.Schema != "camwarden.alerts/v1" || len(own.Alerts) != 1 {
		t.Errorf("camwarden body %s: %v", reqs[0].Body, err)
	}
	var slack map[string]any
	if err := json.Unmarshal(reqs[1].Body, &slack); err != nil || len(slack) != 1 || slack["text"] == "" {
		t.Errorf("slack body %s: %v", reqs[1].Body, err)
	}
	if reqs[0].Header.Get("Idempotency-Key") != "camwarden-audit-3-webhook:1" {
		t.Errorf("Idempotency-Key %q", reqs[0].Header.Get("Idempotency-Key"))
	}
}

func startSink(t *testing.T, withTLS bool) (*alerttest.Sink, string, *tls.Config) {
	t.Helper()
	cert, certPEM, _, err := alerttest.SelfSigned("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	o := alerttest.SinkOptions{User: "alerts", Password: "s3cret-sink-pw"}
	if withTLS {
		o.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	sink := alerttest.NewSink(o)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = sink.Serve(l) }()
	t.Cleanup(func() { _ = sink.Close() })
	return sink, l.Addr().String(), &tls.Config{RootCAs: alerttest.Pool(certPEM)}
}

func TestEmail(t *testing.T) {
	sink, addr, client := startSink(t, true)
	e := &Email{ID: "email:1", Addr: addr, From: "camwarden@shop.example", To: []string{"owner@shop.example"},
		User: "alerts", Password: "s3cret-sink-pw", Lang: i18n.JA, TLS: client}
	if err := e.Check(); err != nil {
		t.Fatal(err)
	}
	if err := e.Send(t.Context(), hostileMessage()); err != nil {
		t.Fatal(err)
	}
	mails := sink.Mails()
	if len(mails) != 1 || !mails[0].TLS || mails[0].User != "alerts" {
		t.Fatalf("mails %+v", mails)
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(mails[0].Data)))
	if err != nil {
		t.Fatal(err)
	}
	subj, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	body, _ := io.ReadAll(base64.NewDecoder(base64.StdEncoding, msg.Body))
	if !strings.Contains(subj, "1 件の変化") || strings.Contains(subj, "\n") || msg.Header.Get("Bcc") != "" {
		t.Errorf("subject %q, Bcc %q", subj, msg.Header.Get("Bcc"))
	}
	if !strings.Contains(string(body), "新しい問題") {
		t.Errorf("body %s", body)
	}
	if msg.Header.Get("Message-ID") != "<camwarden-audit-3-email:1@127.0.0.1>" {
		t.Errorf("Message-ID %q", msg.Header.Get("Message-ID"))
	}
	e.Password = "wrong"
	if err := e.Send(t.Context(), hostileMessage()); err == nil || !strings.Contains(err.Error(), "auth") {
		t.Errorf("wrong password: %v", err)
	}
}

func TestEmailRefusesCleartext(t *testing.T) {
	sink, addr, _ := startSink(t, false)
	e := &Email{ID: "email:1", Addr: addr, From: "a@b.example", To: []string{"c@d.example"}, User: "alerts", Password: "x"}
	if err := e.Send(t.Context(), hostileMessage()); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("sent without STARTTLS: %v", err)
	}
	if len(sink.Mails()) != 0 {
		t.Error("the sink got a message")
	}
}
