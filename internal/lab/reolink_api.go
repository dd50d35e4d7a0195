package lab

import (
	"encoding/json"
	"net/http"
)

// reolinkCommand is the part of an api.cgi command the lab reads.
type reolinkCommand struct {
	Cmd   string `json:"cmd"`
	Param struct {
		User struct {
			UserName string `json:"userName"`
			Password string `json:"password"`
		} `json:"User"`
	} `json:"param"`
}

// reolinkAPI is Reolink's api.cgi (Login, Logout, GetDevInfo) driven by
// the device's auth model. GetDevInfo without a token answers the real
// "please login first" reply (responses/reolink-rlc411ws-please-login.json);
// the Login, Logout and GetDevInfo answers are written from the shapes in
// reolinkapipy's examples (GPL: field names only) with the lab device's
// identity; the "login failed" (-7) and lockout details follow Reolink's
// CGI API guide, no recording of them exists in shared/data.
func reolinkAPI(h *httpDevice, w http.ResponseWriter, r *http.Request, body []byte) bool {
	if r.Method != http.MethodPost || r.URL.Path != "/api.cgi" {
		return false
	}
	q := r.URL.Query()
	var cmds []reolinkCommand
	_ = json.Unmarshal(body, &cmds)
	cmd := q.Get("cmd")
	authed := q.Get("token") != "" && q.Get("token") == reolinkToken(h.d)
	switch {
	case cmd == "Login" && len(cmds) == 1:
		h.reolinkLogin(w, cmds[0])
	case cmd == "Logout" && authed:
		writeJSON(w, []any{map[string]any{"cmd": "Logout", "code": 0, "value": map[string]any{"rspCode": 200}}})
	case cmd == "GetDevInfo" && authed:
		writeJSON(w, []any{map[string]any{"cmd": "GetDevInfo", "code": 0, "value": map[string]any{"DevInfo": map[string]any{
			"model": h.d.def.Model, "firmVer": h.d.def.Firmware, "hardVer": h.d.def.Hardware,
			"serial": h.d.def.Serial, "type": "IPC", "channelNum": 1}}}})
	default:
		pg := page{Type: "application/json", Body: "@reolink-rlc411ws-please-login.json"}
		h.write(w, &pg, nil)
	}
	return true
}

// reolinkToken is the device's session token (stateless: one per device).
func reolinkToken(d *device) string { return d.auth.nonceMAC("reolink-token")[:12] }

func (h *httpDevice) reolinkLogin(w http.ResponseWriter, c reolinkCommand) {
	u := c.Param.User
	res := h.d.auth.verify("http", u.UserName, func(pw string) bool { return pw == u.Password })
	switch res {
	case authOK:
		writeJSON(w, []any{map[string]any{"cmd": "Login", "code": 0,
			"value": map[string]any{"Token": map[string]any{"leaseTime": 3600, "name": reolinkToken(h.d)}}}})
	case authLocked:
		writeJSON(w, []any{map[string]any{"cmd": "Login", "code": 1,
			"error": map[string]any{"detail": "login failed too many times", "rspCode": -7}}})
	default:
		writeJSON(w, []any{map[string]any{"cmd": "Login", "code": 1,
			"error": map[string]any{"detail": "login failed", "rspCode": -7}}})
	}
}
