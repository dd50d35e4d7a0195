package check

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// maxEvidenceFile caps one evidence file (a snapshot or a stream
// description): device input is hostile.
const maxEvidenceFile = 8 << 20

// Evidence writes the files a check derives from what a device sent
// (stream descriptions, snapshots) without trusting the folder they go
// to: on first use it makes a fresh subfolder of Dir (mode 0700, random
// name), and creates each file there with O_EXCL and O_NOFOLLOW, mode
// 0600, so that a symbolic link or file planted under a predictable name
// is never followed or overwritten. It is safe for concurrent use.
type Evidence struct {
	dir string

	once sync.Once
	sub  string
	err  error
}

// NewEvidence returns the evidence writer of one scan under dir, or nil
// when dir is "" (evidence is not saved).
func NewEvidence(dir string) *Evidence {
	if dir == "" {
		return nil
	}
	return &Evidence{dir: dir}
}

// ErrEvidenceName is returned for a file name that is not one plain name.
var ErrEvidenceName = errors.New("evidence file name must be a plain file name")

// Save writes data as name (a plain file name, no separator) and returns
// its path (Dir joined with the subfolder and name).
func (e *Evidence) Save(name string, data []byte) (string, error) {
	if name == "" || name != filepath.Base(name) || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return "", fmt.Errorf("save evidence %q: %w", name, ErrEvidenceName)
	}
	if len(data) > maxEvidenceFile {
		return "", fmt.Errorf("save evidence %s: %d bytes, at most %d kept", name, len(data), maxEvidenceFile)
	}
	e.once.Do(func() {
		if err := os.MkdirAll(e.dir, 0o750); err != nil {
			e.err = err
			return
		}
		e.sub, e.err = os.MkdirTemp(e.dir, "evidence-"+time.Now().Format("20060102-150405")+"-")
	})
	if e.err != nil {
		return "", fmt.Errorf("save evidence: %w", e.err)
	}
	path := filepath.Join(e.sub, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|noFollow, 0o600)
	if err != nil {
		return "", fmt.Errorf("save evidence: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return "", fmt.Errorf("save evidence: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("save evidence: %w", err)
	}
	return path, nil
}
