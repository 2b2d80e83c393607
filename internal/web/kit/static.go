package kit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

// Assets serves static files under URLs that carry a hash of their content
// (/static/css/app.3f9a1c2b.css), so they can be cached for a year and a new
// release still reaches every browser at once.
type Assets struct {
	files  map[string][]byte // fingerprinted path → content
	byName map[string]string // "css/app.css" → "/static/css/app.3f9a1c2b.css"
}

// LoadAssets reads every file of fsys and names it by a hash of its content.
func LoadAssets(fsys fs.FS) (*Assets, error) {
	a := &Assets{files: map[string][]byte{}, byName: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, "LICENSE") {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		a.add(p, b)
		return nil
	})
	return a, err
}

// add serves b as name, under a URL carrying a hash of b.
func (a *Assets) add(name string, b []byte) {
	sum := sha256.Sum256(b)
	ext := path.Ext(name)
	fp := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
	a.files[fp] = b
	a.byName[name] = "/static/" + fp
}

// Bundle adds one more asset, name, that is the files parts joined in
// that order, built once here: the layout links one stylesheet instead of
// seven, which saves every page the other links' bytes and a browser six
// requests. The parts stay served on their own too. A part that does not
// exist, or a name already taken, is an error at start.
func (a *Assets) Bundle(name string, parts ...string) error {
	if _, ok := a.byName[name]; ok {
		return fmt.Errorf("bundle %q: a file has that name", name)
	}
	var b []byte
	for _, p := range parts {
		u, ok := a.byName[p]
		if !ok {
			return fmt.Errorf("bundle %q: asset %q does not exist", name, p)
		}
		b = append(b, a.files[strings.TrimPrefix(u, "/static/")]...)
	}
	a.add(name, b)
	return nil
}

// URL returns the fingerprinted URL of name; an unknown name is a template
// error at render time, which the template tests catch.
func (a *Assets) URL(name string) (string, error) {
	u, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("asset %q does not exist", name)
	}
	return u, nil
}

// Serve answers /static/* with the file under its fingerprinted name,
// cached for a year: its URL changes when its content does.
func (a *Assets) Serve(c echo.Context) error {
	b, ok := a.files[c.Param("*")]
	if !ok {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	ct := mime.TypeByExtension(path.Ext(c.Param("*")))
	if ct == "" {
		ct = http.DetectContentType(b)
	}
	return Blob(c, http.StatusOK, ct, b)
}
