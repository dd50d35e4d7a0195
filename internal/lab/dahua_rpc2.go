package lab

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// Dahua RPC2 paths and global.login error codes (see dahuaRPC2).
const (
	rpc2LoginPath     = "/RPC2_Login"
	rpc2Path          = "/RPC2"
	rpc2Challenge     = 268632079
	rpc2UserOrPass    = 268632081
	rpc2UserLocked    = 268632085
	rpc2NoMethod      = 268894209
	rpc2InvalidParams = 287637505
	rpc2NoSession     = 287637505 // "Invalid session in request data!" (public RPC2 clients)
)

// vendorAPI answers one vendor login API on an HTTP port; it reports
// whether the request was its own.
type vendorAPI func(h *httpDevice, w http.ResponseWriter, r *http.Request, body []byte) bool

// rpc2Request is the part of a Dahua RPC2 call the lab reads.
type rpc2Request struct {
	Method  string          `json:"method"`
	ID      int             `json:"id"`
	Session json.RawMessage `json:"session"`
	Params  struct {
		UserName string `json:"userName"`
		Password string `json:"password"`
	} `json:"params"`
}

// dahuaRPC2 is Dahua's web login (/RPC2_Login, /RPC2) driven by the
// device's auth model. No recording of an RPC2 exchange exists in
// shared/data: the replies follow the documented format, the challenge
// shape as quoted in rroller/dahua issue #6 (result false, error 268632079
// "Component error: login challenge!", params realm/random/encryption,
// numeric session). The challenge step is never counted as a failure;
// the second step is, and a locked account answers 268632085.
func dahuaRPC2(h *httpDevice, w http.ResponseWriter, r *http.Request, body []byte) bool {
	if r.Method != http.MethodPost || (r.URL.Path != rpc2LoginPath && r.URL.Path != rpc2Path) {
		return false
	}
	var req rpc2Request
	if err := json.Unmarshal(body, &req); err != nil {
		writeJSON(w, map[string]any{"result": false, "id": 0, "error": map[string]any{"code": rpc2InvalidParams, "message": "Invalid request!"}})
		return true
	}
	var session string
	_ = json.Unmarshal(req.Session, &session)
	switch {
	case req.Method == "global.logout":
		h.d.auth.closeSession(session)
		writeJSON(w, map[string]any{"result": true, "id": req.ID, "params": nil, "session": string(req.Session)})
	case strings.HasPrefix(req.Method, "magicBox.") && r.URL.Path == rpc2Path:
		h.rpc2MagicBox(w, req, session)
	case req.Method != "global.login" || r.URL.Path != rpc2LoginPath:
		writeJSON(w, map[string]any{"result": false, "id": req.ID, "error": map[string]any{"code": rpc2NoMethod, "message": "Method not found!"}})
	case req.Params.Password == "" || string(req.Session) == "0":
		session := h.d.auth.nonce()
		session = strings.ReplaceAll(session, ":", "")[:16]
		writeJSON(w, map[string]any{"result": false, "id": req.ID, "session": session,
			"error":  map[string]any{"code": rpc2Challenge, "message": "Component error: login challenge!"},
			"params": map[string]any{"realm": h.p.Realm, "random": rpc2Random(h.d, session), "encryption": "Default"}})
	default:
		h.rpc2Login(w, req)
	}
	return true
}

// rpc2Random derives the challenge's random from the session, so the
// second step needs no server state.
func rpc2Random(d *device, session string) string {
	mac := d.auth.nonceMAC("rpc2" + session)
	n, _ := strconv.ParseUint(mac[:8], 16, 64)
	return strconv.FormatUint(n, 10)
}

func (h *httpDevice) rpc2Login(w http.ResponseWriter, req rpc2Request) {
	var session string
	_ = json.Unmarshal(req.Session, &session)
	user := req.Params.UserName
	random := rpc2Random(h.d, session)
	res := h.d.auth.verify("http", user, func(pw string) bool {
		return rpc2Hash(user, pw, h.p.Realm, random) == req.Params.Password
	})
	switch res {
	case authOK:
		h.d.auth.openSession(session)
		writeJSON(w, map[string]any{"result": true, "id": req.ID, "session": session, "params": map[string]any{"keepAliveInterval": 60}})
	case authLocked:
		_, left := h.d.auth.locked(user)
		writeJSON(w, map[string]any{"result": false, "id": req.ID, "session": session,
			"error":  map[string]any{"code": rpc2UserLocked, "message": "Component error: user locked!"},
			"params": map[string]any{"remainLockSeconds": int(left.Seconds())}})
	default:
		writeJSON(w, map[string]any{"result": false, "id": req.ID, "session": session,
			"error": map[string]any{"code": rpc2UserOrPass, "message": "Component error: user or password error!"}})
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}

// rpc2Hash is the "Default" login hash the device expects, written from the
// documented formula: MD5_upper(user:random:MD5_upper(user:realm:password)).
func rpc2Hash(user, password, realm, random string) string {
	inner := strings.ToUpper(md5hex(user + ":" + realm + ":" + password))
	return strings.ToUpper(md5hex(user + ":" + random + ":" + inner))
}

// rpc2MagicBox answers the read-only magicBox identity calls in a
// logged-in session: getDeviceType (params.type), getSoftwareVersion
// (params.version with Version and BuildDate), getSerialNo (params.sn).
// No recording exists in shared/data: the params shapes are those
// ItsNotGoodName/dahua-rpc's README prints for a real IPC-T5442TM-AS
// (facts), in the global.login reply envelope; any other session gets
// Dahua's "invalid session" error.
func (h *httpDevice) rpc2MagicBox(w http.ResponseWriter, req rpc2Request, session string) {
	reply := map[string]any{"result": true, "id": req.ID, "session": session}
	d := h.d.def
	switch {
	case !h.d.auth.inSession(session):
		reply = map[string]any{"result": false, "id": req.ID, "session": session,
			"error": map[string]any{"code": rpc2NoSession, "message": "Invalid session in request data!"}}
	case req.Method == "magicBox.getDeviceType":
		reply["params"] = map[string]any{"type": d.Model}
	case req.Method == "magicBox.getSoftwareVersion":
		reply["params"] = map[string]any{"version": map[string]any{"Build": strings.ReplaceAll(d.BuildDate, "-", ""),
			"BuildDate": d.BuildDate, "SecurityBaseLineVersion": "V2.0", "Version": d.Firmware, "WebVersion": "V3.2.1.757144"}}
	case req.Method == "magicBox.getSerialNo":
		reply["params"] = map[string]any{"sn": d.Serial}
	default:
		reply = map[string]any{"result": false, "id": req.ID, "session": session,
			"error": map[string]any{"code": rpc2NoMethod, "message": "Method not found!"}}
	}
	writeJSON(w, reply)
}
