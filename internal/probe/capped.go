package probe

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"
)

// ErrTooLarge is returned when a device sends more than a read cap allows.
var ErrTooLarge = errors.New("probe: reply exceeds read cap")

// ApplyDeadline sets conn's deadline from ctx (or now+fallback when ctx has
// none) and closes conn when ctx is cancelled. Call the returned stop func
// when done with conn.
func ApplyDeadline(ctx context.Context, conn net.Conn, fallback time.Duration) (stop func() bool) {
	dl, ok := ctx.Deadline()
	if !ok {
		dl = time.Now().Add(fallback)
	}
	_ = conn.SetDeadline(dl)
	return context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
}

// ReadUntil reads from r until one of delims appears or max bytes have been
// read. It returns what was read; ErrTooLarge if the cap was hit first.
func ReadUntil(r io.Reader, max int, delims ...[]byte) ([]byte, error) {
	buf := make([]byte, 0, 512)
	chunk := make([]byte, 512)
	for {
		n, err := r.Read(chunk)
		buf = append(buf, chunk[:n]...)
		for _, d := range delims {
			if i := bytes.Index(buf, d); i >= 0 {
				return buf, nil
			}
		}
		if len(buf) >= max {
			return buf[:max], ErrTooLarge
		}
		if err != nil {
			return buf, err
		}
	}
}

// ReadLine reads one line (up to max bytes) from br.
func ReadLine(br *bufio.Reader, max int) (string, error) {
	var line []byte
	for {
		frag, isPrefix, err := br.ReadLine()
		line = append(line, frag...)
		if len(line) > max {
			return string(line[:max]), ErrTooLarge
		}
		if err != nil {
			return string(line), err
		}
		if !isPrefix {
			return string(line), nil
		}
	}
}

// Classify maps an I/O error to a Status.
func Classify(err error) Status {
	var ne net.Error
	switch {
	case err == nil:
		return StatusIdentified
	case errors.Is(err, ErrTooLarge):
		return StatusTooLarge
	case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout():
		return StatusTimeout
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), isRefused(err):
		return StatusRefused
	default:
		return StatusError
	}
}

func isRefused(err error) bool {
	var oe *net.OpError
	if errors.As(err, &oe) {
		s := oe.Err.Error()
		return bytes.Contains([]byte(s), []byte("refused")) || bytes.Contains([]byte(s), []byte("reset"))
	}
	return false
}

// Failed builds the Service for a probe that reached the peer but could not
// finish: the status says why and the error is kept.
func Failed(t Target, protocol string, err error) *Service {
	return &Service{
		Port: t.Port, Transport: t.Transport, Protocol: protocol,
		Status: Classify(err), Error: fmt.Sprint(err),
	}
}

// Printable makes device text safe to log and show: non-printable bytes are
// escaped and the result is truncated to max runes.
func Printable(b []byte, max int) string {
	var sb bytes.Buffer
	for _, c := range b {
		if sb.Len() >= max {
			sb.WriteString("…")
			break
		}
		switch {
		case c == '\r':
			sb.WriteString(`\r`)
		case c == '\n':
			sb.WriteString(`\n`)
		case c == '\t' || (c >= 0x20 && c < 0x7f):
			sb.WriteByte(c)
		default:
			fmt.Fprintf(&sb, `\x%02x`, c)
		}
	}
	return sb.String()
}
