package payment

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/payment/stripe"
	"github.com/chocop/ocop/internal/payment/vietqr"
	"github.com/chocop/ocop/internal/platform/auditchain"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/region"
)

// Collection is the platform's bank account that VietQR transfers go to.
type Collection struct {
	BIN, Account, Holder string
}

// Service moves and records money for order groups.
type Service struct {
	db         *gorm.DB
	orders     *order.Service
	stripe     *stripe.Client // nil when no Stripe key is configured
	collection Collection
	bankSecret []byte
	baseURL    string
	vietqrOff  bool // OCOP_VIETQR_DISABLED: card payments only
	jobs       Jobs // where provider calls are enqueued; nil: calls cannot be owed
	now        func() time.Time

	bankMu   sync.Mutex
	bankName string // the collection account's bank as messages name it, once read (collectionBank)
}

// Config is what the Service needs from the configuration.
type Config struct {
	Collection        Collection
	BankWebhookSecret string
	Stripe            *stripe.Client
	BaseURL           string
	VietQRDisabled    bool
	// Jobs enqueues the job that makes a provider call, in the transaction
	// of the change that owes it (the job engine, internal/platform/jobs).
	Jobs Jobs
}

// NewService returns a Service. Orders must have been built with
// CommissionBP as its commission.
func NewService(g *gorm.DB, orders *order.Service, cfg Config) *Service {
	return &Service{db: g, orders: orders, stripe: cfg.Stripe, collection: cfg.Collection,
		bankSecret: []byte(cfg.BankWebhookSecret), baseURL: cfg.BaseURL, vietqrOff: cfg.VietQRDisabled, jobs: cfg.Jobs, now: time.Now}
}

// DefaultCommissionBP is the commission before an admin sets one: 5%.
const DefaultCommissionBP = 500

const commissionKey = "commission_bp"

// CommissionSource reads the platform's commission rate in basis points
// inside a transaction. As a function it is called directly; its RateBP
// method makes it the order.Commission a checkout snapshots, so order
// depends on the contract it declares, not on this package.
type CommissionSource func(ctx context.Context, tx *gorm.DB) (int, error)

// RateBP implements order.Commission.
func (c CommissionSource) RateBP(ctx context.Context, tx *gorm.DB) (int, error) { return c(ctx, tx) }

// CommissionBP reads the commission rate in basis points inside tx: the
// rate an admin set, or DefaultCommissionBP. It never changes: a variable
// only so that it carries CommissionSource's method.
var CommissionBP CommissionSource = commissionBP

var _ order.Commission = CommissionBP

// CommissionRate returns the commission rate in basis points now, for the
// admin's settings.
func (s *Service) CommissionRate(ctx context.Context) (int, error) { return commissionBP(ctx, s.db) }

func commissionBP(ctx context.Context, tx *gorm.DB) (int, error) {
	var st Setting
	err := tx.WithContext(ctx).Where("key = ?", commissionKey).Limit(1).Find(&st).Error
	if err != nil || st.Key == "" {
		return DefaultCommissionBP, err
	}
	return strconv.Atoi(st.Value)
}

// SetCommission sets the rate (0–3000 bp, i.e. at most 30%) and audits it.
func (s *Service) SetCommission(ctx context.Context, actorID int64, bp int) error {
	if bp < 0 || bp > 3000 {
		return errs.Invalid("commission_bp", "validation.lte")
	}
	return db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		before, err := commissionBP(ctx, tx)
		if err != nil {
			return err
		}
		st := Setting{Key: commissionKey, Value: strconv.Itoa(bp), UpdatedBy: &actorID, UpdatedAt: s.now().UTC()}
		if err := tx.Save(&st).Error; err != nil {
			return err
		}
		return audit(ctx, tx, actorID, "commission.set", commissionKey, strconv.Itoa(before), st.Value)
	})
}

// audit appends to the chained payment audit log. tx is a transaction, and
// every caller audits as its last statement, so the chain's lock is never
// held while waiting for another row (see auditchain.Lock).
func audit(ctx context.Context, tx *gorm.DB, actor int64, action, subject, before, after string) error {
	return auditchain.Append(tx.WithContext(ctx), auditTable, &Audit{auditchain.NewEntry(actor, action, subject, before, after)})
}

// QR is what the order page shows to pay a group by VietQR.
type QR struct {
	Payload string `json:"payload"`
	BIN     string `json:"bank_bin"`
	Account string `json:"account"`
	Holder  string `json:"holder"`
	Amount  int64  `json:"amount"`
	Content string `json:"content"` // transfer content: carries the group code
}

