package web_test

import (
	"os"
	"testing"

	"github.com/chocop/ocop/internal/web/webtest"
)

// TestMain drops the PostgreSQL template database webtest.Each made once the
// tests are done.
func TestMain(m *testing.M) { os.Exit(webtest.Main(m)) }
