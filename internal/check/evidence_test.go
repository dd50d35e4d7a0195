package check

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestEvidenceSave(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, filepath.Join(dir, "cam-554-rtsp.sdp")); err != nil {
		t.Fatal(err)
	}
	e := NewEvidence(dir)
	p, err := e.Save("cam-554-rtsp.sdp", []byte("v=0\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(filepath.Dir(p)) != dir {
		t.Errorf("saved at %s, want a subfolder of %s", p, dir)
	}
	if fi, err := os.Lstat(p); err != nil || fi.Mode() != 0o600 {
		t.Errorf("%s: mode %v (%v), want a regular 0600 file", p, fi.Mode(), err)
	}
	if fi, err := os.Stat(filepath.Dir(p)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("subfolder mode %v (%v), want 0700", fi.Mode().Perm(), err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Errorf("victim changed: %q", b)
	}
	// A name already taken in the subfolder (planted, or a duplicate) is
	// never overwritten: O_EXCL.
	if err := os.Symlink(victim, filepath.Join(filepath.Dir(p), "planted.jpg")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"cam-554-rtsp.sdp", "planted.jpg"} {
		if _, err := e.Save(name, []byte("x")); !errors.Is(err, os.ErrExist) {
			t.Errorf("Save(%q) over an existing name: %v, want ErrExist", name, err)
		}
	}
	for _, name := range []string{"", ".", "..", "../x.sdp", "a/b.sdp", `a\b.jpg`} {
		if _, err := e.Save(name, []byte("x")); !errors.Is(err, ErrEvidenceName) {
			t.Errorf("Save(%q): %v, want ErrEvidenceName", name, err)
		}
	}
	if NewEvidence("") != nil {
		t.Error("NewEvidence(\"\") should save nothing")
	}
	if p, err := (&Env{}).SaveEvidence("a.sdp", []byte("x")); p != "" || err != nil {
		t.Errorf("no evidence folder: %q, %v", p, err)
	}
}
