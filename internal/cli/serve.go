package cli

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/alert"
	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/fleet"
	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/password"
	"github.com/camwarden/camwarden/internal/serve"
	"github.com/camwarden/camwarden/internal/store"
	"github.com/camwarden/camwarden/internal/store/servedb"
	"github.com/camwarden/camwarden/internal/web"
)

// serveFlags are the options of "camwarden serve".
type serveFlags struct {
	store            storeFlags
	listen           string
	tlsCert, tlsKey  string
	selfSigned       bool
	publicURL        string
	webhooks, slacks stringList
	smtp             string
	smtpUser         string
	smtpPassFile     string
	smtpCA           string
	mailFrom         string
	mailTo           stringList
	lang             string
	minSeverity      string
	supportDays      int
	concurrency      int
	grace            time.Duration
	metricsTokenFile string
	keep             keepFlag
	verbose          bool
}

func runServe(ctx context.Context, args []string, stdio IO) (int, error) {
	fs := newFlagSet("serve", stdio.Err)
	var f serveFlags
	f.store.register(fs)
	fs.StringVar(&f.listen, "listen", "127.0.0.1:8750", "`ADDR:PORT` of the dashboard; other than loopback needs TLS")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "certificate `FILE` (PEM) for HTTPS")
	fs.StringVar(&f.tlsKey, "tls-key", "", "private key `FILE` (PEM) for HTTPS")
	fs.BoolVar(&f.selfSigned, "tls-self-signed", false, "serve HTTPS with a self-signed certificate made once and kept next to the database")
	fs.StringVar(&f.publicURL, "url", "", "the dashboard's `URL` as users reach it (put in alerts; default from --listen)")
	fs.Var(&f.webhooks, "webhook", "`URL` to POST alerts to as camwarden JSON (repeatable)")
	fs.Var(&f.slacks, "slack-webhook", "`URL` of a Slack or Microsoft Teams incoming webhook (repeatable)")
	fs.StringVar(&f.smtp, "smtp", "", "`HOST:PORT` of the mail server for e-mail alerts (STARTTLS required)")
	fs.StringVar(&f.smtpUser, "smtp-user", "", "SMTP user (AUTH PLAIN after STARTTLS)")
	fs.StringVar(&f.smtpPassFile, "smtp-password-file", "", "`FILE` holding the SMTP password (or $CAMWARDEN_SMTP_PASSWORD)")
	fs.StringVar(&f.smtpCA, "smtp-ca", "", "PEM `FILE` of the CA that signed the mail server's certificate (default: system roots)")
	fs.StringVar(&f.mailFrom, "mail-from", "", "sender `ADDRESS` of alert e-mail")
	fs.Var(&f.mailTo, "mail-to", "recipient `ADDRESS` of alert e-mail (repeatable)")
	fs.StringVar(&f.lang, "lang", "", "language of alerts: en or ja (default: from LANG)")
	fs.StringVar(&f.minSeverity, "alert-severity", "medium", "alert new and fixed findings at least this `SEVERITY`")
	fs.IntVar(&f.supportDays, "support-days", 90, "alert when vendor support ends within `N` days (0: never)")
	fs.IntVar(&f.concurrency, "concurrency", 1, "sites audited at once (SQLite mode)")
	fs.DurationVar(&f.grace, "grace", 10*time.Second, "on stop, how long running audits may finish before they are cancelled (and re-run at the next start)")
	fs.StringVar(&f.metricsTokenFile, "metrics-token-file", "", "`FILE` with the bearer token of /metrics (default: made once next to the database)")
	f.keep = keepFlag{store.DefaultKeep}
	fs.Var(&f.keep, "keep", keepUsage+" (applied at start and daily)")
	fs.BoolVar(&f.verbose, "v", false, "log every step")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK, nil
		}
		return ExitUsage, usageError{err}
	}
	if fs.NArg() > 0 {
		return ExitUsage, usagef("unexpected argument %q", fs.Arg(0))
	}
	return f.run(ctx, stdio)
}

