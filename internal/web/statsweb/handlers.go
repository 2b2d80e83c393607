// Package statsweb serves the OCOP statistics: the public page (/thong-ke
// in Vietnamese, /stats in English) with a chart and a data table per
// figure, the CSV download of every table, the open-data JSON under
// /api/v1/stats, and the officers' dashboard (/registry/dashboard).
package statsweb

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/stats"
	"github.com/chocop/ocop/internal/web/kit"
)

// Handlers are the statistics handlers.
type Handlers struct {
	*kit.Kit
	Stats    *stats.Service
	Registry *registry.Service // the officers' dashboard
	// Cache keeps each filter's figures for a few seconds per instance (nil:
	// none), so a burst of readers (the IOC polling, a page shared in a
	// group chat) costs one set of queries. The figures move with decisions
	// and orders, never within seconds in a way anyone could act on.
	Cache *kit.ReadCache
}

// cacheFor is how long a client or proxy may keep a statistics answer:
// the figures move with certificates and orders, a few minutes is fresh.
const cacheFor = "public, max-age=300"

// serveCacheable answers body with an ETag (a hash of the bytes), or 304
// when the client already holds it (If-None-Match).
func serveCacheable(c echo.Context, contentType string, body []byte) error {
	sum := sha256.Sum256(body)
	tag := `"` + hex.EncodeToString(sum[:16]) + `"`
	h := c.Response().Header()
	h.Set("ETag", tag)
	h.Set("Cache-Control", cacheFor)
	if matches(c.Request().Header.Get("If-None-Match"), tag) {
		return c.NoContent(http.StatusNotModified)
	}
	return kit.Blob(c, http.StatusOK, contentType, body)
}

// matches reports whether an If-None-Match header names tag (weak or strong, or *).
func matches(header, tag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == tag || t == "*" {
			return true
		}
	}
	return false
}
