package rtsp

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/probe/probetest"
)

// authValues returns the WWW-Authenticate values of a real capture, in
// order ("Www-Authenticate" spelling too).
func authValues(t *testing.T, rel string) []string {
	t.Helper()
	return authIn(t, rel, sharedFile(t, rel))
}

func authIn(t *testing.T, rel string, b []byte) []string {
	t.Helper()
	var out []string
	for line := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, "WWW-Authenticate") {
			out = append(out, strings.TrimSpace(v))
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s: no WWW-Authenticate", rel)
	}
	return out
}

func TestParseChallengesRealHeaders(t *testing.T) {
	const fc = "field-captures/"
	tplink := authValues(t, fc+"tp-link-tapo/tplink-TL-IPC642E-A4_rtsp-describe-401.txt")
	tests := []struct {
		name   string
		values []string
		want   string // Scheme[realm]{param=value of interest}
		param  [2]string
	}{
		{"hikvision digest then basic, stale quoted", authValues(t, fc+"hikvision/hikvision-DS-2CD1148-I-B_rtsp-describe-401_digest+basic.txt"),
			"Digest[b4a38201a73f],Basic[b4a38201a73f]", [2]string{"stale", "FALSE"}},
		{"tp-link basic then digest", tplink, "Basic[TP-LINK IP-Camera],Digest[TP-LINK IP-Camera]", [2]string{"nonce", "4bcfd1ca16c45d1a3b3e0ac944e15c89"}},
		// The same two challenges folded into one header, as RFC 7235 allows
		// and proxies and client logs write them.
		{"tp-link pair folded in one header", []string{strings.Join(tplink, ", ")},
			"Basic[TP-LINK IP-Camera],Digest[TP-LINK IP-Camera]", [2]string{"nonce", "4bcfd1ca16c45d1a3b3e0ac944e15c89"}},
		{"hisilicon no space after comma", authValues(t, fc+"generic-oem-hisilicon/av0_0-camera_rtsp-options-200_describe-401_realm-RTSPD.txt"),
			"Digest[RTSPD]", [2]string{"nonce", "xxxxxxxxxxxxxxx"}},
		{"axis unquoted stale", authValues(t, "axis-kane610/test_rtsp__response_L48.txt"), "Digest[AXIS_ACCC8E012345]", [2]string{"stale", "FALSE"}},
		{"dahua realm with spaces, qop without space, empty opaque", authValues(t, fc+"dahua/dahua-ipc_onvif-http-401_media_service.txt"),
			"Digest[Login to 0ccf58c7410332c7caa363406561b351]", [2]string{"qop", "auth"}},
		{"go2rtc canonical spelling", authValues(t, fc+"vatilon/vatilon-h44_rtsp-describe-401_realm-HTMS.txt"), "Digest[HTMS]", [2]string{"nonce", "e72ee582eb02c45dd358013902db21fd"}},
		{"live555 realm", authValues(t, fc+"wyze/wyze-cam-v3_rtsp-options-200_describe-401.txt"), "Digest[LIVE555 Streaming Media]", [2]string{}},
		{"retina-era gstreamer basic and digest", authIn(t, "gstreamer", probetest.Fixture(t, "gstreamer-rtspserver-describe-401-both.txt")),
			"Basic[IP Camera(12345)],Digest[IP Camera(12345)]", [2]string{"nonce", "c358bf511a56df26"}},
		// Realm shapes named in the captures' SOURCES.md, written the ways
		// the parser must survive: unquoted, escaped quote, comma inside.
		{"unquoted realm with brackets", []string{`Digest realm=IP Camera(C2189), nonce=abc, stale=FALSE`}, "Digest[IP Camera(C2189)]", [2]string{"stale", "FALSE"}},
		{"escaped quote and comma in realm", []string{`Basic realm="Cam \"north\", gate"`}, `Basic[Cam "north", gate]`, [2]string{}},
		{"unterminated quote", []string{`Digest realm="LIVE555 Streaming Media", nonce="d27d`}, "Digest[LIVE555 Streaming Media]", [2]string{"nonce", "d27d"}},
		{"lower-case scheme, spaces around =", []string{`digest realm = "x" , nonce = "n"`}, "digest[x]", [2]string{"nonce", "n"}},
		{"bare scheme", []string{"Basic"}, "Basic[]", [2]string{}},
		{"garbage", []string{`=,,"`, ""}, "", [2]string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cs := ParseChallenges(tc.values)
			var got []string
			for _, c := range cs {
				got = append(got, c.Scheme+"["+c.Realm()+"]")
				if !strings.HasPrefix(c.Raw, c.Scheme) {
					t.Errorf("raw %q does not start with %q", c.Raw, c.Scheme)
				}
			}
			if g := strings.Join(got, ","); g != tc.want {
				t.Errorf("challenges %q, want %q", g, tc.want)
			}
			if tc.param[0] == "" {
				return
			}
			for _, c := range cs {
				if v, ok := c.Params[tc.param[0]]; ok {
					if v != tc.param[1] {
						t.Errorf("%s = %q, want %q", tc.param[0], v, tc.param[1])
					}
					return
				}
			}
			t.Errorf("no %s in %+v", tc.param[0], cs)
		})
	}
}

