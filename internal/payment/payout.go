package payment

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/producer"
)

// Balance is what the platform owes one producer.
type Balance struct {
	ProducerID  int64  `json:"-"`
	Slug        string `json:"producer_slug"`
	LegalName   string `json:"legal_name"`
	BankBIN     string `json:"bank_bin"`
	BankAccount string `json:"bank_account"`
	BankHolder  string `json:"bank_holder"`
	Amount      int64  `json:"amount"`
}

// Balances lists producers the platform owes money, largest first. The
// sums are the ledger's; names and bank accounts are read from the
// producer area in one more query.
func (s *Service) Balances(ctx context.Context) ([]Balance, error) {
	var owed []struct {
		ProducerID int64
		Amount     int64
	}
	if err := s.db.WithContext(ctx).Model(&Entry{}).Select("producer_id, -SUM(amount) AS amount").
		Where("account = ? AND producer_id IS NOT NULL", AccountPayable).Group("producer_id").
		Having("-SUM(amount) > 0").Scan(&owed).Error; err != nil {
		return nil, err
	}
	ids := make([]int64, len(owed))
	for i, o := range owed {
		ids[i] = o.ProducerID
	}
	ps, err := producer.NewStore(s.db).ByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Balance, 0, len(owed))
	for _, o := range owed {
		p, ok := ps[o.ProducerID]
		if !ok {
			return nil, fmt.Errorf("ledger owes producer %d, which does not exist: %w", o.ProducerID, errs.ErrNotFound)
		}
		out = append(out, Balance{ProducerID: p.ID, Slug: p.Slug, LegalName: p.LegalName, BankBIN: p.BankBIN,
			BankAccount: p.BankAccount, BankHolder: p.BankHolder, Amount: o.Amount})
	}
	slices.SortStableFunc(out, func(a, b Balance) int {
		return cmp.Or(cmp.Compare(b.Amount, a.Amount), cmp.Compare(a.ProducerID, b.ProducerID))
	})
	return out, nil
}

// payoutLockSpace is the first key of the PostgreSQL advisory locks that
// serialise payouts, one lock per producer (the second key). Two-key locks
// never meet the one-key locks of auditchain and goose, and no other
// two-key lock of the application uses this number.
const payoutLockSpace int32 = 7001

// lockPayouts serialises payouts to producerID until tx ends: two admins
// paying one producer at once take turns, so the second sees the first's
// entries and cannot pay out the same balance twice. On PostgreSQL it is a
// transaction-scoped advisory lock the payment area owns (no other area's
// row is touched); on SQLite every writing transaction already begins
// IMMEDIATE, holding the database's one write lock, which serialises them.
func lockPayouts(ctx context.Context, tx *gorm.DB, producerID int64) error {
	if db.DialectOf(tx) != db.Postgres {
		return nil
	}
	// Producer ids fit in the lock's 32-bit key for the lifetime of this
	// schema (about 10,000 owners); a collision would only serialise two
	// producers' payouts, never break one.
	return tx.WithContext(ctx).Exec("SELECT pg_advisory_xact_lock(?, ?)", payoutLockSpace, int32(producerID)).Error
}

// RecordPayout records money sent to a producer's bank account: a payout
// row, two ledger entries (payable down, cash out) and an audit line. The
// amount may not exceed what the producer is owed; two admins paying at
// once are serialised per producer (lockPayouts).
func (s *Service) RecordPayout(ctx context.Context, adminID int64, producerSlug string, amount int64, reference string) (Payout, error) {
	var p Payout
	if amount <= 0 {
		return p, errs.Invalid("amount", "validation.min")
	}
	err := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		pr, err := producer.NewStore(tx).BySlug(ctx, producerSlug)
		if err != nil {
			return err
		}
		if err := lockPayouts(ctx, tx, pr.ID); err != nil {
			return err
		}
		if pr.BankBIN == "" || pr.BankAccount == "" {
			return &errs.Reasoned{Err: errs.ErrConflict, Reason: "payout.no_bank"}
		}
		var owed int64
		if err := tx.Model(&Entry{}).Select("COALESCE(-SUM(amount), 0)").Where("producer_id = ? AND account = ?", pr.ID, AccountPayable).Scan(&owed).Error; err != nil {
			return err
		}
		if amount > owed {
			return &errs.Reasoned{Err: errs.ErrConflict, Reason: "payout.exceeds_balance"}
		}
		now := time.Now().UTC()
		p = Payout{ProducerID: pr.ID, Amount: amount, BankBIN: pr.BankBIN, BankAccount: pr.BankAccount, BankHolder: pr.BankHolder,
			Reference: strings.TrimSpace(reference), CreatedBy: adminID, CreatedAt: now}
		if err := tx.Create(&p).Error; err != nil {
			return err
		}
		es := []Entry{
			{PayoutID: &p.ID, ProducerID: &pr.ID, Account: AccountPayable, Kind: KindPayout, Amount: amount, CreatedAt: now},
			{PayoutID: &p.ID, Account: AccountCash, Kind: KindPayout, Amount: -amount, CreatedAt: now},
		}
		if err := tx.Create(&es).Error; err != nil {
			return err
		}
		if err := s.emit(ctx, tx, payoutEvent(p)); err != nil {
			return err
		}
		return audit(ctx, tx, adminID, "payout.record", pr.Slug, fmt.Sprint(owed), fmt.Sprint(owed-amount))
	})
	return p, err
}

// PayoutsOf lists a producer's payouts, newest first.
func (s *Service) PayoutsOf(ctx context.Context, producerID int64) ([]Payout, error) {
	var out []Payout
	err := s.db.WithContext(ctx).Where("producer_id = ?", producerID).Order("id DESC").Limit(200).Find(&out).Error
	return out, err
}

// Issues lists payment issues, open ones first.
func (s *Service) Issues(ctx context.Context) ([]Issue, error) {
	var out []Issue
	err := s.db.WithContext(ctx).Order("CASE WHEN resolved_at IS NULL THEN 0 ELSE 1 END, id DESC").Limit(500).Find(&out).Error
	return out, err
}

// ResolveIssue closes an issue (the admin refunded or applied the money by hand), audited.
func (s *Service) ResolveIssue(ctx context.Context, adminID, id int64) error {
	return db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		now := time.Now().UTC()
		res := tx.Model(&Issue{}).Where("id = ? AND resolved_at IS NULL", id).Updates(map[string]any{"resolved_at": now, "resolved_by": adminID})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("open issue %d: %w", id, errs.ErrNotFound)
		}
		return audit(ctx, tx, adminID, "issue.resolve", fmt.Sprint(id), "open", "resolved")
	})
}
