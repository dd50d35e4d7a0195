// Package rtsptest is an in-process fake RTSP camera for tests and
// benchmarks: it replays real captured answers by path, the way the
// recorded device chose them, and counts what it was asked.
//
// The answers are whole RTSP responses (status line, headers, body) as
// captured; the fake rewrites their CSeq line (in any spelling) to the
// request's. It never dials anything.
package rtsptest

import (
	"bufio"
	"context"
	"net"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Camera answers DESCRIBE by path and OPTIONS with Options.
type Camera struct {
	// Streams maps a path (query included, no trailing slash) to its
	// answer, e.g. a 200 with an SDP or a 401.
	Streams map[string][]byte
	// Challenge, when set, answers every DESCRIBE whose path is not in
	// Streams (a device that authenticates before it routes).
	Challenge []byte
	// NotFound answers any other DESCRIBE (a device that routes first).
	NotFound []byte
	// Options answers OPTIONS; nil sends NotFound.
	Options []byte
	// CloseAfter closes each connection after that many answers (0:
	// keep it open, as LIVE555 and GStreamer do).
	CloseAfter int

	mu       sync.Mutex
	requests int
	conns    int
	paths    []string
}

// Stats is what a Camera was asked.
type Stats struct {
	Requests, Conns int
	Paths           []string // DESCRIBE paths, in order
}

// Stats returns the counters so far.
func (c *Camera) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{Requests: c.requests, Conns: c.conns, Paths: append([]string(nil), c.paths...)}
}

// Reset zeroes the counters.
func (c *Camera) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests, c.conns, c.paths = 0, 0, nil
}

// Serve accepts connections on ln until ctx ends or ln is closed, and
// answers each on its own goroutine. It returns when every connection is
// done.
func (c *Camera) Serve(ctx context.Context, ln net.Listener) {
	var wg sync.WaitGroup
	stop := context.AfterFunc(ctx, func() { _ = ln.Close() })
	defer stop()
	for {
		conn, err := ln.Accept()
		if err != nil {
			break
		}
		c.mu.Lock()
		c.conns++
		c.mu.Unlock()
		wg.Go(func() {
			defer conn.Close()
			closer := context.AfterFunc(ctx, func() { _ = conn.Close() })
			defer closer()
			c.answer(conn)
		})
	}
	wg.Wait()
}

// idle bounds how long a connection may stay silent.
const idle = 10 * time.Second

// maxHead caps a request head.
const maxHead = 16 << 10

var cseqLine = regexp.MustCompile(`(?im)^cseq:[ \t]*[^\r\n]*`)

func (c *Camera) answer(conn net.Conn) {
	br := bufio.NewReader(conn)
	for n := 0; c.CloseAfter == 0 || n < c.CloseAfter; n++ {
		_ = conn.SetDeadline(time.Now().Add(idle))
		method, path, cseq, ok := readRequest(br)
		if !ok {
			return
		}
		reply := c.reply(method, path)
		reply = cseqLine.ReplaceAll(reply, []byte("CSeq: "+cseq))
		if _, err := conn.Write(reply); err != nil {
			return
		}
	}
}

func (c *Camera) reply(method, path string) []byte {
	c.mu.Lock()
	c.requests++
	if method == "DESCRIBE" {
		c.paths = append(c.paths, path)
	}
	c.mu.Unlock()
	if method == "OPTIONS" && c.Options != nil {
		return c.Options
	}
	if a, ok := c.Streams[path]; ok && method == "DESCRIBE" {
		return a
	}
	if c.Challenge != nil && method == "DESCRIBE" {
		return c.Challenge
	}
	return c.NotFound
}

// readRequest reads one request head and returns its method, the path of
// its URL (query kept, trailing slash dropped) and its CSeq.
func readRequest(br *bufio.Reader) (method, path, cseq string, ok bool) {
	size := 0
	first := true
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return "", "", "", false
		}
		if size += len(line); size > maxHead {
			return "", "", "", false
		}
		line = strings.TrimRight(line, "\r\n")
		if first {
			f := strings.Fields(line)
			if len(f) != 3 {
				return "", "", "", false
			}
			method, path, first = f[0], PathOf(f[1]), false
			continue
		}
		if line == "" {
			return method, path, cseq, true
		}
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(strings.TrimSpace(k), "CSeq") {
			cseq = strings.TrimSpace(v)
		}
	}
}

// PathOf returns the path of an RTSP URL with its query, without a
// trailing slash ("/" for the root).
func PathOf(url string) string {
	rest, ok := strings.CutPrefix(url, "rtsp://")
	if !ok {
		return url
	}
	i := strings.IndexByte(rest, '/')
	if i < 0 {
		return "/"
	}
	p := rest[i:]
	for len(p) > 1 && strings.HasSuffix(p, "/") {
		p = strings.TrimSuffix(p, "/")
	}
	return p
}
