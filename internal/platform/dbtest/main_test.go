package dbtest_test

import (
	"os"
	"testing"

	"github.com/chocop/ocop/internal/platform/dbtest"
)

// TestMain drops the PostgreSQL templates the tests made once they are done.
func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }
