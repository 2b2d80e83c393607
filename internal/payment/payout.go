package payment

import (
	"context"
	"fmt"
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

// Balances lists producers the platform owes money, largest first.
func (s *Service) Balances(ctx context.Context) ([]Balance, error) {
	var out []Balance
	err := s.db.WithContext(ctx).Raw(`SELECT p.id AS producer_id, p.slug, p.legal_name, p.bank_bin, p.bank_account, p.bank_holder,
		-SUM(e.amount) AS amount
		FROM ledger_entries e JOIN producers p ON p.id = e.producer_id
		WHERE e.account = ? GROUP BY p.id, p.slug, p.legal_name, p.bank_bin, p.bank_account, p.bank_holder
		HAVING -SUM(e.amount) > 0 ORDER BY amount DESC`, AccountPayable).Scan(&out).Error
	return out, err
}

// RecordPayout records money sent to a producer's bank account: a payout
// row, two ledger entries (payable down, cash out) and an audit line. The
// amount may not exceed what the producer is owed; two admins paying at
// once are serialised on the producer row.
func (s *Service) RecordPayout(ctx context.Context, adminID int64, producerSlug string, amount int64, reference string) (Payout, error) {
	var p Payout
	if amount <= 0 {
		return p, errs.Invalid("amount", "validation.min")
	}
	err := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		var pr producer.Producer
		if err := tx.Where("slug = ?", producerSlug).Take(&pr).Error; err != nil {
			if db.IsNotFound(err) {
				return fmt.Errorf("producer %q: %w", producerSlug, errs.ErrNotFound)
			}
			return err
		}
		// Lock the producer row for the rest of the transaction.
		if err := tx.Exec("UPDATE producers SET updated_at = updated_at WHERE id = ?", pr.ID).Error; err != nil {
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
