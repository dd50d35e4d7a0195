package rtsp

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sharedData is ../shared/data seen from this package: the real captures
// (issue-thread quotes without a licence grant stay there, read at test
// time, never copied; see its SOURCES.md).
var sharedData = filepath.Join("..", "..", "..", "..", "shared", "data")

// sharedFile reads a file of ../shared/data; a missing file fails the test
// (CI has the folder).
func sharedFile(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sharedData, rel))
	if err != nil {
		t.Fatalf("shared capture: %v", err)
	}
	return b
}

// fromStatusLine drops what a capture has before its first answer (a
// "### fragment" note, a request, the tail of an earlier answer).
func fromStatusLine(b []byte) []byte {
	if bytes.HasPrefix(b, []byte("RTSP/1.")) {
		return b
	}
	if i := bytes.Index(b, []byte("\nRTSP/1.")); i >= 0 {
		return b[i+1:]
	}
	return b
}

// want is what one answer of a capture must parse to.
type want struct {
	status    int
	cseq      string
	truncated bool
	server    string
	public    []string
	auth      string // "Scheme[realm]" of every challenge, comma separated
	base      string // BaseURL for the request rtsp://10.0.0.1:554/req/path
	media     string // ParseSDP(body).Summary()
	tool      string
	header    [2]string // one more header that must be read: name, value
}