// TransferContent is the content a transfer for the group must carry.
func TransferContent(code string) string { return "OCOP " + code }

// VietQR builds the dynamic VietQR of a group: its total to the collection
// account, whose bank must be a NAPAS member in the banks table.
func (s *Service) VietQR(ctx context.Context, g order.Group) (QR, error) {
	if _, err := region.NewStore(s.db).Bank(ctx, s.collection.BIN); errors.Is(err, errs.ErrNotFound) {
		return QR{}, fmt.Errorf("collection bank BIN %q is not a known NAPAS bank (OCOP_COLLECTION_BANK_BIN)", s.collection.BIN)
	} else if err != nil {
		return QR{}, err
	}
	content := vietqr.FoldPurpose(TransferContent(g.Code))
	payload, err := vietqr.Encode(vietqr.Payment{BIN: s.collection.BIN, Account: s.collection.Account, Amount: g.Total, Purpose: content})
	if err != nil {
		return QR{}, err
	}
	return QR{Payload: payload, BIN: s.collection.BIN, Account: s.collection.Account, Holder: s.collection.Holder, Amount: g.Total, Content: content}, nil
}

// CheckoutResult is a new group and, for card payments, where to send the shopper.
type CheckoutResult struct {
	Group       order.Group
	RedirectURL string
}

// Checkout places the order (one transaction in order.Checkout) and, for a
// card payment, opens a Stripe Checkout Session for it. A method that is
// not configured (no Stripe key, or VietQR turned off) is a 409.
func (s *Service) Checkout(ctx context.Context, userID int64, in order.CheckoutInput) (CheckoutResult, error) {
	if in.Method == order.MethodCard && s.stripe == nil {
		return CheckoutResult{}, &errs.Reasoned{Err: errs.ErrConflict, Reason: "checkout.card_unavailable"}
	}
	if in.Method == order.MethodVietQR && s.vietqrOff {
		return CheckoutResult{}, &errs.Reasoned{Err: errs.ErrConflict, Reason: "checkout.vietqr_unavailable"}
	}
	g, err := s.orders.Checkout(ctx, userID, in)
	if err != nil {
		return CheckoutResult{}, err
	}
	res := CheckoutResult{Group: g}
	if in.Method == order.MethodCard {
		sess, err := s.stripe.CreateSession(ctx, stripe.SessionInput{GroupCode: g.Code, Items: lineItems(g),
			SuccessURL: s.baseURL + "/orders/" + g.Code, CancelURL: s.baseURL + "/orders/" + g.Code, CreatedAt: g.CreatedAt, ExpiresAt: g.ExpiresAt})
		if err != nil {
			// The group stays pending and expires, releasing its stock.
			return res, err
		}
		if err := s.orders.SetStripeSession(ctx, g.ID, sess.ID); err != nil {
			return res, err
		}
		res.Group.StripeSessionID, res.RedirectURL = sess.ID, sess.URL
	}
	return res, nil
}

func lineItems(g order.Group) []stripe.LineItem {
	var out []stripe.LineItem
	for _, o := range g.Orders {
		for _, it := range o.Items {
			out = append(out, stripe.LineItem{Name: it.ProductName + " · " + it.VariantName, Amount: it.UnitPrice, Quantity: it.Quantity})
		}
		if o.Shipping > 0 {
			out = append(out, stripe.LineItem{Name: "Shipping " + o.Code, Amount: o.Shipping, Quantity: 1})
		}
	}
	return out
}

// Incoming is money a provider says arrived for a group.
type Incoming struct {
	Provider string
	Code     string // group code found in the transfer content or metadata
	Amount   int64
	Ref      string // provider's payment reference
}

// Outcomes of applying a payment.
const (
	OutcomePaid        = "paid"
	OutcomeAlreadyPaid = "already_paid"
	OutcomeIssue       = "issue"
	OutcomeIgnored     = "ignored"
)

