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
		sum := sha256.Sum256(b)
		ext := path.Ext(p)
		fp := strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		a.files[fp] = b
		a.byName[p] = "/static/" + fp
		return nil
	})
	return a, err
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
