package web_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/web"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestOpenAPIDocument proves the merged parts form one valid OpenAPI 3
// document, that every /api/v1 route Echo serves is documented, and that the
// document promises no /api/v1 route that does not exist.
func TestOpenAPIDocument(t *testing.T) {
	raw, err := web.OpenAPI()
	if err != nil {
		t.Fatalf("merge: %v", err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the merged document is not valid OpenAPI 3: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q, want 3.x", doc.OpenAPI)
	}

	app := webtest.New(t, dbtest.SQLite(t))
	param := regexp.MustCompile(`:([A-Za-z0-9_]+)`)
	served := map[string]bool{}
	for _, r := range app.Server.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") || r.Method == "echo_route_not_found" {
			continue
		}
		p := param.ReplaceAllString(r.Path, "{$1}")
		served[r.Method+" "+p] = true
		item := doc.Paths.Value(p)
		if item == nil || item.GetOperation(r.Method) == nil {
			t.Errorf("%s %s is served but not in the OpenAPI document", r.Method, p)
		}
	}
	for p, item := range doc.Paths.Map() {
		if !strings.HasPrefix(p, "/api/v1/") {
			continue
		}
		for method := range item.Operations() {
			if !served[method+" "+p] {
				t.Errorf("%s %s is in the OpenAPI document but not served", method, p)
			}
		}
	}
	if len(served) < 5 {
		t.Fatalf("only %d API routes found; the route walk is broken", len(served))
	}
}