func TestBaseURL(t *testing.T) {
	const req = "rtsp://10.0.0.1:554/stream0"
	tests := []struct {
		name, base, want string
	}{
		// SV3C SV-B01POE-1080P-L (scottlamb/moonfire-nvr#356) and two Android
		// camera apps (scottlamb/retina#135) send it without a scheme.
		{"schemeless with port", "192.168.1.10:554/stream0/", "rtsp://192.168.1.10:554/stream0/"},
		{"schemeless app", "192.168.1.87:1935/", "rtsp://192.168.1.87:1935/"},
		{"network-path reference", "//192.168.1.10/stream0/", "rtsp://192.168.1.10/stream0/"},
		{"absolute path only", "/live/ch00_0/", "rtsp://10.0.0.1:554/live/ch00_0/"},
		{"relative to the request", "stream0/", "rtsp://10.0.0.1:554/stream0/"},
		{"credentials removed", "rtsp://admin:admin000@21m677n127.imwork.net:17970/h264/ch1/main/av_stream/", "rtsp://21m677n127.imwork.net:17970/h264/ch1/main/av_stream/"},
		{"masked port kept", "rtsp://URL:PORT/cam/realmonitor?channel=1&subtype=0/", "rtsp://URL:PORT/cam/realmonitor?channel=1&subtype=0/"},
		{"double slash kept", "rtsp://192.168.40.20//", "rtsp://192.168.40.20//"},
		{"upper-case scheme", "RTSP://192.168.1.48/h264Preview_01_main/", "rtsp://192.168.1.48/h264Preview_01_main/"},
		{"none: the request", "", "rtsp://10.0.0.1:554/stream0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &Response{Header: map[string][]string{}}
			if tc.base != "" {
				r.Header.Set("Content-Base", tc.base)
			}
			if got := r.BaseURL(req); got != tc.want {
				t.Errorf("BaseURL(%q) = %q, want %q", tc.base, got, tc.want)
			}
		})
	}
}

