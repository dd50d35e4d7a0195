// Package login defines how the authentication check tries one credential
// on one service: the Method interface, the Credential it sends and the
// typed Outcome of an attempt. Each login method (HTTP Basic/Digest, RTSP,
// ONVIF WS-Security, telnet, FTP, SSH, SNMP) lives in its own sub-package.
package login

import (
	"context"
	"fmt"

	"github.com/camwarden/camwarden/internal/probe"
)

// Credential is one username/password pair to try. Name is what findings,
// logs and traces say instead of the secret ("Dahua factory default admin").
type Credential struct {
	Username string
	Password string
	Name     string
}

// String names the credential without its secret, so %v never leaks it.
func (c Credential) String() string { return c.Name }

// GoString keeps %#v from printing the secret.
func (c Credential) GoString() string { return "login.Credential{" + c.Name + "}" }

// Result is what one attempt proved.
type Result int

// Results of an attempt.
const (
	// Failure: the service refused the credential (or demanded one).
	Failure Result = iota
	// Success: the service accepted the credential (or, for a no-credential
	// attempt, served the protected resource without one).
	Success
	// Locked: the service said the account or the client is locked out.
	Locked
	// Unverifiable: the answer cannot tell acceptance from refusal.
	Unverifiable
	// Error: the attempt did not complete; Outcome.Status says why.
	Error
)

var resultNames = [...]string{"failure", "success", "locked", "unverifiable", "error"}

// String returns the lower-case name.
func (r Result) String() string {
	if r < 0 || int(r) >= len(resultNames) {
		return fmt.Sprintf("result(%d)", int(r))
	}
	return resultNames[r]
}

// Outcome is the typed result of one attempt with what the check needs for
// its evidence. It never holds a secret.
type Outcome struct {
	Result Result
	// Status says why an Error happened (timeout, refused, malformed...).
	Status probe.Status
	// Route is the path, URL or command the attempt used.
	Route string
	// Scheme is the authentication scheme used ("basic", "digest",
	// "wsse-digest", "community"...).
	Scheme string
	// Cleartext is true when the secret (or a no-credential success) went
	// over an unencrypted channel in a recoverable form (HTTP/RTSP Basic,
	// telnet, FTP).
	Cleartext bool
	// Signal describes a lockout signal the service sent, e.g.
	// "isapi lockStatus=lock unlockTime=1800".
	Signal string
	// Evidence is a small capped artefact of a success: an SDP or a JPEG.
	Evidence []byte
	// EvidenceType names Evidence: "sdp" or "jpeg".
	EvidenceType string
	// Fields are probe fields of a success's reply that can identify the
	// device (an RTSP stream's Content-Base); never a secret.
	Fields map[string]string
}

// Method tries credentials on one kind of service.
type Method interface {
	// Name identifies the method, e.g. "http-digest", "rtsp", "telnet".
	Name() string
	// Protocol is the service protocol it applies to (probe.Service.Protocol).
	Protocol() string
	// Try logs in with c. The error is non-nil only with Result Error.
	Try(ctx context.Context, d probe.Dialer, t probe.Target, c Credential) (Outcome, error)
	// NoCredential sends the same request without credentials: Success
	// means the service opens without a password.
	NoCredential(ctx context.Context, d probe.Dialer, t probe.Target) (Outcome, error)
}

// Errored builds the Outcome of an attempt that could not complete and
// wraps err with what was being done.
func Errored(route, what string, err error) (Outcome, error) {
	return Outcome{Result: Error, Status: probe.Classify(err), Route: route},
		fmt.Errorf("%s: %w", what, err)
}