// apply marks the group paid when code and amount match and the group is
// waiting for payment; anything else becomes an Issue for an admin and
// changes no order. Runs inside the caller's transaction.
func (s *Service) apply(ctx context.Context, tx *gorm.DB, in Incoming) (string, error) {
	issue := func(kind, detail string) (string, error) {
		return OutcomeIssue, s.newIssue(ctx, tx, in, kind, detail)
	}
	if in.Code == "" {
		return issue(IssueUnknownCode, "no order code in the payment")
	}
	g, err := order.GroupByCodeTx(ctx, tx, in.Code)
	if errors.Is(err, errs.ErrNotFound) {
		return issue(IssueUnknownCode, "no order group with this code")
	}
	if err != nil {
		return "", err
	}
	switch g.Status {
	case order.GroupPaid:
		if g.PaymentRef == in.Ref {
			return OutcomeAlreadyPaid, nil // the same payment told twice (Stripe sends two events)
		}
		return issue(IssueOverpaid, "a second payment for a group already paid")
	case order.GroupExpired, order.GroupCancelled:
		return issue(IssuePaidExpired, "payment for a group that is "+string(g.Status)+": refund it")
	}
	if in.Amount < g.Total {
		return issue(IssueUnderpaid, fmt.Sprintf("expected %d", g.Total))
	}
	if in.Amount > g.Total {
		return issue(IssueOverpaid, fmt.Sprintf("expected %d", g.Total))
	}
	ok, err := order.MarkPaidTx(ctx, tx, &g, in.Ref)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", fmt.Errorf("group %s changed while paying: %w", g.Code, errs.ErrConflict)
	}
	if err := postPayment(ctx, tx, g); err != nil {
		return "", err
	}
	return OutcomePaid, s.emit(ctx, tx, order.PaidEvents(g)...)
}

// newIssue records money an admin must look at, inside tx, and tells the admins.
func (s *Service) newIssue(ctx context.Context, tx *gorm.DB, in Incoming, kind, detail string) error {
	return s.addIssue(ctx, tx, &Issue{Provider: in.Provider, Kind: kind, GroupCode: in.Code, Amount: in.Amount,
		Reference: in.Ref, Detail: detail, CreatedAt: time.Now().UTC()})
}

// addIssue writes is inside tx and tells the admins, in the same transaction.
func (s *Service) addIssue(ctx context.Context, tx *gorm.DB, is *Issue) error {
	if err := tx.WithContext(ctx).Create(is).Error; err != nil {
		return err
	}
	return s.emit(ctx, tx, issueEvent(*is))
}

// record stores a provider event by id, then runs act in the same
// transaction. A duplicate id (a replay, or a concurrent delivery that
// committed first) is a 400 "already processed" and nothing runs.
func (s *Service) record(ctx context.Context, provider, eventID, kind string, act func(tx *gorm.DB) (string, error)) (string, error) {
	var outcome string
	err := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		ev := WebhookEvent{Provider: provider, EventID: eventID, Kind: kind, CreatedAt: time.Now().UTC()}
		if err := tx.Create(&ev).Error; err != nil {
			if db.IsDuplicate(err) {
				return ErrReplayed
			}
			return err
		}
		var err error
		if outcome, err = act(tx); err != nil {
			return err
		}
		return tx.Model(&ev).Update("outcome", outcome).Error
	})
	return outcome, err
}

// ErrReplayed answers an event already processed.
var ErrReplayed = &errs.Reasoned{Err: errs.Invalid("event", "webhook.replayed"), Reason: "webhook.replayed"}

// ConfirmManually lets an admin mark a VietQR group paid when the bank's
// notification is missing. It goes through the same checks as a
// notification, is recorded as an event (once per group) and audited.
func (s *Service) ConfirmManually(ctx context.Context, adminID int64, code string, amount int64, reference string) (string, error) {
	if amount <= 0 {
		return "", errs.Invalid("amount", "validation.min")
	}
	if reference == "" {
		return "", errs.Invalid("reference", "validation.required")
	}
	return s.record(ctx, "manual", code+"/"+reference, "manual.confirm", func(tx *gorm.DB) (string, error) {
		out, err := s.apply(ctx, tx, Incoming{Provider: "manual", Code: code, Amount: amount, Ref: "manual:" + reference})
		if err != nil {
			return "", err
		}
		return out, audit(ctx, tx, adminID, "payment.confirm_manual", code, "", fmt.Sprintf("amount=%d reference=%s outcome=%s", amount, reference, out))
	})
}

// CardSessionURL returns the Stripe Checkout URL of an unpaid card group.
func (s *Service) CardSessionURL(ctx context.Context, g order.Group) (string, error) {
	if g.Status != order.GroupPending || g.PaymentMethod != order.MethodCard || s.stripe == nil {
		return "", &errs.Reasoned{Err: errs.ErrConflict, Reason: "order.illegal_move"}
	}
	sess, err := s.stripe.CreateSession(ctx, stripe.SessionInput{GroupCode: g.Code, Items: lineItems(g),
		SuccessURL: s.baseURL + "/orders/" + g.Code, CancelURL: s.baseURL + "/orders/" + g.Code, CreatedAt: g.CreatedAt, ExpiresAt: g.ExpiresAt})
	return sess.URL, err
}
