package payment

import (
	"context"
	"errors"
	"strconv"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/notify"
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/money"
	"github.com/chocop/ocop/internal/region"
)

// emit tells people of evs inside tx, through the orders' notifier.
func (s *Service) emit(ctx context.Context, tx *gorm.DB, evs ...notify.Event) error {
	if s.orders == nil { // a service built for payouts alone (tools, tests): nobody to tell through
		return nil
	}
	return order.Emit(ctx, tx, s.orders.Notifier(), evs...)
}

// TransferDetails are the VietQR transfer instructions of a new group as
// message fields: the bank, account and holder of the collection account
// and the content the transfer must carry (order.PayDetails).
func (s *Service) TransferDetails(ctx context.Context, tx *gorm.DB, g order.Group) ([]notify.Field, error) {
	bank, err := s.collectionBank(ctx, tx)
	if err != nil {
		return nil, err
	}
	return []notify.Field{notify.F("bank", bank), notify.F("account", s.collection.Account),
		notify.F("holder", s.collection.Holder), notify.F("content", TransferContent(g.Code))}, nil
}

// collectionBank names the collection account's bank, "VCB (Ngân hàng TMCP
// Ngoại thương Việt Nam)", or its BIN when the reference data does not
// know it. It is read once, not in every checkout's transaction: the
// account is configuration and the banks are reference data.
func (s *Service) collectionBank(ctx context.Context, tx *gorm.DB) (string, error) {
	s.bankMu.Lock()
	defer s.bankMu.Unlock()
	if s.bankName != "" {
		return s.bankName, nil
	}
	b, err := region.NewStore(tx).Bank(ctx, s.collection.BIN)
	if errors.Is(err, errs.ErrNotFound) {
		return s.collection.BIN, nil // not kept: the banks may be seeded later
	}
	if err != nil {
		return "", err
	}
	s.bankName = b.ShortName + " (" + b.Name + ")"
	return s.bankName, nil
}

// issueEvent tells the admins of money to look at. Each issue row is made
// once (its webhook event is recorded once), so its id keys the event.
func issueEvent(is Issue) notify.Event {
	kind := notify.PaymentIssue
	if is.Kind == IssueRefundDue || is.Kind == IssueRefundFailed {
		kind = notify.RefundDue
	}
	fs := []notify.Field{notify.F("issue", is.Kind), notify.F("amount", money.VND(is.Amount))}
	if is.GroupCode != "" {
		fs = append(fs, notify.F("group", is.GroupCode))
	}
	if is.Reference != "" {
		fs = append(fs, notify.F("code", is.Reference))
	}
	return notify.Event{Kind: kind, Key: "payment.issue:" + strconv.FormatInt(is.ID, 10), To: notify.Audience{Admins: true},
		Fields: fs, Link: "/admin/payments"}
}

// payoutEvent tells the producer's members of a payout.
func payoutEvent(p Payout) notify.Event {
	return notify.Event{Kind: notify.PayoutRecorded, Key: "payout.recorded:" + strconv.FormatInt(p.ID, 10),
		To:     notify.Audience{Producer: p.ProducerID},
		Fields: []notify.Field{notify.F("amount", money.VND(p.Amount)), notify.F("reference", p.Reference)}, Link: "/portal/ledger"}
}
