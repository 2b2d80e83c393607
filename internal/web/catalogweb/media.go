package catalogweb

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/web/kit"
)

// Media serves stored photos. Keys are random, so a photo never changes
// under its URL and can be cached for a year.
func (h *Handlers) Media(c echo.Context) error {
	key := c.Param("*")
	if !strings.HasPrefix(key, "photos/") || strings.Contains(key, "..") ||
		!(strings.HasSuffix(key, "-card.jpg") || strings.HasSuffix(key, "-page.jpg")) {
		return echo.ErrNotFound
	}
	r, err := h.Photos.Open(c.Request().Context(), key)
	if errors.Is(err, errs.ErrNotFound) {
		if img, ok := catalog.DemoPhoto(key); ok {
			c.Response().Header().Set("Cache-Control", "public, max-age=86400")
			return kit.Blob(c, http.StatusOK, "image/jpeg", img)
		}
	}
	if err != nil {
		return err
	}
	defer r.Close()
	c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	return c.Stream(http.StatusOK, "image/jpeg", r)
}
