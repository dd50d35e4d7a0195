package cli

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	catalogfw "github.com/camwarden/camwarden/internal/catalog/firmware"
	checkfw "github.com/camwarden/camwarden/internal/check/firmware"
	"github.com/camwarden/camwarden/internal/termsafe"
)

// catalogFetchTimeout bounds the download of a catalogue by URL.
const catalogFetchTimeout = 60 * time.Second

// runCatalog implements `camwarden catalog show VENDOR [MODEL]` and
// `camwarden catalog update --from FILE|URL --sha256 HEX`.
func runCatalog(ctx context.Context, args []string, stdio IO) (int, error) {
	if len(args) == 0 {
		return ExitUsage, usagef("catalog: want a subcommand: show VENDOR [MODEL], or update --from FILE|URL --sha256 HEX")
	}
	switch args[0] {
	case "-h", "-help", "--help":
		fmt.Fprint(stdio.Err, `Usage:
  camwarden catalog show VENDOR [MODEL]                what the firmware catalogue knows
  camwarden catalog update --from FILE|URL --sha256 HEX  install a newer catalogue

"camwarden catalog show -h" and "camwarden catalog update -h" list their flags.
`)
		return ExitOK, nil
	case "show":
		return runCatalogShow(ctx, args[1:], stdio)
	case "update":
		return runCatalogUpdate(ctx, args[1:], stdio)
	}
	return ExitUsage, usagef("catalog: unknown subcommand %q (want show or update)", args[0])
}

// configDirFlag registers --config-dir, defaulting to catalogfw.ConfigDir.
func configDirFlag(fs *flag.FlagSet) *string {
	def, _ := catalogfw.ConfigDir() // "" when unknown: the embedded catalogue only
	return fs.String("config-dir", def, "directory holding an updated firmware catalogue")
}

func runCatalogShow(ctx context.Context, args []string, stdio IO) (int, error) {
	fs := newFlagSet("catalog show", stdio.Err)
	dir := configDirFlag(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK, nil
		}
		return ExitUsage, err
	}
	if len(pos) < 1 || len(pos) > 2 {
		return ExitUsage, usagef("catalog show: want VENDOR [MODEL], got %d arguments", len(pos))
	}
	if ctx.Err() != nil {
		return ExitInterrupted, ctx.Err()
	}
	now := time.Now()
	cat, origin, err := catalogfw.LoadActive(*dir, now)
	if cat == nil {
		return ExitError, err
	}
	if err != nil {
		fmt.Fprintf(stdio.Err, "warning: installed catalogue ignored: %s\n", termsafe.Line(err.Error()))
	}
	var b bytes.Buffer
	if _, err := checkfw.WriteFreshness(&b, cat, now); err != nil {
		return ExitError, err
	}
	fmt.Fprintf(&b, "catalogue: %s\n", origin)
	v := cat.Vendor(pos[0])
	if v == nil {
		io.WriteString(stdio.Out, termsafe.Text(b.String()))
		return ExitError, fmt.Errorf("vendor %q is not in the firmware catalogue (known: %s)", pos[0], vendorNames(cat))
	}
	model := ""
	if len(pos) == 2 {
		model = pos[1]
	}
	showVendor(&b, cat, v, model)
	if _, err := io.WriteString(stdio.Out, termsafe.Text(b.String())); err != nil {
		return ExitError, fmt.Errorf("write catalogue: %w", err)
	}
	return ExitOK, nil
}

func vendorNames(cat *catalogfw.Catalog) string {
	names := make([]string, 0, len(cat.Vendors))
	for _, v := range cat.Vendors {
		names = append(names, v.Name)
	}
	return strings.Join(names, ", ")
}

