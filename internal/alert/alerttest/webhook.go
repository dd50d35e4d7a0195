package alerttest

import (
	"io"
	"net/http"
	"sync"
)

// Request is one request a Receiver got.
type Request struct {
	Header http.Header
	Body   []byte
}

// Receiver is a webhook endpoint that keeps every request; Fail makes it
// answer 503 to the next n requests.
type Receiver struct {
	mu   sync.Mutex
	reqs []Request
	fail int
}

// Fail makes the next n requests fail.
func (r *Receiver) Fail(n int) {
	r.mu.Lock()
	r.fail = n
	r.mu.Unlock()
}

// Requests returns the requests accepted (2xx) so far.
func (r *Receiver) Requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.reqs...)
}

// ServeHTTP implements http.Handler.
func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail > 0 {
		r.fail--
		http.Error(w, "try later", http.StatusServiceUnavailable)
		return
	}
	r.reqs = append(r.reqs, Request{Header: req.Header.Clone(), Body: b})
	w.WriteHeader(http.StatusNoContent)
}
