package payment

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/order"
)

// postPayment writes the entries of a paid group: cash in for the total,
// and for each order the producer's payable and the platform's commission.
// The group's entries sum to zero because the total is the orders' sum.
func postPayment(ctx context.Context, tx *gorm.DB, g order.Group) error {
	now := time.Now().UTC()
	es := []Entry{{GroupID: &g.ID, Account: AccountCash, Kind: KindPayment, Amount: g.Total, CreatedAt: now}}
	for _, o := range g.Orders {
		es = append(es,
			Entry{GroupID: &g.ID, OrderID: &o.ID, ProducerID: &o.ProducerID, Account: AccountPayable, Kind: KindSale, Amount: -o.Payable(), CreatedAt: now},
			Entry{GroupID: &g.ID, OrderID: &o.ID, ProducerID: &o.ProducerID, Account: AccountCommission, Kind: KindCommission, Amount: -o.Commission, CreatedAt: now})
	}
	return tx.WithContext(ctx).Create(&es).Error
}

// postRefund reverses one order's payment entries: the producer's payable
// and the commission go back, and the cash goes out to the buyer.
func postRefund(ctx context.Context, tx *gorm.DB, o order.Order) error {
	now := time.Now().UTC()
	es := []Entry{
		{GroupID: &o.GroupID, OrderID: &o.ID, ProducerID: &o.ProducerID, Account: AccountPayable, Kind: KindRefund, Amount: o.Payable(), CreatedAt: now},
		{GroupID: &o.GroupID, OrderID: &o.ID, ProducerID: &o.ProducerID, Account: AccountCommission, Kind: KindRefund, Amount: o.Commission, CreatedAt: now},
		{GroupID: &o.GroupID, OrderID: &o.ID, Account: AccountCash, Kind: KindRefund, Amount: -o.Total, CreatedAt: now},
	}
	return tx.WithContext(ctx).Create(&es).Error
}

// Statement is a producer's view of the ledger.
type Statement struct {
	Sales      int64   `json:"sales"`         // order totals paid (goods and shipping)
	Commission int64   `json:"commission"`    // platform's share of those sales
	Refunds    int64   `json:"refunds"`       // payables reversed by refunds
	Payouts    int64   `json:"payouts_total"` // money sent to the producer
	Balance    int64   `json:"balance"`       // still owed to the producer
	Entries    []Entry `json:"-"`
}

// StatementOf sums a producer's ledger: payable credits are sales less
// commission, debits are refunds and payouts.
func (s *Service) StatementOf(ctx context.Context, producerID int64) (Statement, error) {
	var rows []struct {
		Account string
		Kind    string
		Sum     int64
	}
	err := s.db.WithContext(ctx).Model(&Entry{}).Select("account, kind, SUM(amount) AS sum").
		Where("producer_id = ?", producerID).Group("account, kind").Scan(&rows).Error
	if err != nil {
		return Statement{}, err
	}
	var st Statement
	for _, r := range rows {
		switch {
		case r.Account == AccountPayable && r.Kind == KindSale:
			st.Sales += -r.Sum
		case r.Account == AccountCommission && r.Kind == KindCommission:
			st.Commission += -r.Sum
			st.Sales += -r.Sum
		case r.Account == AccountPayable && r.Kind == KindRefund:
			st.Refunds += r.Sum
		case r.Account == AccountPayable && r.Kind == KindPayout:
			st.Payouts += r.Sum
		}
		if r.Account == AccountPayable {
			st.Balance += -r.Sum
		}
	}
	err = s.db.WithContext(ctx).Where("producer_id = ?", producerID).Order("id DESC").Limit(200).Find(&st.Entries).Error
	return st, err
}
