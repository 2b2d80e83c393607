package review_test

import (
	"os"
	"testing"

	"github.com/chocop/ocop/internal/platform/dbtest"
)

// TestMain drops the PostgreSQL databases the tests made.
func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }
