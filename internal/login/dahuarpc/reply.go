package dahuarpc

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Error codes of Dahua's global.login (Dahua HTTP API and RPC2 write-ups;
// the challenge reply is quoted in rroller/dahua issue #6).
const (
	// CodeChallenge is the first step's "login challenge" (realm, random).
	CodeChallenge = 268632079
	// CodeBadPassword is "password not valid" on most firmwares.
	CodeBadPassword = 268632071
	// CodeUserOrPassword is "user or password error" (remaining tries in
	// params on some firmwares).
	CodeUserOrPassword = 268632081
	// CodeUserLocked is "user locked" (too many failed logins).
	CodeUserLocked = 268632085
	// CodeNoUser is "user not valid".
	CodeNoUser = 268632070
)

// maxReply caps the JSON a device may send back.
const maxReply = 16 << 10

// Reply is the part of a global.login answer the login needs.
type Reply struct {
	Result  bool
	Session string
	// Code and Message of the error member; 0 when there is none.
	Code    int
	Message string
	// Challenge parameters of the first step.
	Realm, Random, Encryption string
	// RemainLockSeconds and RemainLoginTimes, when the firmware says.
	RemainLockSeconds, RemainLoginTimes int
}

type rawReply struct {
	Result  json.RawMessage `json:"result"`
	Session json.RawMessage `json:"session"`
	Error   *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	Params *struct {
		Realm             string `json:"realm"`
		Random            string `json:"random"`
		Encryption        string `json:"encryption"`
		RemainLockSeconds int    `json:"remainLockSeconds"`
		RemainLoginTimes  int    `json:"remainLoginTimes"`
	} `json:"params"`
}

// ErrNotRPC2 is returned for an answer that is not a global.login reply.
var ErrNotRPC2 = errors.New("not a dahua rpc2 reply")

// ParseReply reads one global.login answer (at most 16 KiB).
func ParseReply(b []byte) (*Reply, error) {
	if len(b) > maxReply {
		return nil, fmt.Errorf("rpc2 reply of %d bytes: too large", len(b))
	}
	var raw rawReply
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotRPC2, err)
	}
	if raw.Result == nil {
		return nil, fmt.Errorf("%w: no result member", ErrNotRPC2)
	}
	r := &Reply{Result: strings.TrimSpace(string(raw.Result)) == "true", Session: session(raw.Session)}
	if raw.Error != nil {
		r.Code, r.Message = raw.Error.Code, raw.Error.Message
	}
	if p := raw.Params; p != nil {
		r.Realm, r.Random, r.Encryption = p.Realm, p.Random, p.Encryption
		r.RemainLockSeconds, r.RemainLoginTimes = p.RemainLockSeconds, p.RemainLoginTimes
	}
	return r, nil
}

// session reads the session, a number on older firmwares and a string on
// newer ones.
func session(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// Locked reports whether the reply says the account is locked, and how.
func (r *Reply) Locked() (bool, string) {
	msg := strings.ToLower(r.Message)
	switch {
	case r.Code == CodeUserLocked:
		return true, "dahua rpc2 user locked (" + strconv.Itoa(r.Code) + ")"
	case r.RemainLockSeconds > 0:
		return true, "dahua rpc2 remainLockSeconds=" + strconv.Itoa(r.RemainLockSeconds)
	case strings.Contains(msg, "locked"):
		return true, "dahua rpc2 says locked"
	}
	return false, ""
}
