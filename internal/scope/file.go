package scope

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Caps of one @file target list: it is read as a stream, line by line,
// and refused past any of them (a list of a million single addresses is
// 15 MiB; `@/dev/zero` or a runaway generator is stopped at once).
const (
	MaxTargetFileBytes = 32 << 20
	MaxTargetFileLines = 1_000_000
	MaxTargetLineBytes = 4096
)

// ErrTargetFileTooLarge is returned for a target file past one of the caps.
var ErrTargetFileTooLarge = errors.New("target file too large")

// readTargetFile streams the tokens of the @file name to add, one line
// at a time, within the caps. It returns promptly when ctx ends, also
// while a read blocks (a FIFO, a terminal): the file is then closed.
func readTargetFile(ctx context.Context, name string, open func(string) (io.ReadCloser, error), add func(tok token) error) error {
	f, err := open(name)
	if err != nil {
		return &TargetError{Token: "@" + name, Reason: fmt.Sprintf("cannot read target file: %v", err), Err: err}
	}
	stop := context.AfterFunc(ctx, func() { _ = f.Close() })
	defer func() {
		if stop() {
			_ = f.Close()
		}
	}()
	fail := func(reason string, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &TargetError{Token: "@" + name, Reason: reason, Err: err}
	}
	counted := &countingReader{r: f, max: MaxTargetFileBytes}
	sc := bufio.NewScanner(counted)
	sc.Buffer(make([]byte, 0, 512), MaxTargetLineBytes)
	n := 0
	for sc.Scan() {
		n++
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if n > MaxTargetFileLines {
			return fail(fmt.Sprintf("more than %d lines: split the list", MaxTargetFileLines), ErrTargetFileTooLarge)
		}
		line := sc.Text()
		if c := strings.IndexByte(line, '#'); c >= 0 {
			line = line[:c]
		}
		for _, ft := range splitTokens(line) {
			tok := token{text: ft, origin: fmt.Sprintf("%s line %d", name, n)}
			if strings.HasPrefix(ft, "@") {
				return tok.fail("nested @file lists are not allowed", nil)
			}
			if err := add(tok); err != nil {
				return err
			}
		}
	}
	switch err := sc.Err(); {
	case err == nil:
		return nil
	case errors.Is(err, bufio.ErrTooLong):
		return fail(fmt.Sprintf("line %d is longer than %d bytes: not a target list", n+1, MaxTargetLineBytes), ErrTargetFileTooLarge)
	case errors.Is(err, ErrTargetFileTooLarge):
		return fail(fmt.Sprintf("larger than %d MiB: split the list", MaxTargetFileBytes>>20), err)
	default:
		return fail(fmt.Sprintf("cannot read target file: %v", err), err)
	}
}

// countingReader fails with ErrTargetFileTooLarge past max bytes.
type countingReader struct {
	r   io.Reader
	n   int64
	max int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.n >= c.max {
		return 0, ErrTargetFileTooLarge
	}
	if rest := c.max - c.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	k, err := c.r.Read(p)
	c.n += int64(k)
	return k, err
}

// openFile is the default Options.OpenFile. It opens without blocking (a
// FIFO with no writer yet would block the open itself, beyond the reach
// of a signal) and leaves reads to Go's poller, which a Close interrupts.
func openFile(name string) (io.ReadCloser, error) {
	return os.OpenFile(name, os.O_RDONLY|nonBlock, 0)
}
