package telnet

import (
	"fmt"
	"strings"
)

// Telnet command bytes (RFC 854).
const (
	cmdSE   = 240
	cmdSB   = 250
	cmdWILL = 251
	cmdWONT = 252
	cmdDO   = 253
	cmdDONT = 254
	cmdIAC  = 255
)

// maxReplies caps how many refusals one session sends, so a peer that
// repeats DO/WILL forever cannot make us write forever.
const maxReplies = 256

type parseState int

const (
	stData parseState = iota
	stIAC
	stOption
	stSub
	stSubIAC
)

// negotiator removes telnet commands from the byte stream and refuses every
// option: DO → WONT, WILL → DONT (RFC 1143: DONT and WONT need no answer,
// since every option is already off). Subnegotiation (SB ... IAC SE) is
// dropped. It is a pure state machine so it can be fuzzed.
type negotiator struct {
	state   parseState
	cmd     byte
	sawIAC  bool
	replies int
	seen    []string // "DO 1", "WILL 3"... first few, for the trace
}

// Feed consumes in and returns the plain data bytes and the bytes to send
// back to the peer.
func (n *negotiator) Feed(in []byte) (data, reply []byte) {
	for _, c := range in {
		switch n.state {
		case stData:
			if c == cmdIAC {
				n.state = stIAC
				n.sawIAC = true
				continue
			}
			data = append(data, c)
		case stIAC:
			n.state = stData
			switch c {
			case cmdIAC:
				data = append(data, cmdIAC) // escaped 0xFF
			case cmdDO, cmdDONT, cmdWILL, cmdWONT:
				n.cmd, n.state = c, stOption
			case cmdSB:
				n.state = stSub
			}
		case stOption:
			n.state = stData
			reply = n.refuse(reply, n.cmd, c)
		case stSub:
			if c == cmdIAC {
				n.state = stSubIAC
			}
		case stSubIAC:
			n.state = stSub
			if c == cmdSE {
				n.state = stData
			}
		}
	}
	return data, reply
}

func (n *negotiator) refuse(reply []byte, cmd, opt byte) []byte {
	if len(n.seen) < 16 {
		n.seen = append(n.seen, fmt.Sprintf("%s %d", cmdName(cmd), opt))
	}
	var answer byte
	switch cmd {
	case cmdDO:
		answer = cmdWONT
	case cmdWILL:
		answer = cmdDONT
	default:
		return reply
	}
	if n.replies >= maxReplies {
		return reply
	}
	n.replies++
	return append(reply, cmdIAC, answer, opt)
}

// summary describes the options the peer asked for, e.g. "DO 1, WILL 3".
func (n *negotiator) summary() string { return strings.Join(n.seen, ", ") }

func cmdName(c byte) string {
	switch c {
	case cmdDO:
		return "DO"
	case cmdDONT:
		return "DONT"
	case cmdWILL:
		return "WILL"
	case cmdWONT:
		return "WONT"
	}
	return fmt.Sprint(c)
}