func (f *serveFlags) run(ctx context.Context, stdio IO) (int, error) {
	lang, err := i18n.Choose(f.lang, os.Getenv)
	if err != nil {
		return ExitUsage, usagef("--lang: %v", err)
	}
	minSev, ok := finding.ParseSeverity(f.minSeverity)
	if !ok {
		return ExitUsage, usagef("--alert-severity %q: want info, low, medium, high or critical", f.minSeverity)
	}
	if f.concurrency <= 0 || f.supportDays < 0 {
		return ExitUsage, usagef("--concurrency must be positive and --support-days not negative")
	}
	useTLS, err := f.checkListen()
	if err != nil {
		return ExitUsage, err
	}
	channels, err := f.channels(lang)
	if err != nil {
		return ExitUsage, err
	}
	log := fleetLogger(stdio.Err, f.verbose)
	st, err := f.store.open(ctx, log)
	if err != nil {
		return ExitError, err
	}
	defer st.Close()
	dataDir := f.dataDir(st)
	if st.sqlite != nil {
		unlock, err := serve.Lock(st.path + ".serve.lock")
		if err != nil {
			return ExitError, err
		}
		defer unlock()
	}
	ln, scheme, err := f.listener(ctx, useTLS, dataDir, stdio)
	if err != nil {
		return ExitError, err
	}
	base := f.publicURL
	if base == "" {
		base = scheme + "://" + ln.Addr().String()
	}
	cfg := serve.Config{DB: st.db, Channels: channels, Policy: alert.Policy{MinSeverity: minSev, SupportDays: f.supportDays},
		Dashboard: base, Owner: ownerName(), Grace: f.grace, Concurrency: f.concurrency, Keep: f.keep.d, Logger: log}
	if st.pg != nil {
		q, err := fleet.Open(ctx, f.store.postgres, log)
		if err != nil {
			_ = ln.Close()
			return ExitError, err
		}
		defer q.Close()
		cfg.Fleet = fleetDispatcher{q}
	} else {
		cfg.Scan = siteScanner(stdio.Err, f.verbose)
	}
	svc, err := serve.New(cfg)
	if err != nil {
		_ = ln.Close()
		return ExitError, err
	}
	return f.serve(ctx, st, svc, ln, base, dataDir, stdio)
}

// checkListen refuses a non-loopback address without TLS.
func (f *serveFlags) checkListen() (useTLS bool, err error) {
	host, _, err := net.SplitHostPort(f.listen)
	if err != nil {
		return false, usagef("--listen %q: want ADDR:PORT", f.listen)
	}
	if (f.tlsCert == "") != (f.tlsKey == "") {
		return false, usagef("--tls-cert and --tls-key go together")
	}
	useTLS = f.tlsCert != "" || f.selfSigned
	if f.tlsCert != "" && f.selfSigned {
		return false, usagef("--tls-self-signed or --tls-cert/--tls-key, not both")
	}
	ip := net.ParseIP(host)
	loopback := host == "localhost" || (ip != nil && ip.IsLoopback())
	if !loopback && !useTLS {
		return false, usagef("--listen %s is reachable from the network: the dashboard then needs TLS (--tls-cert/--tls-key or --tls-self-signed)", f.listen)
	}
	return useTLS, nil
}

func (f *serveFlags) dataDir(st *openedStore) string {
	if st.path != "" {
		return filepath.Dir(st.path)
	}
	dir, err := storePath("")
	if err != nil {
		return "."
	}
	return filepath.Dir(dir)
}

func (f *serveFlags) listener(ctx context.Context, useTLS bool, dataDir string, stdio IO) (net.Listener, string, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", f.listen)
	if err != nil {
		return nil, "", fmt.Errorf("listen %s: %w", f.listen, err)
	}
	if !useTLS {
		return ln, "http", nil
	}
	var cert tls.Certificate
	if f.selfSigned {
		host, _, _ := net.SplitHostPort(f.listen)
		var path string
		cert, path, err = web.SelfSignedCert(dataDir, []string{host, "localhost", "127.0.0.1"})
		if err == nil {
			fmt.Fprintf(stdio.Err, "HTTPS with a self-signed certificate (%s): check its fingerprint in the browser the first time\n", path)
		}
	} else {
		cert, err = tls.LoadX509KeyPair(f.tlsCert, f.tlsKey)
	}
	if err != nil {
		_ = ln.Close()
		return nil, "", fmt.Errorf("tls: %w", err)
	}
	return tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}), "https", nil
}