// TestReadResponseRealCaptures parses real camera answers: every quirk the
// lenient parser accepts is in one of them (file names say the vendor;
// ../shared/data/field-captures/SOURCES.md says where each comes from).
func TestReadResponseRealCaptures(t *testing.T) {
	const fc = "field-captures/"
	tests := []struct {
		file string
		want []want
	}{
		{fc + "aiphone/aiphone_rtsp-describe-200-sdp.txt", []want{{status: 200, cseq: "4", server: "Linux/2.6.32.17-davinci1 Ze-PRO",
			base: "rtsp://192.168.1.12:554/udp/unicast/aiphone_H264/", media: "video H264/90000, audio"}}},
		{fc + "aiphone/aiphone_rtsp-describe-401.txt", []want{{status: 401, cseq: "1", server: "Linux/2.6.32.17-davinci1 Ze-PRO", auth: "Digest[Secret]"}}},
		// Content-Base with a masked, non-numeric port; body cut short of Content-Length 1317.
		{fc + "dahua/dahua-ipc_onvif-backchannel_rtsp-describe-200_TRUNCATED.txt", []want{{status: 200, cseq: "3", truncated: true,
			base:  "rtsp://URL:PORT/cam/realmonitor?channel=1&subtype=0&unicast=true&proto=Onvif/",
			media: "video H264/90000, audio PCMA/8000, application vnd.onvif.metadata/90000, audio MPEG4-GENERIC/64000"}}},
		// "Cseq" and "Content-length" spelling (HiSilicon SDK).
		{fc + "foscam/foscam-fi8620_rtsp-describe-200-sdp.txt", []want{{status: 200, cseq: "3", server: "HiIpcam/V100R003 VodServer/1.0.0",
			base: "rtsp://192.168.253.97:554/11/", media: "video H264/90000", header: [2]string{"X-Accept-Retransmit", "our-retransmit"}}}},
		// Digest params without a space after the comma.
		{fc + "generic-oem-hisilicon/av0_0-camera_rtsp-options-200_describe-401_realm-RTSPD.txt", []want{
			{status: 200, cseq: "2", public: []string{"OPTIONS", "DESCRIBE", "SETUP", "TEARDOWN", "PLAY", "PAUSE", "GET_PARAMETER", "SET_PARAMETER"}},
			{status: 401, cseq: "3", auth: "Digest[RTSPD]"}}},
		// Public list without spaces; body shorter than Content-Length.
		{fc + "generic-oem-unknown/live-av0_realm-streaming-server-realm_rtsp-options-401-describe.txt", []want{
			{status: 200, cseq: "1", public: []string{"OPTIONS", "DESCRIBE", "SETUP", "PLAY", "PAUSE", "TEARDOWN"}},
			{status: 401, cseq: "2", auth: "Basic[streaming server realm]"},
			{status: 200, cseq: "3", truncated: true, base: "rtsp://10.0.0.1:554/req/path", media: "audio, video H264/90000",
				header: [2]string{"X-Accept-Dynamic-Rate", "1"}}}},
		// Digest (stale="FALSE") then Basic; "Date:" with two spaces.
		{fc + "hikvision/hikvision-DS-2CD1148-I-B_rtsp-describe-401_digest+basic.txt", []want{{status: 401, cseq: "1",
			auth: "Digest[b4a38201a73f],Basic[b4a38201a73f]", header: [2]string{"Date", "Sat, Apr 25 2026 00:05:48 GMT"}}}},
		{fc + "hikvision/hikvision-HIK-Media-Server-V5.03.010_rtsp-describe-200.txt", []want{{status: 200, cseq: "3",
			base: "rtsp://10.0.0.1:554/req/path", media: "video H264/90000, audio MPEG4-GENERIC/16000"}}},
		// Content-Base carrying the user's credentials: BaseURL drops them.
		{fc + "hikvision/hikvision-ipcam_realm-IPCamera-C2189_rtsp-describe-200_TRUNCATED.txt", []want{{status: 200, cseq: "3", truncated: true,
			base: "rtsp://21m677n127.imwork.net:17970/h264/ch1/main/av_stream/", media: "video H264/90000"}}},
		// A note line and SDP tail lines inside the header block are dropped;
		// the Public list is cut in the source.
		{fc + "panasonic-ipro/panasonic_rtsp-MediaInput-h264_fragments_TRUNCATED.txt", []want{
			{status: 200, cseq: "2", public: []string{"OPTIONS", "DESCRIBE", "SETUP", "PLAY", "PAUSE", "GET_PARAMETER", "TEAR"},
				header: [2]string{"Connection", "Keep-Alive"}},
			{status: 200, cseq: "4", header: [2]string{"Session", "6084719271315754061331544451080;timeout=120"}}}},
		// Content-Base with a double slash, go2rtc-canonicalised "Cseq".
		{fc + "reolink/reolink-doorbell_live555-v2020.08.12_rtsp-describe-200.txt", []want{{status: 200, cseq: "2",
			base: "rtsp://192.168.40.20//", media: "video H264/90000, audio MPEG4-GENERIC/16000", tool: "LIVE555 Streaming Media v2020.08.12"}}},
		{fc + "reolink/reolink-live555-v2013.04.08_rtsp-describe-200_h264Preview_01_main.txt", []want{{status: 200, cseq: "4",
			base: "rtsp://192.168.1.48/h264Preview_01_main/", media: "video H264/90000, audio MPEG4-GENERIC/16000", tool: "LIVE555 Streaming Media v2013.04.08"}}},
		{fc + "reolink/reolink_rtsp-options-200_and-describe-401_live555.txt", []want{
			{status: 200, cseq: "2", public: []string{"OPTIONS", "DESCRIBE", "SETUP", "TEARDOWN", "PLAY", "PAUSE", "GET_PARAMETER", "SET_PARAMETER"}},
			{status: 401, cseq: "3", auth: "Digest[LIVE555 Streaming Media]"}}},
		// The device's answer ends without the blank line.
		{fc + "tp-link-tapo/tapo-c110_rtsp-describe-401_TRUNCATED.txt", []want{{status: 401, cseq: "1", truncated: true, auth: "Basic[TP-Link IP-Camera]"}}},
		{fc + "tp-link-tapo/tapo-c110_rtsp-options-200.txt", []want{{status: 200, cseq: "0",
			public: []string{"OPTIONS", "DESCRIBE", "SETUP", "TEARDOWN", "PLAY", "GET_PARAMETER", "SET_PARAMETER"}}}},
		// Starts with the tail of the 401; the 200's SDP stops before any m= line.
		{fc + "tp-link-tapo/tapo-c200_rtsp-401-realm-and-describe-200_TRUNCATED.txt", []want{{status: 200, cseq: "2", truncated: true,
			base: "rtsp://10.0.0.110/stream1/", tool: "TP-LINK Streaming Media v2015.05.12"}}},
		{fc + "tp-link-tapo/tapo-c211_fw1.3.9_rtsp-describe-401_TRUNCATED.txt", []want{{status: 401, cseq: "1", truncated: true, auth: "Basic[TP-Link IP-Camera]"}}},
		{fc + "tp-link-tapo/tplink-TL-IPC642E-A4_rtsp-describe-401.txt", []want{{status: 401, cseq: "2",
			auth: "Basic[TP-LINK IP-Camera],Digest[TP-LINK IP-Camera]"}}},
		// Vendor media type "application/tp-link".
		{fc + "tp-link-tapo/tplink-ipc_h265_rtsp-describe-200_stream1.txt", []want{{status: 200, cseq: "3",
			base: "rtsp://192.168.35.39:554/stream1/", media: "video H265/90000, audio PCMA/8000, application/tp-link tp-link/25000"}}},
		// "Cseq" and "Www-Authenticate" spelling.
		{fc + "tp-link-tapo/tplink_rtsp-describe-401_basic-only_stream1.txt", []want{{status: 401, cseq: "1", auth: "Basic[TP-Link IP-Camera]"}}},
		{fc + "tp-link-tapo/tplink_rtsp-options-200_stream1.txt", []want{{status: 200, cseq: "1",
			public: []string{"OPTIONS", "DESCRIBE", "SETUP", "TEARDOWN", "PLAY", "PAUSE", "GET_PARAMETER", "SET_PARAMETER", "MULTITRANS"}}}},
		{fc + "tp-link-vigi/vigi-c540_rtsp-options-200.txt", []want{{status: 200, cseq: "0",
			public: []string{"OPTIONS", "DESCRIBE", "SETUP", "TEARDOWN", "PLAY", "PAUSE", "GET_PARAMETER", "SET_PARAMETER"}}}},
		{fc + "vatilon/vatilon-h44_rtsp-describe-200_HTMS_TRUNCATED.txt", []want{{status: 200, cseq: "2", truncated: true,
			base: "rtsp://192.168.69.71:554/stream1/", media: "video H264/90000", tool: "HTMS"}}},
		{fc + "vatilon/vatilon-h44_rtsp-describe-401_realm-HTMS.txt", []want{{status: 401, cseq: "1", auth: "Digest[HTMS]",
			header: [2]string{"Content-Length", "0"}}}},
		{fc + "wyze/wyze-cam-v3_rtsp-options-200_describe-401.txt", []want{
			{status: 200, cseq: "0", public: []string{"OPTIONS", "DESCRIBE", "SETUP", "TEARDOWN", "PLAY", "PAUSE", "GET_PARAMETER", "SET_PARAMETER"}},
			{status: 401, cseq: "1", auth: "Digest[LIVE555 Streaming Media]"}}},
		// A stray space before "Date:" starts a header of its own; stale=FALSE unquoted.
		{"axis-kane610/test_rtsp__response_L48.txt", []want{{status: 401, cseq: "1", server: "GStreamer RTSP server",
			auth: "Digest[AXIS_ACCC8E012345]", header: [2]string{"Date", "Sat, 12 Dec 2020 10:44:25 GMT"}}}},
		{"axis-kane610/test_rtsp__response_L56.txt", []want{{status: 200, cseq: "1", server: "GStreamer RTSP server", truncated: true,
			base: "rtsp://127.0.0.1/axis-media/media.amp/", media: "application vnd.onvif.metadata/90000", tool: "GStreamer"}}},
		// Cut inside a header line.
		{"axis-kane610/test_rtsp__response_L289.txt", []want{{status: 200, cseq: "2", truncated: true,
			header: [2]string{"Transport", "RTP/AVP;unicast;client_port="}}}},
		{"axis-kane610/test_rtsp__response_L448.txt", []want{{status: 200, cseq: "4", server: "GStreamer RTSP server",
			public: []string{"OPTIONS", "DESCRIBE", "ANNOUNCE", "GET_PARAMETER", "PAUSE", "PLAY", "RECORD", "SETUP", "SET_PARAMETER", "TEARDOWN"},
			header: [2]string{"Session", "ghLlkf_I9pCBP24t;timeout=30"}}}},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			checkAnswers(t, fromStatusLine(sharedFile(t, tc.file)), tc.want)
		})
	}
}

