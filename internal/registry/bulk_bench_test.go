package registry_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/seed/seedtest"
)

// BenchmarkBulkImport measures the dry run and the import of a 500-row
// file (about twice Lạng Sơn's 235 historic certificates), per file:
//
//	go test ./internal/registry -run XXX -bench BulkImport -benchtime 3x
func BenchmarkBulkImport(b *testing.B) {
	b.Run(dbtest.DialectSQLite, func(b *testing.B) { benchBulk(b, seedtest.Copy(b, dbtest.DialectSQLite)) })
	if dbtest.PostgresURL(b) != "" {
		b.Run(dbtest.DialectPostgres, func(b *testing.B) { benchBulk(b, seedtest.Copy(b, dbtest.DialectPostgres)) })
	}
}

func benchBulk(b *testing.B, g *gorm.DB) {
	ctx := context.Background()
	var officer account.User
	if err := g.Where("email = ?", "officer@example.com").Take(&officer).Error; err != nil {
		b.Fatal(err)
	}
	svc := registry.NewService(g, nil, nil)
	past := day.Today().AddDays(-200).String()
	file := func(run int) []byte {
		var sb strings.Builder
		sb.WriteString("producer_slug,product_name,group_code,authority_level,decision_no,decision_date,number,stars,score,criteria_version\n")
		for i := 0; i < 500; i++ {
			fmt.Fprintf(&sb, "hkd-tran-dieu-huong,Sản phẩm %d,I.3.d,province,BENCH-%d/QĐ-UBND,%s,BENCH/%d/%d,4,75,148\n", i, run, past, run, i)
		}
		return []byte(sb.String())
	}
	run := 0
	b.Run("dry-run-500", func(b *testing.B) {
		for b.Loop() {
			run++
			if _, err := svc.CheckBulkImport(ctx, &officer, "f.csv", file(run)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("import-500", func(b *testing.B) {
		for b.Loop() {
			run++
			bi, err := svc.CheckBulkImport(ctx, &officer, "f.csv", file(run))
			if err != nil || bi.ValidRows != 500 {
				b.Fatalf("%d valid: %v", bi.ValidRows, err)
			}
			if _, err := svc.StartBulkImport(ctx, &officer, bi.Code); err != nil { // no engine: runs here
				b.Fatal(err)
			}
		}
	})
}
