// Package blob stores uploaded files (product photos, dossier documents) by
// key. Local disk is the default; an S3-compatible store can be configured
// for several instances behind a load balancer.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/chocop/ocop/internal/platform/errs"
)

// Store keeps blobs by key. Keys are slash-separated, made by the
// application (never by users), e.g. "photos/ab/abcd1234-card.webp".
type Store interface {
	// Put writes r under key, replacing what was there.
	Put(ctx context.Context, key, contentType string, r io.Reader) error
	// Open reads key; a missing key is errs.ErrNotFound.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes key; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
}

// Disk stores blobs as files under a root directory.
type Disk struct{ root string }

// NewDisk returns a Disk store rooted at dir, creating it if needed.
func NewDisk(dir string) (*Disk, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	return &Disk{root: dir}, nil
}

// path maps a key to a file, refusing keys that would escape the root.
func (d *Disk) path(key string) (string, error) {
	if key == "" || strings.Contains(key, "..") || strings.HasPrefix(key, "/") || strings.ContainsRune(key, '\\') {
		return "", fmt.Errorf("blob: bad key %q", key) // security: no path traversal
	}
	return filepath.Join(d.root, filepath.FromSlash(key)), nil
}

// Put writes to a temporary file and renames it, so a reader never sees half a file.
func (d *Disk) Put(ctx context.Context, key, contentType string, r io.Reader) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), p)
}

// Open opens key for reading.
func (d *Disk) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("blob %q: %w", key, errs.ErrNotFound)
	}
	return f, err
}

// Delete removes key.
func (d *Disk) Delete(ctx context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
