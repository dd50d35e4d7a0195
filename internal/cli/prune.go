package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/store"
)

// keepFlag is a retention period: "400d", "72h", or "0"/"forever" to
// keep everything. A period shorter than a day is refused: it would
// prune the audit a schedule compares with.
type keepFlag struct{ d time.Duration }

func (k *keepFlag) String() string {
	if k == nil || k.d == store.KeepAll {
		return "forever"
	}
	if k.d%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(k.d/(24*time.Hour)), 10) + "d"
	}
	return k.d.String()
}

func (k *keepFlag) Set(s string) error {
	s = strings.TrimSpace(strings.ToLower(s))
	switch s {
	case "0", "forever", "all":
		k.d = store.KeepAll
		return nil
	}
	var d time.Duration
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days > 100*366 {
			return fmt.Errorf("%q: want days like 400d, a duration like 72h, or forever", s)
		}
		d = time.Duration(days) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return fmt.Errorf("%q: want days like 400d, a duration like 72h, or forever", s)
		}
	}
	if d < 24*time.Hour {
		return fmt.Errorf("%q: keep at least 1d (or forever)", s)
	}
	k.d = d
	return nil
}

// keepUsage is the --keep flag's help, shared by serve and prune.
const keepUsage = "how long old audits' documents are kept: `PERIOD` like 400d or 72h, or forever; " +
	"each site's latest audit and each device's latest observation are always kept, and history rows stay"

// runPrune applies the retention policy once, as serve does every day.
//
//	camwarden prune [--db PATH | --postgres URL] [--keep 400d] [--vacuum]
func runPrune(ctx context.Context, args []string, stdio IO) (int, error) {
	fs := newFlagSet("prune", stdio.Err)
	var sf storeFlags
	sf.register(fs)
	keep := keepFlag{store.DefaultKeep}
	fs.Var(&keep, "keep", keepUsage)
	vacuum := fs.Bool("vacuum", false, "SQLite: then rebuild the file to give the freed space back (needs free disk about the file's size; "+
		"without it the space is reused by later audits)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK, nil
		}
		return ExitUsage, usageError{err}
	}
	if fs.NArg() > 0 {
		return ExitUsage, usagef("unexpected argument %q", fs.Arg(0))
	}
	if *vacuum && sf.postgres != "" {
		return ExitUsage, usagef("--vacuum is for the SQLite store; on PostgreSQL autovacuum reuses the space (VACUUM FULL returns it)")
	}
	if keep.d == store.KeepAll {
		fmt.Fprintln(stdio.Out, "--keep forever: nothing to prune")
		return ExitOK, nil
	}
	st, err := sf.open(ctx, nil)
	if err != nil {
		return ExitError, err
	}
	defer st.Close()
	before := time.Now().Add(-keep.d)
	res, err := st.db.Store().Prune(ctx, before)
	if err != nil {
		return ExitError, err
	}
	fmt.Fprintf(stdio.Out, "pruned %d audits' documents and %d device observations from before %s "+
		"(kept: each scope's and site's latest audit, each device's latest observation, all history rows)\n",
		res.Scans, res.Observations, before.Format(time.DateOnly))
	if !*vacuum || st.sqlite == nil {
		return ExitOK, nil
	}
	size := func() int64 {
		fi, err := os.Stat(st.path)
		if err != nil {
			return 0
		}
		return fi.Size()
	}
	was := size()
	if err := st.sqlite.Vacuum(ctx); err != nil {
		return ExitError, err
	}
	fmt.Fprintf(stdio.Out, "vacuumed %s: %.1f MiB -> %.1f MiB\n", st.path, float64(was)/(1<<20), float64(size())/(1<<20))
	return ExitOK, nil
}
