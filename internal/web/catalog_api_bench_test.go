package web_test

import (
	"context"
	"io"
	"net/http/httptest"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/web/webtest"
	"github.com/chocop/ocop/seed"
)

// benchScaleDB is a migrated database with the demo data and a generated
// catalogue of OCOP_BENCH_SCALE products (20,000 by default, as in
// scripts/speed.sh): PostgreSQL when OCOP_TEST_POSTGRES_URL is set, else SQLite.
func benchScaleDB(b *testing.B) *gorm.DB {
	b.Helper()
	n := 20_000
	if v, err := strconv.Atoi(os.Getenv("OCOP_BENCH_SCALE")); err == nil && v > 0 {
		n = v
	}
	g := dbtest.SQLite(b)
	if os.Getenv("OCOP_TEST_POSTGRES_URL") != "" {
		g = dbtest.Postgres(b)
	}
	if err := seed.Reference(context.Background(), g); err != nil {
		b.Fatal(err)
	}
	if err := seed.Scale(context.Background(), g, n, io.Discard); err != nil {
		b.Fatal(err)
	}
	g.Exec("ANALYZE")
	return g
}

// processCPU is the CPU time this process has used, user and system.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCatalogAPIUncached is what a list or a search costs when it
// misses the read cache: every iteration asks a query string never asked
// before (an ignored parameter), so it runs the queries, builds the cards
// and encodes the JSON, through the whole middleware stack. ns/op is the
// server's side of a request (wall time, one at a time); allocs/op and
// B/op show the garbage each request leaves. Profile with
//
//	go test ./internal/web -run X -bench CatalogAPIUncached -benchmem -cpuprofile cpu.out
func BenchmarkCatalogAPIUncached(b *testing.B) {
	app := webtest.New(b, benchScaleDB(b))
	h := app.Server.Handler()
	for _, bc := range []struct{ name, query string }{
		{"list", "/api/v1/products?"},
		{"search", "/api/v1/products?q=vit+quay&"},
		{"page search", "/products?q=vit+quay&"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			cpu0 := processCPU(b)
			for b.Loop() {
				i++
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", bc.query+"nocache="+strconv.Itoa(i), nil))
				if rec.Code != 200 {
					b.Fatal(rec.Code, rec.Body.String())
				}
			}
			// The process's CPU (user + system, every goroutine: the
			// garbage collector's too, PostgreSQL's not) per request: the
			// figure the goal is set in, as scripts/speed.sh
			// reads it from /proc under wrk.
			b.ReportMetric(float64(processCPU(b)-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}

// BenchmarkProductPageCached is the cached product page against /healthz,
// as scripts/speed.sh loads them (a visitor without cookies), without and
// with Accept-Encoding: gzip (as every browser sends it): the
// issue's goal is the page at 0.6 of /healthz's throughput, so what a page
// costs beyond /healthz is what to look at.
//
//	go test ./internal/web -run X -bench ProductPageCached -cpuprofile cpu.out
func BenchmarkProductPageCached(b *testing.B) {
	app := webtest.New(b, benchScaleDB(b))
	h := app.Server.Handler()
	for _, bc := range []struct{ path, encoding string }{
		{"/healthz", ""}, {"/products/vit-quay-000001", ""}, {"/healthz", "gzip"}, {"/products/vit-quay-000001", "gzip"},
	} {
		path := bc.path
		b.Run(path+"/"+bc.encoding, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := processCPU(b)
			for b.Loop() {
				rec := httptest.NewRecorder()
				req := httptest.NewRequest("GET", path, nil)
				if bc.encoding != "" {
					req.Header.Set("Accept-Encoding", bc.encoding)
				}
				h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code, rec.Body.String())
				}
			}
			b.ReportMetric(float64(processCPU(b)-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}
