// Package all links every protocol probe into a binary: importing it runs
// each probe package's init, which registers the probe with
// probe.Register. The engine and the CLI import this package; nothing else
// keeps a list of probes.
package all

import (
	// Each import registers one protocol (or, for sdk, four SDK ports).
	_ "github.com/camwarden/camwarden/internal/probe/ftp"
	_ "github.com/camwarden/camwarden/internal/probe/http"
	_ "github.com/camwarden/camwarden/internal/probe/onvif"
	_ "github.com/camwarden/camwarden/internal/probe/rtsp"
	_ "github.com/camwarden/camwarden/internal/probe/sdk"
	_ "github.com/camwarden/camwarden/internal/probe/snmp"
	_ "github.com/camwarden/camwarden/internal/probe/ssh"
	_ "github.com/camwarden/camwarden/internal/probe/telnet"
	_ "github.com/camwarden/camwarden/internal/probe/upnp"
)
