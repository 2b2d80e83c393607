package jobs_test

import (
	"os"
	"testing"

	"github.com/chocop/ocop/internal/platform/dbtest"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }
