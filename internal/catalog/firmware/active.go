package firmware

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// ActiveFile is the file name of an installed catalogue in the
// configuration directory.
const ActiveFile = "firmware.json"

// Embedded names the origin of the catalogue compiled into camwarden.
const Embedded = "embedded"

// ConfigDir returns the directory `camwarden catalog update` installs
// catalogues into: $XDG_CONFIG_HOME/camwarden, or the platform's user
// configuration directory.
func ConfigDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find configuration directory: %w", err)
	}
	return filepath.Join(base, "camwarden"), nil
}

// MaxAhead is how far past the local clock a catalogue's date may lie:
// a day covers time zones (a catalogue built "tomorrow" in Japan) but not
// a date typed wrong or forged to outrank every later update.
const MaxAhead = 24 * time.Hour

// ErrFutureDate reports a catalogue dated more than MaxAhead after the
// local clock.
var ErrFutureDate = errors.New("firmware catalogue is dated in the future")

// ErrOlder reports a catalogue older than the one camwarden already uses.
var ErrOlder = errors.New("firmware catalogue is older than the active one")

// CheckDate returns an error wrapping ErrFutureDate when the catalogue's
// date (the start of that day, UTC) is more than MaxAhead after now.
func (c *Catalog) CheckDate(now time.Time) error {
	d, err := time.Parse(time.DateOnly, c.Date)
	if err != nil {
		return fmt.Errorf("firmware catalogue date %q is not YYYY-MM-DD", c.Date)
	}
	if d.Sub(now) > MaxAhead {
		return fmt.Errorf("%w: dated %s, more than a day after this computer's clock (%s); check the catalogue's origin, or the clock",
			ErrFutureDate, c.Date, now.UTC().Format(time.DateOnly))
	}
	return nil
}

// LoadActive returns the catalogue to use at time now and where it came
// from: the one installed in dir (its path) when it is newer than the
// embedded one, otherwise the embedded one (Embedded). A missing file is
// normal. An installed file that cannot be read, is invalid, is dated more
// than a day after now (ErrFutureDate) or is not newer than the embedded
// catalogue (ErrOlder, after camwarden itself was updated) yields the
// embedded catalogue together with an error that says so, so that a
// caller can tell the user which catalogue is active and go on. The
// embedded catalogue is never judged against the clock: a wrong clock
// must not leave camwarden without a catalogue.
func LoadActive(dir string, now time.Time) (*Catalog, string, error) {
	def, err := Default()
	if err != nil {
		return nil, "", err
	}
	if dir == "" {
		return def, Embedded, nil
	}
	path := filepath.Join(dir, ActiveFile)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return def, Embedded, nil
	}
	using := fmt.Sprintf("using the embedded catalogue dated %s", def.Date)
	if err != nil {
		return def, Embedded, fmt.Errorf("open installed firmware catalogue: %w; %s", err, using)
	}
	defer f.Close()
	inst, err := Load(f)
	if err == nil {
		err = inst.CheckDate(now)
	}
	if err != nil {
		return def, Embedded, fmt.Errorf("%s: %w; %s", path, err, using)
	}
	switch {
	case inst.Date < def.Date: // YYYY-MM-DD, validated: text order is date order
		return def, Embedded, fmt.Errorf("%s dated %s: %w; %s", path, inst.Date, ErrOlder, using)
	case inst.Date == def.Date:
		return def, Embedded, nil // the same release: the embedded copy wins a tie
	}
	return inst, path, nil
}

// Install checks data's SHA-256 against wantHex, loads and validates it,
// refuses it when it is dated more than a day after now (ErrFutureDate)
// or older than the catalogue active in dir at now (ErrOlder), and writes
// it to dir/ActiveFile atomically. An installed file that LoadActive sets
// aside (invalid, future-dated, older than the embedded catalogue) does
// not count: it is replaced. It returns the installed catalogue and its
// path.
func Install(dir string, data []byte, wantHex string, now time.Time) (*Catalog, string, error) {
	if err := Verify(data, wantHex); err != nil {
		return nil, "", err
	}
	cat, err := Load(bytes.NewReader(data))
	if err != nil {
		return nil, "", err
	}
	if err := cat.CheckDate(now); err != nil {
		return nil, "", fmt.Errorf("install firmware catalogue: %w", err)
	}
	if dir == "" {
		return nil, "", errors.New("install firmware catalogue: no configuration directory")
	}
	active, origin, err := LoadActive(dir, now)
	if active == nil {
		return nil, "", err
	}
	if cat.Date < active.Date {
		return nil, "", fmt.Errorf("install firmware catalogue dated %s: %w (%s, dated %s)", cat.Date, ErrOlder, origin, active.Date)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, "", fmt.Errorf("install firmware catalogue: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ActiveFile+".*.tmp")
	if err != nil {
		return nil, "", fmt.Errorf("install firmware catalogue: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return nil, "", fmt.Errorf("install firmware catalogue: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, "", fmt.Errorf("install firmware catalogue: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return nil, "", fmt.Errorf("install firmware catalogue: %w", err)
	}
	path := filepath.Join(dir, ActiveFile)
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nil, "", fmt.Errorf("install firmware catalogue: %w", err)
	}
	return cat, path, nil
}
