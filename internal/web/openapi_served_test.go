package web_test

import (
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/web/webtest"
)

// TestOpenAPIServed proves the document is served at /api/v1/openapi.yaml.
func TestOpenAPIServed(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/openapi.yaml"})
		if res.StatusCode != 200 || !strings.Contains(string(res.Body), "/api/v1/auth/token") {
			t.Fatalf("openapi.yaml: %d %.200s", res.StatusCode, res.Body)
		}
	})
}