// checkAnswers reads len(wants) answers from b and compares each.
func checkAnswers(t *testing.T, b []byte, wants []want) {
	t.Helper()
	br := bufio.NewReader(bytes.NewReader(b))
	for i, w := range wants {
		r, err := ReadResponse(br)
		if err != nil || r == nil {
			t.Fatalf("answer %d: %v", i, err)
		}
		if w.base == "" {
			w.base = "rtsp://10.0.0.1:554/req/path"
		}
		got := want{status: r.StatusCode, cseq: r.Header.Get("CSeq"), truncated: r.Truncated, server: r.Header.Get("Server"),
			public: HeaderList(r.Header, "Public"), auth: challengeList(r), base: r.BaseURL("rtsp://10.0.0.1:554/req/path"),
			media: ParseSDP(r.Body).Summary(), tool: ParseSDP(r.Body).Tool}
		if w.header[0] != "" {
			got.header = [2]string{w.header[0], r.Header.Get(w.header[0])}
		}
		if !slices.Equal(got.public, w.public) || got.status != w.status || got.cseq != w.cseq || got.truncated != w.truncated ||
			got.server != w.server || got.auth != w.auth || got.base != w.base || got.media != w.media || got.tool != w.tool || got.header != w.header {
			t.Errorf("answer %d:\n got %+v\nwant %+v", i, got, w)
		}
	}
}

func challengeList(r *Response) string {
	var out []string
	for _, c := range ParseChallenges(r.Header.Values("WWW-Authenticate")) {
		out = append(out, c.Scheme+"["+c.Realm()+"]")
	}
	return strings.Join(out, ",")
}