func (f *serveFlags) serve(ctx context.Context, st *openedStore, svc *serve.Service, ln net.Listener, base, dataDir string, stdio IO) (int, error) {
	token, err := f.metricsToken(dataDir)
	if err != nil {
		_ = ln.Close()
		return ExitError, err
	}
	cat, err := creds.Default()
	if err != nil {
		_ = ln.Close()
		return ExitError, err
	}
	dash, err := web.New(web.Config{DB: st.db, Auditor: svc, Secure: strings.HasPrefix(base, "https"), MetricsToken: token,
		Grade:     func(pw string) password.Result { return password.Grade(pw, cat) },
		CheckSite: func(ctx context.Context, s servedb.Site) error { return checkSite(ctx, s, st.pg != nil) },
		Logger:    fleetLogger(stdio.Err, f.verbose)})
	if err != nil {
		_ = ln.Close()
		return ExitError, err
	}
	setup, err := web.SetupToken(ctx, st.db)
	if err != nil {
		_ = ln.Close()
		return ExitError, err
	}
	fmt.Fprintf(stdio.Err, "camwarden serve: dashboard at %s/\n", base)
	if setup != "" {
		fmt.Fprintf(stdio.Err, "first start: create the administrator at %s/setup?token=%s (the link works once)\n", base, setup)
	}
	srv := &http.Server{Handler: dash, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		ErrorLog: nil, BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) }}
	errc := make(chan error, 2)
	go func() { errc <- svc.Run(ctx) }()
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			errc <- err
		}
	}()
	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-errc:
	}
	fmt.Fprintln(stdio.Err, "camwarden serve: stopping")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	if ctx.Err() != nil {
		runErr = <-errc // the service's Run returns once its audits are finished or requeued
	}
	if runErr != nil {
		return ExitError, runErr
	}
	return ExitOK, nil
}

// metricsToken reads --metrics-token-file, or the token kept next to the
// database (made once, 0600).
func (f *serveFlags) metricsToken(dataDir string) (string, error) {
	path := f.metricsTokenFile
	if path == "" {
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return "", fmt.Errorf("metrics token: %w", err)
		}
		path = filepath.Join(dataDir, "metrics.token")
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			if err := os.WriteFile(path, []byte(newToken()+"\n"), 0o600); err != nil {
				return "", fmt.Errorf("metrics token: %w", err)
			}
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("metrics token: %w", err)
	}
	tok := strings.TrimSpace(string(b))
	if len(tok) < 16 {
		return "", fmt.Errorf("metrics token in %s: at least 16 characters", path)
	}
	return tok, nil
}

func (f *serveFlags) channels(lang i18n.Lang) ([]alert.Channel, error) {
	var out []alert.Channel
	for i, u := range f.webhooks {
		if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			return nil, usagef("--webhook %q: want an http(s) URL", u)
		}
		out = append(out, &alert.Webhook{ID: fmt.Sprintf("webhook:%d", i+1), URL: u, Lang: lang})
	}
	for i, u := range f.slacks {
		if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			return nil, usagef("--slack-webhook %q: want an http(s) URL", u)
		}
		out = append(out, &alert.Webhook{ID: fmt.Sprintf("slack:%d", i+1), URL: u, Slack: true, Lang: lang})
	}
	if f.smtp == "" {
		if len(f.mailTo) > 0 {
			return nil, usagef("--mail-to needs --smtp")
		}
		return out, nil
	}
	e := &alert.Email{ID: "email:1", Addr: f.smtp, From: f.mailFrom, To: f.mailTo, User: f.smtpUser, Lang: lang}
	if err := e.Check(); err != nil {
		return nil, usageError{err}
	}
	if f.smtpUser != "" {
		e.Password = os.Getenv("CAMWARDEN_SMTP_PASSWORD")
		if f.smtpPassFile != "" {
			b, err := os.ReadFile(f.smtpPassFile)
			if err != nil {
				return nil, usagef("--smtp-password-file: %v", err)
			}
			e.Password = strings.TrimRight(string(b), "\r\n")
		}
		if e.Password == "" {
			return nil, usagef("--smtp-user needs --smtp-password-file or $CAMWARDEN_SMTP_PASSWORD")
		}
	}
	if f.smtpCA != "" {
		b, err := os.ReadFile(f.smtpCA)
		if err != nil {
			return nil, usagef("--smtp-ca: %v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(b) {
			return nil, usagef("--smtp-ca %s: no PEM certificate", f.smtpCA)
		}
		e.TLS = &tls.Config{RootCAs: pool}
	}
	return append(out, e), nil
}

func ownerName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d", orDefault(host, "serve"), os.Getpid())
}

func newToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