// TestParseSDPRealDescriptions reads every SDP of gortsplib's real-device
// regression suite and the field captures: each names its media, however
// odd (no v=0, LF only, "c=SM SM", cut mid-section).
func TestParseSDPRealDescriptions(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedData, "gortsplib-sdp", "*.sdp"))
	more, _ := filepath.Glob(filepath.Join(sharedData, "field-captures", "*", "*.sdp"))
	files = append(files, more...)
	if len(files) < 30 {
		t.Fatalf("%d SDP files under %s, want the gortsplib suite and the field captures", len(files), sharedData)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// Four of gortsplib's cases are session-level only: no m= line.
		sessionOnly := strings.Contains(f, "_Hex_session") || strings.Contains(f, "Amcrest_cameras")
		if s := ParseSDP(b); s.IsStream() == sessionOnly {
			t.Errorf("%s: media %q (session-only %v)", filepath.Base(f), s.Summary(), sessionOnly)
		}
	}
	tests := []struct{ file, media, session string }{
		{"gortsplib-sdp/issue_gortsplib_448_no_v_0_at_start.sdp", "video H264/90000", ""},
		{"gortsplib-sdp/issue_gortsplib_201_invalid_origin.sdp", "video H264/90000, audio MPEG4-GENERIC/48000/2", "RbsLive"},
		{"gortsplib-sdp/issue_mediamtx_990_TP_Link.sdp", "video H265/90000, audio PCMA/8000, application/TP-LINK TP-LINK/90000", `Session streamed by "TP-LINK RTSP Server"`},
		{"field-captures/avigilon/avigilon_rtsp-sdp_onvif-backchannel_defaultPrimary_TRUNCATED.sdp", "audio, audio pcmu/8000, video", "Live"},
		{"field-captures/vatilon/vatilon-h44_rtsp-sdp_HTMS_full.sdp", "video H264/90000, audio PCMU/8000", "HTMS"},
	}
	for _, tc := range tests {
		s := ParseSDP(sharedFile(t, tc.file))
		if s.Summary() != tc.media || s.Session != tc.session {
			t.Errorf("%s: media %q session %q, want %q %q", tc.file, s.Summary(), s.Session, tc.media, tc.session)
		}
	}
	for _, body := range []string{"", "<html><body>m=1</body></html>", "Error\r\nInvalid Authority!\r\n", "m= 0 RTP/AVP 96"} {
		if ParseSDP([]byte(body)).IsStream() {
			t.Errorf("%q parsed as a stream description", body)
		}
	}
}

// TestReadResponseFraming feeds real answers the way devices frame them on
// the wire: LF-only line endings, RTP interleaved frames before an answer,
// stray empty lines after a body whose Content-Length undercounted.
func TestReadResponseFraming(t *testing.T) {
	wyze := sharedFile(t, "field-captures/wyze/wyze-cam-v3_rtsp-options-200_describe-401.txt")
	hik := probetest.Fixture(t, "hikvision-ipc-describe.txt")
	head, body, _ := bytes.Cut(hik, []byte("\r\n\r\n"))
	tests := []struct {
		name string
		wire []byte
		want []want
	}{
		{"lf only", bytes.ReplaceAll(wyze, []byte("\r\n"), []byte("\n")), []want{
			{status: 200, cseq: "0", public: []string{"OPTIONS", "DESCRIBE", "SETUP", "TEARDOWN", "PLAY", "PAUSE", "GET_PARAMETER", "SET_PARAMETER"}},
			{status: 401, cseq: "1", auth: "Digest[LIVE555 Streaming Media]"}}},
		{"lf-only head, crlf body", append(append(bytes.ReplaceAll(head, []byte("\r\n"), []byte("\n")), "\n\n"...), body...), []want{
			{status: 200, cseq: "1", base: "rtsp://192.168.5.106:554/Streaming/Channels/101/", media: "video H264/90000, application vnd.onvif.metadata/90000"}}},
		{"interleaved frames before each answer", bytes.ReplaceAll(wyze, []byte("RTSP/1.0"), []byte("$\x00\x00\x04abcd$\x01\x00\x00RTSP/1.0")), []want{
			{status: 200, cseq: "0", public: []string{"OPTIONS", "DESCRIBE", "SETUP", "TEARDOWN", "PLAY", "PAUSE", "GET_PARAMETER", "SET_PARAMETER"}},
			{status: 401, cseq: "1", auth: "Digest[LIVE555 Streaming Media]"}}},
		{"empty lines between answers", bytes.Replace(wyze, []byte("\r\n\r\nRTSP"), []byte("\r\n\r\n\r\n\r\nRTSP"), 1), []want{
			{status: 200, cseq: "0", public: []string{"OPTIONS", "DESCRIBE", "SETUP", "TEARDOWN", "PLAY", "PAUSE", "GET_PARAMETER", "SET_PARAMETER"}},
			{status: 401, cseq: "1", auth: "Digest[LIVE555 Streaming Media]"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { checkAnswers(t, tc.wire, tc.want) })
	}
}
