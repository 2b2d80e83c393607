package stats_test

import (
	"os"
	"testing"

	"github.com/chocop/ocop/internal/platform/dbtest"
)

// TestMain drops the PostgreSQL template database that seedtest made once
// the tests are done.
func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }
