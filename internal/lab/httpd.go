package lab

import (
	"crypto/tls"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// httpProfile is how one HTTP port of a device answers: headers and pages
// as the vendor's web server sends them.
type httpProfile struct {
	Port   uint16
	Server string // Server header; "" sends none
	// Realm and Schemes describe the vendor's challenge: the first scheme
	// is offered in WWW-Authenticate, all listed ones are accepted.
	Realm   string
	Schemes []string
	Pages   []page
	// NotFound answers paths no page matches (default: 404, empty body).
	NotFound *page
	// Unauthorized is the body of a 401; LockedBody that of a 401 while
	// the account is locked ({{UNLOCK}} = seconds left).
	Unauthorized page
	LockedBody   string
	ONVIF        *onvifProfile
	// APIs are vendor login APIs (Dahua RPC2, Reolink api.cgi) answered
	// before the pages; each reports whether it handled the request.
	APIs []vendorAPI
	// TLS serves the port over HTTPS with a self-signed certificate.
	TLS bool
}

// page is one answer. Path may carry a query ("/cgi-bin/x.cgi?action=y");
// Contains, when set, must occur in the request body; Auth protects it.
type page struct {
	Method, Path, Contains string
	Auth                   bool
	Status                 int
	Type                   string
	Body                   string // template; "@name" loads responses/name
	Headers                map[string]string
}

func (p *page) body() string {
	if strings.HasPrefix(p.Body, "@") {
		return response(p.Body[1:])
	}
	return p.Body
}

const maxRequestBody = 64 << 10

func (l *Lab) serveHTTP(d *device, h *httpProfile) error {
	ln, err := l.listenTCP(d.addr, h.Port)
	if err != nil {
		return err
	}
	if h.TLS {
		cfg, err := selfSignedTLS(d.addr, d.def.Vendor)
		if err != nil {
			_ = ln.Close()
			return err
		}
		ln = tls.NewListener(ln, cfg)
	}
	srv := &http.Server{
		Handler:           &httpDevice{d: d, p: h, log: l.logger},
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		IdleTimeout:       10 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(l.logger.Handler(), slog.LevelDebug),
		ConnState: func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				l.countAccepted(d.addr)
			}
		},
	}
	l.addCloser(srv.Close)
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		_ = srv.Serve(ln)
	}()
	return nil
}

// httpDevice is the http.Handler of one device port.
type httpDevice struct {
	d   *device
	p   *httpProfile
	log *slog.Logger
}

func (h *httpDevice) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	h.log.Debug("lab http", "addr", h.d.addr, "method", r.Method, "uri", r.RequestURI)
	if h.p.Server != "" {
		w.Header().Set("Server", h.p.Server)
	}
	if h.p.ONVIF != nil && r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/onvif/") {
		h.serveONVIF(w, r, body)
		return
	}
	for _, api := range h.p.APIs {
		if api(h, w, r, body) {
			return
		}
	}
	pg := h.match(r, body)
	if pg == nil {
		pg = h.p.NotFound
		if pg == nil {
			pg = &page{Status: http.StatusNotFound}
		}
	}
	if pg.Auth && !h.authorized(w, r) {
		return
	}
	h.write(w, pg, nil)
}

func (h *httpDevice) match(r *http.Request, body []byte) *page {
	uri := r.URL.Path
	if r.URL.RawQuery != "" {
		uri += "?" + r.URL.RawQuery
	}
	for i := range h.p.Pages {
		pg := &h.p.Pages[i]
		method := pg.Method
		if method == "" {
			method = http.MethodGet
		}
		if method != r.Method || pg.Path != uri {
			continue
		}
		if pg.Contains != "" && !strings.Contains(string(body), pg.Contains) {
			continue
		}
		return pg
	}
	return nil
}

// authorized checks the request's credentials through the device's auth
// model and answers 401 itself when they are missing, wrong or locked.
func (h *httpDevice) authorized(w http.ResponseWriter, r *http.Request) bool {
	res := h.d.auth.checkAuthorization("http", r.Header.Get("Authorization"), r.Method, h.p.Realm, h.p.Schemes...)
	if res == authOK {
		return true
	}
	h.challenge(w, res)
	return false
}

func (h *httpDevice) challenge(w http.ResponseWriter, res authResult) {
	switch h.p.Schemes[0] {
	case "basic":
		w.Header().Set("WWW-Authenticate", `Basic realm="`+h.p.Realm+`"`)
	default:
		w.Header().Set("WWW-Authenticate", h.d.auth.digestChallenge(h.p.Realm, true))
	}
	pg := h.p.Unauthorized
	pg.Status = http.StatusUnauthorized
	var extra map[string]string
	if locked, left := h.d.auth.locked(""); res == authLocked || (locked && h.p.LockedBody != "") {
		if h.p.LockedBody != "" {
			pg.Body = h.p.LockedBody
			extra = map[string]string{"UNLOCK": strconv.Itoa(int(left.Seconds()))}
		}
	}
	h.write(w, &pg, extra)
}

func (h *httpDevice) write(w http.ResponseWriter, pg *page, extra map[string]string) {
	for k, v := range pg.Headers {
		w.Header().Set(k, h.d.render(v, nil))
	}
	body := h.d.render(pg.body(), extra)
	if pg.Type != "" {
		w.Header().Set("Content-Type", pg.Type)
	} else if body != "" {
		w.Header().Set("Content-Type", "text/html")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	status := pg.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}
