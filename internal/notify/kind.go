package notify

import "github.com/chocop/ocop/internal/account"

// Kind is what a message is about. A person chooses per kind whether it
// also comes by e-mail; the in-site inbox always gets it. Kinds are stable
// strings: they are stored, signed into unsubscribe links and used as
// message keys (notify.<kind>.subject).
type Kind string

// The kinds, grouped by who receives them.
const (
	// Shoppers.
	OrderPlaced    Kind = "order.placed"    // with the VietQR details to pay
	OrderPaid      Kind = "order.paid"      // the payment arrived
	OrderShipped   Kind = "order.shipped"   // carrier and tracking
	OrderDelivered Kind = "order.delivered" // delivered, or a voucher used
	OrderCancelled Kind = "order.cancelled" // cancelled or expired unpaid
	OrderRefunded  Kind = "order.refunded"  // money on its way back

	// Producers.
	SaleNew             Kind = "sale.new"             // a paid order to fulfil, at once
	SaleUnconfirmed     Kind = "sale.unconfirmed"     // daily digest of orders still unconfirmed
	SaleCancelled       Kind = "sale.cancelled"       // the shopper cancelled
	PayoutRecorded      Kind = "payout.recorded"      // money sent to the producer's account
	ApplicationChanged  Kind = "application.changed"  // an officer's remark or a status change
	CertificateExpiring Kind = "certificate.expiring" // 180, 90, 30 days before and on the day

	// Officers.
	ApplicationSubmitted Kind = "application.submitted" // in the officer's province
	ApplicationForwarded Kind = "application.forwarded" // to the central council
	ExpiryDigest         Kind = "certificate.digest"    // weekly: certificates expiring in the province

	// Admins.
	PaymentIssue Kind = "payment.issue"      // underpaid, overpaid, unknown transfer
	RefundDue    Kind = "payment.refund_due" // a buyer is owed money back
	JobFailed    Kind = "job.failed"         // a background job gave up
)

// kindRoles lists every kind with the roles that receive it, in the order
// the preferences page shows them.
var kindRoles = []struct {
	Kind  Kind
	Roles []account.Role
}{
	{OrderPlaced, everyone}, {OrderPaid, everyone}, {OrderShipped, everyone},
	{OrderDelivered, everyone}, {OrderCancelled, everyone}, {OrderRefunded, everyone},
	{SaleNew, producers}, {SaleUnconfirmed, producers}, {SaleCancelled, producers}, {PayoutRecorded, producers},
	{ApplicationChanged, producers}, {CertificateExpiring, producers},
	{ApplicationSubmitted, officers}, {ApplicationForwarded, officers}, {ExpiryDigest, officers},
	{PaymentIssue, admins}, {RefundDue, admins}, {JobFailed, admins},
}

// Anyone may buy, so every role gets the shopper's kinds.
var (
	everyone  = []account.Role{account.RoleShopper, account.RoleProducer, account.RoleOfficer, account.RoleAdmin}
	producers = []account.Role{account.RoleProducer}
	officers  = []account.Role{account.RoleOfficer}
	admins    = []account.Role{account.RoleAdmin}
)

// Valid reports whether k is one of the kinds.
func (k Kind) Valid() bool {
	for _, kr := range kindRoles {
		if kr.Kind == k {
			return true
		}
	}
	return false
}

// KindsFor lists the kinds a person with role receives, in display order.
func KindsFor(role account.Role) []Kind {
	var out []Kind
	for _, kr := range kindRoles {
		for _, r := range kr.Roles {
			if r == role {
				out = append(out, kr.Kind)
				break
			}
		}
	}
	return out
}
