package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/scope"
	"github.com/camwarden/camwarden/internal/serve"
	"github.com/camwarden/camwarden/internal/store/postgres"
	"github.com/camwarden/camwarden/internal/store/servedb"
	"github.com/camwarden/camwarden/internal/store/sqlite"
	"github.com/camwarden/camwarden/internal/termsafe"
)

// runSite dispatches "camwarden site add|list|rm|audit".
func runSite(ctx context.Context, args []string, stdio IO) (int, error) {
	if len(args) == 0 {
		siteUsage(stdio.Err)
		return ExitUsage, usagef("site: want add, list, rm or audit")
	}
	switch args[0] {
	case "add":
		return runSiteAdd(ctx, args[1:], stdio)
	case "list", "ls":
		return runSiteList(ctx, args[1:], stdio)
	case "rm", "remove":
		return runSiteRemove(ctx, args[1:], stdio)
	case "audit":
		return runSiteAudit(ctx, args[1:], stdio)
	case "-h", "--help", "help":
		siteUsage(stdio.Out)
		return ExitOK, nil
	}
	siteUsage(stdio.Err)
	return ExitUsage, usagef("site %q: want add, list, rm or audit", args[0])
}

func siteUsage(w io.Writer) {
	fmt.Fprint(w, `Usage:
  camwarden site add NAME TARGET... [--exclude TARGET]... [--schedule SPEC] [--depth D]
                     [--credentials FILE] [-p PORTS] [--allow-public]
  camwarden site list
  camwarden site rm NAME
  camwarden site audit NAME        audit the site now (camwarden serve runs it)

A schedule is "every 6h", "daily 02:30" or "weekly sun 02:30", optionally followed by
"jitter 30m" and "quiet 08:00-20:00" (no audit starts in the quiet hours).
--credentials names a file read at each audit; the passwords are never stored.
Every command takes --db PATH (SQLite, the default store) or --postgres URL (a fleet).
`)
}

// storeFlags are --db and --postgres.
type storeFlags struct {
	db, postgres string
}

func (f *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.db, "db", "", "`PATH` of the SQLite store (default: $XDG_DATA_HOME/camwarden/camwarden.db)")
	fs.StringVar(&f.postgres, "postgres", os.Getenv("CAMWARDEN_POSTGRES"), "PostgreSQL `URL` of a fleet (default $CAMWARDEN_POSTGRES)")
}

// openedStore is serve's database with what closes it.
type openedStore struct {
	db     *servedb.DB
	sqlite *sqlite.DB
	pg     *postgres.DB
	path   string // the SQLite file
}

func (o *openedStore) Close() error {
	_ = o.db.Close()
	if o.sqlite != nil {
		return o.sqlite.Close()
	}
	return o.pg.Close()
}

