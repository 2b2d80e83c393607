package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/platform/auditchain"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/jobs"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/review"
	"github.com/chocop/ocop/internal/webhook"
)

// auditCmd is `ocop audit verify`: it walks the hash chain of every audit
// table and fails, naming the first broken row of each, when one does not
// hold. It only reads.
func auditCmd(ctx context.Context, load loader, args []string, stdout io.Writer) error {
	fs := newFlags("audit", "audit verify\n\n  verify  walk the hash chains of registry_audit and payment_audit; exit non-zero at a broken row", stdout)
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if fs.Arg(0) != "verify" || fs.NArg() != 1 {
		return errors.New("audit: expected the action verify")
	}
	cfg, _, err := load()
	if err != nil {
		return err
	}
	g, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close(g)
	return verifyAudit(ctx, g, stdout)
}

// verifyAudit checks each chain in turn and reports all of them before
// failing, so one broken table does not hide the state of the other.
func verifyAudit(ctx context.Context, g *gorm.DB, stdout io.Writer) error {
	var broken []error
	for _, verify := range []func(context.Context, *gorm.DB) (auditchain.Report, error){registry.VerifyAudit, payment.VerifyAudit, review.VerifyAudit, jobs.VerifyAudit, webhook.VerifyAudit} {
		rep, err := verify(ctx, g)
		if err != nil {
			return err
		}
		if rep.Broken != nil {
			fmt.Fprintf(stdout, "%s: BROKEN at row %d: %s (%d rows read)\n", rep.Table, rep.Broken.ID, rep.Broken.Reason, rep.Rows)
			broken = append(broken, rep.Broken)
			continue
		}
		fmt.Fprintf(stdout, "%s: intact, %d rows (%d written before the chain), head %s\n", rep.Table, rep.Rows, rep.Unchained, orNone(rep.Head))
	}
	if len(broken) > 0 {
		return fmt.Errorf("audit: chain broken: %w", errors.Join(broken...))
	}
	return nil
}

func orNone(h string) string {
	if h == "" {
		return "(none)"
	}
	return h
}
