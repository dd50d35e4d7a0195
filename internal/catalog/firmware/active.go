package firmware

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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

// LoadActive returns the catalogue to use and where it came from: the one
// installed in dir (its path) when it is newer than the embedded one,
// otherwise the embedded one (Embedded). A missing file is normal; an
// installed file that cannot be read or is invalid yields the embedded
// catalogue together with an error, so that a caller can warn and go on.
func LoadActive(dir string) (*Catalog, string, error) {
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
	if err != nil {
		return def, Embedded, fmt.Errorf("open installed firmware catalogue: %w", err)
	}
	defer f.Close()
	inst, err := Load(f)
	if err != nil {
		return def, Embedded, fmt.Errorf("%s: %w", path, err)
	}
	if inst.Date <= def.Date { // YYYY-MM-DD, validated: text order is date order
		return def, Embedded, nil
	}
	return inst, path, nil
}

// ErrOlder reports a catalogue older than the one camwarden already uses.
var ErrOlder = errors.New("firmware catalogue is older than the active one")

// Install checks data's SHA-256 against wantHex, loads and validates it,
// refuses it when it is older than the active catalogue of dir, and
// writes it to dir/ActiveFile atomically. It returns the installed
// catalogue and its path.
func Install(dir string, data []byte, wantHex string) (*Catalog, string, error) {
	if err := Verify(data, wantHex); err != nil {
		return nil, "", err
	}
	cat, err := Load(bytes.NewReader(data))
	if err != nil {
		return nil, "", err
	}
	if dir == "" {
		return nil, "", errors.New("install firmware catalogue: no configuration directory")
	}
	// An installed file that is invalid is replaced: only its date matters.
	active, origin, err := LoadActive(dir)
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
