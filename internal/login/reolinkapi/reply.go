package reolinkapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// maxReply caps the JSON a device may send back.
const maxReply = 64 << 10

// Response codes of api.cgi errors (Reolink CGI API guide): -6 "please
// login first" (no or expired token), -7 "login failed".
const (
	RspPleaseLogin = -6
	RspLoginFailed = -7
)

// Reply is the first command's answer of an api.cgi reply array.
type Reply struct {
	Cmd  string
	Code int
	// Token is value.Token.name of a Login answer.
	Token string
	// HasValue is true when the command answered with a value.
	HasValue bool
	// RspCode and Detail of the error member, when there is one.
	RspCode int
	Detail  string
}

type rawReply struct {
	Cmd   string          `json:"cmd"`
	Code  *int            `json:"code"`
	Value json.RawMessage `json:"value"`
	Error *struct {
		Detail  string `json:"detail"`
		RspCode int    `json:"rspCode"`
	} `json:"error"`
}

// ErrNotAPI is returned for an answer that is not an api.cgi reply.
var ErrNotAPI = errors.New("not a reolink api.cgi reply")

// ParseReply reads an api.cgi answer (a JSON array of command results,
// at most 64 KiB) and returns its first element.
func ParseReply(b []byte) (*Reply, error) {
	if len(b) > maxReply {
		return nil, fmt.Errorf("api.cgi reply of %d bytes: too large", len(b))
	}
	var raw []rawReply
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotAPI, err)
	}
	if len(raw) == 0 || raw[0].Code == nil {
		return nil, fmt.Errorf("%w: no command result", ErrNotAPI)
	}
	r := &Reply{Cmd: raw[0].Cmd, Code: *raw[0].Code}
	if v := raw[0].Value; len(v) > 0 && string(v) != "null" {
		r.HasValue = true
		var tok struct {
			Token struct {
				Name string `json:"name"`
			} `json:"Token"`
		}
		if json.Unmarshal(v, &tok) == nil {
			r.Token = tok.Token.Name
		}
	}
	if e := raw[0].Error; e != nil {
		r.RspCode, r.Detail = e.RspCode, e.Detail
	}
	return r, nil
}

// OK reports whether the command succeeded (code 0 with a value).
func (r *Reply) OK() bool { return r.Code == 0 && r.HasValue && r.Detail == "" }

// Locked reports whether the error says logins are blocked, and how.
func (r *Reply) Locked() (bool, string) {
	d := strings.ToLower(r.Detail)
	if strings.Contains(d, "too many") || strings.Contains(d, "locked") {
		return true, fmt.Sprintf("reolink api.cgi rspCode=%d %q", r.RspCode, r.Detail)
	}
	return false, ""
}
