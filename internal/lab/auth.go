package lab

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// authResult is what a device decided about one login attempt.
type authResult int

const (
	authMissing authResult = iota // no credentials sent
	authOK
	authBad
	authLocked // the account is locked out; credentials were not checked
)

// lockPolicy is a vendor's login lockout: after Fails consecutive failures
// logins are refused for For. Zero Fails means the vendor never locks.
// PerAccount counts and locks each account on its own (Dahua's account
// lockout); otherwise the failures of every account count together and
// lock the whole device for the client (Hikvision's illegal login lock).
type lockPolicy struct {
	Fails      int
	For        time.Duration
	PerAccount bool
}

// authModel is one device's accounts and lockout state. HTTP, RTSP, ONVIF
// and telnet all answer through it, so a test can assert that an audit
// never locked a device out.
type authModel struct {
	mu        sync.Mutex
	users     map[string]string
	policy    lockPolicy
	failures  map[string]int // failed attempts per protocol
	successes map[string]int // accepted logins per protocol
	byAccount map[string]int // failed attempts per user name tried
	lockouts  int            // times the lockout policy locked the device
	// consecutive and lockedUntil are kept per lock key: "" for the whole
	// device, the user name with a PerAccount policy.
	consecutive map[string]int
	lockedUntil map[string]time.Time
	secret      [16]byte
	now         func() time.Time
	// sessions are the logged-in sessions of a session API (Dahua RPC2).
	sessions map[string]bool
}

// maxSessions bounds the sessions a device keeps, as real devices do.
const maxSessions = 64

// openSession records a session that logged in.
func (a *authModel) openSession(s string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.sessions == nil || len(a.sessions) >= maxSessions {
		a.sessions = map[string]bool{}
	}
	a.sessions[s] = true
}

// inSession reports whether s is a logged-in session.
func (a *authModel) inSession(s string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return s != "" && a.sessions[s]
}

// closeSession ends s.
func (a *authModel) closeSession(s string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.sessions, s)
}

func newAuthModel(users map[string]string, policy lockPolicy, secret [16]byte) *authModel {
	return &authModel{users: users, policy: policy, failures: map[string]int{}, successes: map[string]int{},
		byAccount: map[string]int{}, consecutive: map[string]int{}, lockedUntil: map[string]time.Time{},
		secret: secret, now: time.Now}
}

// verify checks a login attempt for protocol proto; check reports whether
// the stored password of user satisfies the attempt.
func (a *authModel) verify(proto, user string, check func(password string) bool) authResult {
	a.mu.Lock()
	defer a.mu.Unlock()
	k := a.lockKey(user)
	if a.now().Before(a.lockedUntil[k]) {
		a.failures[proto]++
		a.byAccount[user]++
		return authLocked
	}
	pw, known := a.users[user]
	if known && check(pw) {
		a.consecutive[k] = 0
		a.successes[proto]++
		return authOK
	}
	a.failures[proto]++
	a.byAccount[user]++
	a.consecutive[k]++
	if a.policy.Fails > 0 && a.consecutive[k] >= a.policy.Fails {
		a.lockedUntil[k] = a.now().Add(a.policy.For)
		a.consecutive[k] = 0
		a.lockouts++
	}
	return authBad
}

// lockKey is the key failures of user count under: the user with a
// per-account policy, "" (the device) otherwise.
func (a *authModel) lockKey(user string) string {
	if a.policy.PerAccount {
		return user
	}
	return ""
}

// locked reports whether the device refuses logins of user now, and for
// how long.
func (a *authModel) locked(user string) (bool, time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	left := a.lockedUntil[a.lockKey(user)].Sub(a.now())
	return left > 0, left
}

// snapshot copies the failure counters.
func (a *authModel) snapshot() map[string]int {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make(map[string]int, len(a.failures))
	for k, v := range a.failures {
		out[k] = v
	}
	return out
}

// nonce issues a stateless digest nonce "<hex time>:<hex mac>", the shape
// lighttpd uses (shared/peers/captures/http-lighttpd-digest-ISAPI.txt).
func (a *authModel) nonce() string {
	ts := strconv.FormatInt(a.now().Unix(), 16)
	return ts + ":" + a.nonceMAC(ts)
}

func (a *authModel) nonceMAC(ts string) string {
	m := hmac.New(sha256.New, a.secret[:])
	m.Write([]byte(ts))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

func (a *authModel) validNonce(n string) bool {
	ts, mac, ok := strings.Cut(n, ":")
	return ok && hmac.Equal([]byte(mac), []byte(a.nonceMAC(ts)))
}

// digestChallenge is the WWW-Authenticate value of an RFC 7616 MD5
// challenge; withQop adds qop="auth" (HTTP) and omits it (most RTSP servers).
func (a *authModel) digestChallenge(realm string, withQop bool) string {
	if withQop {
		return fmt.Sprintf(`Digest realm="%s", charset="UTF-8", algorithm=MD5, nonce="%s", qop="auth"`, realm, a.nonce())
	}
	return fmt.Sprintf(`Digest realm="%s", nonce="%s"`, realm, a.nonce())
}

func md5hex(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

// parseAuthParams splits `k="v", k2=v2` into a map.
func parseAuthParams(s string) map[string]string {
	out := map[string]string{}
	for len(s) > 0 {
		s = strings.TrimLeft(s, " ,")
		k, rest, ok := strings.Cut(s, "=")
		if !ok {
			break
		}
		k = strings.ToLower(strings.TrimSpace(k))
		var v string
		if strings.HasPrefix(rest, `"`) {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				v, rest = rest[1:], ""
			} else {
				v, rest = rest[1:1+end], rest[2+end:]
			}
		} else {
			v, rest, _ = strings.Cut(rest, ",")
			v = strings.TrimSpace(v)
		}
		out[k] = v
		s = rest
	}
	return out
}

// checkAuthorization verifies an Authorization header for method against
// the device's accounts. schemes lists what the device accepts ("digest",
// "basic").
func (a *authModel) checkAuthorization(proto, header, method, realm string, schemes ...string) authResult {
	if header == "" {
		return authMissing
	}
	scheme, rest, _ := strings.Cut(header, " ")
	scheme = strings.ToLower(scheme)
	allowed := false
	for _, s := range schemes {
		allowed = allowed || s == scheme
	}
	if !allowed {
		return a.verify(proto, "", func(string) bool { return false })
	}
	switch scheme {
	case "basic":
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(rest))
		user, pass, ok := strings.Cut(string(raw), ":")
		if err != nil || !ok {
			return a.verify(proto, "", func(string) bool { return false })
		}
		return a.verify(proto, user, func(pw string) bool { return hmac.Equal([]byte(pw), []byte(pass)) })
	default:
		p := parseAuthParams(rest)
		if p["realm"] != realm || !a.validNonce(p["nonce"]) {
			return a.verify(proto, p["username"], func(string) bool { return false })
		}
		return a.verify(proto, p["username"], func(pw string) bool {
			return hmac.Equal([]byte(digestResponse(p, method, pw)), []byte(p["response"]))
		})
	}
}

// digestResponse computes the RFC 7616 (MD5) response for the parameters a
// client sent, with or without qop=auth.
func digestResponse(p map[string]string, method, password string) string {
	ha1 := md5hex(p["username"] + ":" + p["realm"] + ":" + password)
	ha2 := md5hex(method + ":" + p["uri"])
	if p["qop"] == "auth" {
		return md5hex(ha1 + ":" + p["nonce"] + ":" + p["nc"] + ":" + p["cnonce"] + ":auth:" + ha2)
	}
	return md5hex(ha1 + ":" + p["nonce"] + ":" + ha2)
}