// showVendor prints the vendor, then its families (all, or those of
// model) and the vulnerabilities that may apply, each with its source.
func showVendor(w io.Writer, cat *catalogfw.Catalog, v *catalogfw.Vendor, model string) {
	fmt.Fprintf(w, "\n%s (version scheme %s", v.Name, v.Scheme)
	if len(v.Aliases) > 0 {
		fmt.Fprintf(w, "; also %s", strings.Join(v.Aliases, ", "))
	}
	fmt.Fprintf(w, ")\n  read the version by hand: %s\n  source: %s (checked %s)\n", v.ManualCheck.EN, checkfw.PublicSource(v.Source), v.Checked)
	var fams []*catalogfw.Family
	if model == "" {
		for i := range cat.Families {
			if cat.Vendor(cat.Families[i].Vendor) == v {
				fams = append(fams, &cat.Families[i])
			}
		}
	} else {
		fams = cat.FamiliesOf(v.Name, model)
	}
	what := "families"
	if model != "" {
		what = "families listing " + catalogfw.NormalizeModel(model)
	}
	fmt.Fprintf(w, "\n%s: %d\n", what, len(fams))
	for _, f := range fams {
		showFamily(w, f, model != "")
	}
	showSuperseded(w, cat, v, model)
	vulns := cat.VulnerabilitiesOf(v.Name, model)
	slices.SortStableFunc(vulns, func(a, b *catalogfw.Vulnerability) int {
		if a.KEV != b.KEV {
			if a.KEV {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(b.CVSS, a.CVSS), strings.Compare(a.CVE, b.CVE))
	})
	fmt.Fprintf(w, "\nknown vulnerabilities: %d\n", len(vulns))
	for _, x := range vulns {
		showVulnerability(w, x)
	}
}

// showSuperseded prints the vendor's version ranges that a later release
// line replaced (all, or those that apply to model), each with its source.
func showSuperseded(w io.Writer, cat *catalogfw.Catalog, v *catalogfw.Vendor, model string) {
	var sup []*catalogfw.Superseded
	for _, s := range cat.SupersededRanges(v.Name) {
		if model == "" || s.AppliesTo(model) {
			sup = append(sup, s)
		}
	}
	if len(sup) == 0 {
		return
	}
	fmt.Fprintf(w, "\nreleases replaced by a later line (outdated on every model): %d\n", len(sup))
	for i, s := range sup {
		fmt.Fprintf(w, "  %s up to %s (not included): replaced by %s\n", s.Introduced, s.Successor, s.Line)
		if i == len(sup)-1 || sup[i+1].Source != s.Source || sup[i+1].Checked != s.Checked {
			fmt.Fprintf(w, "    source: %s (checked %s)\n", checkfw.PublicSource(s.Source), s.Checked)
		}
	}
}

func showFamily(w io.Writer, f *catalogfw.Family, models bool) {
	head := "  " + f.Name
	if f.Type != "" || f.Hardware != "" {
		head += " (" + strings.Trim(f.Type+", "+f.Hardware, ", ") + ")"
	}
	var facts []string
	if f.Latest != nil {
		facts = append(facts, fmt.Sprintf("latest %s (%s)", f.Latest.Version, f.Latest.Date))
	}
	if f.EndOfSale != "" {
		facts = append(facts, "end of sale "+f.EndOfSale)
	}
	if f.EndOfSupport != "" {
		facts = append(facts, "end of support "+f.EndOfSupport)
	}
	if f.Discontinued && f.EndOfSale == "" && f.EndOfSupport == "" {
		facts = append(facts, "discontinued (no dates published)")
	}
	if f.Replacement != "" {
		facts = append(facts, "replacement "+f.Replacement)
	}
	fmt.Fprintf(w, "%s: %s\n", head, strings.Join(facts, "; "))
	if models && len(f.Models) > 0 {
		fmt.Fprintf(w, "    models: %s\n", strings.Join(f.Models, ", "))
	}
	if models && f.ModelPattern != "" {
		fmt.Fprintf(w, "    model pattern: %s\n", f.ModelPattern)
	}
	fmt.Fprintf(w, "    source: %s (checked %s)\n", checkfw.PublicSource(f.Source), f.Checked)
}

func showVulnerability(w io.Writer, v *catalogfw.Vulnerability) {
	kev := ""
	if v.KEV {
		kev = " KEV (exploited, listed " + v.KEVAdded + ")"
	}
	cvss := "CVSS n/a"
	if v.CVSS > 0 {
		cvss = fmt.Sprintf("CVSS %.1f", v.CVSS)
	}
	fmt.Fprintf(w, "  %s%s %s: %s (%s)\n", v.CVE, kev, cvss, v.Title, v.Product)
	switch {
	case v.AllVersions:
		fmt.Fprintf(w, "    affected: every version (no fix)\n")
	case v.RangeText != "":
		fmt.Fprintf(w, "    affected: %s\n", v.RangeText)
	case len(v.Affected) == 0:
		fmt.Fprintf(w, "    affected: no version range published\n")
	}
	for _, r := range v.Affected {
		fmt.Fprintf(w, "    range: %s\n", rangeText(r))
	}
	if v.JVN != "" {
		fmt.Fprintf(w, "    JVN: %s\n", v.JVN)
	}
	if v.Advisory != "" {
		fmt.Fprintf(w, "    advisory: %s\n", v.Advisory)
	}
	fmt.Fprintf(w, "    source: %s (checked %s)\n", checkfw.PublicSource(v.Source), v.Checked)
}

func rangeText(r catalogfw.Range) string {
	var parts []string
	if r.Models != "" {
		parts = append(parts, "models "+r.Models)
	}
	for _, b := range [][2]string{{"from", r.Introduced}, {"through", r.LastAffected}, {"fixed in", r.Fixed}, {"builds before", r.BuildBefore}} {
		if b[1] != "" {
			parts = append(parts, b[0]+" "+b[1])
		}
	}
	return strings.Join(parts, ", ")
}

func runCatalogUpdate(ctx context.Context, args []string, stdio IO) (int, error) {
	fs := newFlagSet("catalog update", stdio.Err)
	dir := configDirFlag(fs)
	from := fs.String("from", "", "catalogue file, or an https:// URL")
	sha := fs.String("sha256", "", "expected SHA-256 of the catalogue (64 hex digits, published with it)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK, nil
		}
		return ExitUsage, err
	}
	switch {
	case len(pos) > 0:
		return ExitUsage, usagef("catalog update: unexpected argument %q", pos[0])
	case *from == "":
		return ExitUsage, usagef("catalog update: --from FILE|URL is required")
	case *sha == "":
		return ExitUsage, usagef("catalog update: --sha256 HEX is required: never install a catalogue unchecked")
	case *dir == "":
		return ExitUsage, usagef("catalog update: no configuration directory; give --config-dir")
	}
	data, err := fetchCatalogue(ctx, *from)
	if err != nil {
		return ExitError, err
	}
	cat, path, err := catalogfw.Install(*dir, data, *sha, time.Now())
	if err != nil {
		return ExitError, fmt.Errorf("catalog update from %s: %w", *from, err)
	}
	fmt.Fprintf(stdio.Out, "installed firmware catalogue dated %s (%d vendors, %d families, %d vulnerabilities) at %s\n",
		cat.Date, len(cat.Vendors), len(cat.Families), len(cat.Vulnerabilities), path)
	if _, err := checkfw.WriteFreshness(stdio.Out, cat, time.Now()); err != nil {
		return ExitError, err
	}
	return ExitOK, nil
}

// fetchCatalogue reads a catalogue file or downloads it over HTTP(S),
// at most catalogfw.MaxSize bytes.
func fetchCatalogue(ctx context.Context, from string) ([]byte, error) {
	var r io.Reader
	if strings.HasPrefix(from, "https://") || strings.HasPrefix(from, "http://") {
		ctx, cancel := context.WithTimeout(ctx, catalogFetchTimeout)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, from, nil)
		if err != nil {
			return nil, fmt.Errorf("fetch catalogue %s: %w", from, err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, fmt.Errorf("fetch catalogue: %w", err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("fetch catalogue %s: status %s", from, resp.Status)
		}
		r = resp.Body
	} else {
		f, err := os.Open(from)
		if err != nil {
			return nil, fmt.Errorf("read catalogue: %w", err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, catalogfw.MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read catalogue %s: %w", from, err)
	}
	if len(data) > catalogfw.MaxSize {
		return nil, fmt.Errorf("read catalogue %s: larger than %d bytes", from, catalogfw.MaxSize)
	}
	return data, nil
}