func (f *storeFlags) open(ctx context.Context, log *slog.Logger) (*openedStore, error) {
	if f.postgres != "" {
		pg, err := postgres.Open(ctx, f.postgres, postgres.Options{Logger: log})
		if err != nil {
			return nil, err
		}
		return &openedStore{db: servedb.NewPostgres(pg), pg: pg}, nil
	}
	path, err := storePath(f.db)
	if err != nil {
		return nil, err
	}
	st, err := sqlite.Open(ctx, path, sqlite.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	return &openedStore{db: servedb.NewSQLite(st), sqlite: st, path: path}, nil
}

// checkSite validates a site as scan validates its flags and targets:
// the schedule, the depth, the ports, the scope guard (public ranges
// refused unless allowed; no @file: a site is stored and shared), and a
// readable credentials file given by an absolute path.
func checkSite(ctx context.Context, s servedb.Site, fleet bool) error {
	if err := servedb.CheckSiteName(s.Name); err != nil {
		return err
	}
	if len(s.Targets) == 0 {
		return errors.New("a site needs at least one target")
	}
	if _, err := serve.ParseSchedule(s.Schedule); err != nil {
		return err
	}
	if _, err := creds.ParseDepth(orDefault(s.Depth, "default")); err != nil {
		return fmt.Errorf("depth: %w", err)
	}
	if s.Ports != "" {
		if _, err := parsePorts(s.Ports); err != nil {
			return fmt.Errorf("ports: %w", err)
		}
	}
	for _, t := range append(append([]string{}, s.Targets...), s.Excludes...) {
		if strings.HasPrefix(t, "@") {
			return fmt.Errorf("target %q: @file targets are not allowed in a site (list the targets)", t)
		}
	}
	if _, err := scope.Parse(ctx, s.Targets, scope.Options{Excludes: s.Excludes, AllowPublic: s.AllowPublic}); err != nil {
		return err
	}
	if s.Credentials != "" {
		if fleet {
			return errors.New("--credentials: fleet workers cannot read a file on this machine")
		}
		if !filepath.IsAbs(s.Credentials) {
			return fmt.Errorf("credentials file %q: give an absolute path", s.Credentials)
		}
		f, err := os.Open(s.Credentials)
		if err != nil {
			return fmt.Errorf("credentials file: %w", err)
		}
		_ = f.Close()
	}
	return nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func runSiteAdd(ctx context.Context, args []string, stdio IO) (int, error) {
	fs := newFlagSet("site add", stdio.Err)
	var sf storeFlags
	sf.register(fs)
	var excludes stringList
	var s servedb.Site
	fs.Var(&excludes, "exclude", "target never to scan (repeatable)")
	fs.StringVar(&s.Schedule, "schedule", servedb.DefaultSchedule, "when to audit: every DURATION, daily HH:MM or weekly DAY HH:MM, then jitter D, quiet HH:MM-HH:MM")
	fs.StringVar(&s.Depth, "depth", "default", "password guessing depth: default, common, extended")
	fs.StringVar(&s.Credentials, "credentials", "", "`FILE` of user:password lines you set (its path is stored, never its content)")
	fs.StringVar(&s.Ports, "p", "", "TCP ports to sweep (default: scan's)")
	fs.BoolVar(&s.AllowPublic, "allow-public", false, "allow public addresses (only hosts you are authorised to audit)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK, nil
		}
		return ExitUsage, usageError{err}
	}
	if len(pos) < 2 {
		return ExitUsage, usagef("site add NAME TARGET...: want a name and at least one target")
	}
	s.Name, s.Targets, s.Excludes = pos[0], pos[1:], excludes
	if s.Credentials != "" {
		if abs, err := filepath.Abs(s.Credentials); err == nil {
			s.Credentials = abs
		}
	}
	if err := checkSite(ctx, s, sf.postgres != ""); err != nil {
		return ExitUsage, usageError{err}
	}
	st, err := sf.open(ctx, nil)
	if err != nil {
		return ExitError, err
	}
	defer st.Close()
	if _, err := st.db.AddSite(ctx, s, time.Now()); err != nil {
		if errors.Is(err, servedb.ErrSiteExists) {
			return ExitUsage, usageError{err}
		}
		return ExitError, err
	}
	_ = st.db.LogAction(ctx, servedb.Action{At: time.Now(), Actor: "cli", Address: "local", Action: "site.add",
		Detail: fmt.Sprintf("%s targets=%s schedule=%q", s.Name, strings.Join(s.Targets, ","), s.Schedule)})
	fmt.Fprintf(stdio.Out, "site %s added (%s); camwarden serve audits it first at once, then on schedule\n", s.Name, s.Schedule)
	return ExitOK, nil
}

func runSiteList(ctx context.Context, args []string, stdio IO) (int, error) {
	fs := newFlagSet("site list", stdio.Err)
	var sf storeFlags
	sf.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK, nil
		}
		return ExitUsage, usageError{err}
	}
	st, err := sf.open(ctx, nil)
	if err != nil {
		return ExitError, err
	}
	defer st.Close()
	sites, err := st.db.Sites(ctx)
	if err != nil {
		return ExitError, err
	}
	tw := tabwriter.NewWriter(stdio.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTARGETS\tSCHEDULE\tLAST AUDIT\tNEXT")
	for _, s := range sites {
		last, next := "-", "-"
		runs, err := st.db.SiteRuns(ctx, s.ID, 5)
		if err != nil {
			return ExitError, err
		}
		for _, r := range runs {
			switch r.State {
			case servedb.RunQueued, servedb.RunRunning, servedb.RunDispatched:
				if next == "-" {
					next = string(r.State) + " " + r.Due.Local().Format("2006-01-02 15:04")
				}
			default:
				if last == "-" {
					last = string(r.State) + " " + r.Finished.Local().Format("2006-01-02 15:04")
				}
			}
		}
		targets := strings.Join(s.Targets, " ")
		for _, e := range s.Excludes {
			targets += " !" + e
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", termsafe.Line(s.Name), termsafe.Line(targets), termsafe.Line(s.Schedule), last, next)
	}
	return ExitOK, tw.Flush()
}

// runSiteNamed runs "site rm|audit NAME": it opens the store, calls do
// with the site's name, logs the action (site.ACTION) and prints do's
// message.
func runSiteNamed(ctx context.Context, args []string, stdio IO, cmd, action string, do func(ctx context.Context, db *servedb.DB, name string) (string, error)) (int, error) {
	fs := newFlagSet("site "+cmd, stdio.Err)
	var sf storeFlags
	sf.register(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK, nil
		}
		return ExitUsage, err
	}
	if len(pos) != 1 {
		return ExitUsage, usagef("site %s NAME: want exactly one site name", cmd)
	}
	name := pos[0]
	st, err := sf.open(ctx, nil)
	if err != nil {
		return ExitError, err
	}
	defer st.Close()
	msg, err := do(ctx, st.db, name)
	if err != nil {
		return ExitError, err
	}
	_ = st.db.LogAction(ctx, servedb.Action{At: time.Now(), Actor: "cli", Address: "local", Action: "site." + action, Detail: name})
	fmt.Fprintln(stdio.Out, msg)
	return ExitOK, nil
}

func runSiteRemove(ctx context.Context, args []string, stdio IO) (int, error) {
	return runSiteNamed(ctx, args, stdio, "rm", "remove", func(ctx context.Context, db *servedb.DB, name string) (string, error) {
		if err := db.RemoveSite(ctx, name); err != nil {
			return "", err
		}
		return fmt.Sprintf("site %s removed (its past audits stay in the history)", termsafe.Line(name)), nil
	})
}

func runSiteAudit(ctx context.Context, args []string, stdio IO) (int, error) {
	return runSiteNamed(ctx, args, stdio, "audit", "audit", func(ctx context.Context, db *servedb.DB, name string) (string, error) {
		s, err := db.SiteByName(ctx, name)
		if err != nil {
			return "", err
		}
		if err := db.RunNow(ctx, s, time.Now()); err != nil {
			return "", err
		}
		return fmt.Sprintf("audit of %s queued; camwarden serve runs it within seconds", termsafe.Line(name)), nil
	})
}
