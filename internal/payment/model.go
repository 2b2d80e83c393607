// Package payment takes the money for order groups and accounts for every
// đồng: provider-neutral marking of payments (VietQR bank notifications,
// Stripe webhooks, an admin's audited manual confirmation), refunds, the
// append-only double-entry ledger, the commission setting and payouts.
package payment

import (
	"time"

	"github.com/chocop/ocop/internal/platform/auditchain"
)

// Ledger accounts. Debits are positive, credits negative.
const (
	AccountCash       = "cash"       // the platform's collection account (bank and Stripe balance)
	AccountCommission = "commission" // the platform's revenue
	AccountPayable    = "payable"    // what the platform owes a producer
)

// Ledger entry kinds.
const (
	KindPayment    = "payment"    // buyer's money in
	KindSale       = "sale"       // producer's share owed
	KindCommission = "commission" // platform's share
	KindRefund     = "refund"     // reversal of the three above
	KindPayout     = "payout"     // money sent to a producer's bank
)

// Entry is one line of the ledger. Rows are never updated or deleted (a
// database trigger refuses it); corrections are new reversing entries.
type Entry struct {
	ID         int64 `gorm:"primaryKey"`
	GroupID    *int64
	OrderID    *int64
	PayoutID   *int64
	ProducerID *int64
	Account    string `gorm:"not null"`
	Kind       string `gorm:"not null"`
	Amount     int64  `gorm:"not null"`
	CreatedAt  time.Time
}

// TableName is ledger_entries.
func (Entry) TableName() string { return "ledger_entries" }

// WebhookEvent is a provider event recorded by its id before it acts.
type WebhookEvent struct {
	ID        int64  `gorm:"primaryKey"`
	Provider  string `gorm:"not null"`
	EventID   string `gorm:"not null"`
	Kind      string `gorm:"not null"`
	Outcome   string
	CreatedAt time.Time
}

// Issue kinds: money that arrived but could not be applied, or must go back.
const (
	IssueUnderpaid    = "underpaid"
	IssueOverpaid     = "overpaid"
	IssueUnknownCode  = "unknown_code"
	IssuePaidExpired  = "paid_expired"
	IssueRefundDue    = "refund_due"    // a VietQR refund an admin must transfer back
	IssueRefundFailed = "refund_failed" // the provider refused a refund
	// IssueForeignAccount is a bank notification of a transfer to an
	// account other than the collection account: it pays nothing.
	IssueForeignAccount = "foreign_account"
)

// Issue is a payment an admin must look at.
type Issue struct {
	ID         int64      `gorm:"primaryKey" json:"id"`
	Provider   string     `gorm:"not null" json:"provider"`
	Kind       string     `gorm:"not null" json:"kind"`
	GroupCode  string     `json:"group_code"`
	Amount     int64      `json:"amount"`
	Reference  string     `json:"reference"`
	Detail     string     `json:"detail"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	ResolvedBy *int64     `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
}

// TableName is payment_issues.
func (Issue) TableName() string { return "payment_issues" }

// Audit records what an admin did to money by hand.
type Audit struct{ auditchain.Entry }

// TableName is payment_audit.
func (Audit) TableName() string { return "payment_audit" }

// Payout is money sent to a producer's bank account, recorded by an admin.
type Payout struct {
	ID          int64     `gorm:"primaryKey" json:"id"`
	ProducerID  int64     `gorm:"not null" json:"-"`
	Amount      int64     `gorm:"not null" json:"amount"`
	BankBIN     string    `gorm:"column:bank_bin;not null" json:"bank_bin"`
	BankAccount string    `gorm:"not null" json:"bank_account"`
	BankHolder  string    `gorm:"not null" json:"bank_holder"`
	Reference   string    `json:"reference"`
	CreatedBy   int64     `gorm:"not null" json:"-"`
	CreatedAt   time.Time `json:"created_at"`
}

// Setting is one platform setting (the commission rate).
type Setting struct {
	Key       string `gorm:"primaryKey"`
	Value     string `gorm:"not null"`
	UpdatedBy *int64
	UpdatedAt time.Time
}

// TableName is platform_settings.
func (Setting) TableName() string { return "platform_settings" }
