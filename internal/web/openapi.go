package web

import (
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"sort"

	"github.com/chocop/ocop/internal/web/kit"
	"github.com/labstack/echo/v4"
	"go.yaml.in/yaml/v3"
)

// The OpenAPI document is written in parts, one file per area
// (openapi/auth.yaml, openapi/catalog.yaml...), and merged at start into the
// one document served at /api/v1/openapi.yaml. 00-base.yaml holds info,
// servers, security schemes and shared schemas.
//
//go:embed openapi/*.yaml
var openapiFS embed.FS

// OpenAPI returns the merged OpenAPI document as YAML. A path or component
// defined in two parts is an error.
func OpenAPI() ([]byte, error) {
	names, err := fs.Glob(openapiFS, "openapi/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	doc := map[string]any{}
	for _, n := range names {
		raw, err := openapiFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		var part map[string]any
		if err := yaml.Unmarshal(raw, &part); err != nil {
			return nil, fmt.Errorf("openapi: %s: %w", n, err)
		}
		if err := mergeInto(doc, part, n, 0); err != nil {
			return nil, err
		}
	}
	return yaml.Marshal(doc)
}

// mergeInto merges src into dst: maps merge key by key down to the level of
// a path or a component (depth 2); deeper collisions and scalar collisions are errors.
func mergeInto(dst, src map[string]any, file string, depth int) error {
	for k, v := range src {
		old, exists := dst[k]
		if !exists {
			dst[k] = v
			continue
		}
		om, ok1 := old.(map[string]any)
		nm, ok2 := v.(map[string]any)
		if ok1 && ok2 && depth < 2 && k != "info" {
			if err := mergeInto(om, nm, file, depth+1); err != nil {
				return err
			}
			continue
		}
		if ol, ok := old.([]any); ok && k == "tags" {
			if nl, ok := v.([]any); ok {
				dst[k] = append(ol, nl...)
				continue
			}
		}
		return fmt.Errorf("openapi: %s: %q is defined twice", file, k)
	}
	return nil
}

func (s *Server) openapi(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=300")
	return kit.Blob(c, http.StatusOK, "application/yaml", s.apiDoc)
}
