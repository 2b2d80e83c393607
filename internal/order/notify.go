package order

import (
	"context"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/notify"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/money"
)

// PayDetails gives the payment instructions of a new group as message
// fields (the payment area's VietQR transfer details); nil for none.
type PayDetails func(ctx context.Context, tx *gorm.DB, g Group) ([]notify.Field, error)

// SetNotifier makes the service tell people about orders, inside each
// change's transaction. Without it nobody is told (a service built for a
// tool or a test).
func (s *Service) SetNotifier(n notify.Emitter, pay PayDetails) { s.notify, s.pay = n, pay }

// Notifier returns the notifier set by SetNotifier (nil when none), so the
// payment area tells people through the same one.
func (s *Service) Notifier() notify.Emitter { return s.notify }

// emit tells people of ev inside tx; without a notifier it does nothing.
func (s *Service) emit(ctx context.Context, tx *gorm.DB, evs ...notify.Event) error {
	return Emit(ctx, tx, s.notify, evs...)
}

// Emit tells people of evs inside tx through n (nil: nobody).
func Emit(ctx context.Context, tx *gorm.DB, n notify.Emitter, evs ...notify.Event) error {
	if n == nil {
		return nil
	}
	for _, ev := range evs {
		if err := n.Emit(ctx, tx, ev); err != nil {
			return err
		}
	}
	return nil
}

// groupLink is the shopper's page of a group.
func groupLink(g Group) string { return "/orders/" + g.Code }

// PlacedEvent tells the shopper a group was placed, with how to pay it.
func PlacedEvent(g Group, pay []notify.Field) notify.Event {
	fs := []notify.Field{notify.F("code", g.Code), notify.F("total", money.VND(g.Total))}
	if g.PaymentMethod == MethodVietQR {
		fs = append(fs, pay...)
		fs = append(fs, notify.F("expires_at", g.ExpiresAt.In(day.Zone).Format("15:04 02/01/2006")))
	}
	return notify.Event{Kind: notify.OrderPlaced, Key: "order.placed:" + g.Code, To: notify.Audience{Users: []int64{g.UserID}},
		Fields: fs, Link: groupLink(g)}
}

// PaidEvents tells the shopper the group is paid and each producer, at
// once, of its new order to fulfil.
func PaidEvents(g Group) []notify.Event {
	evs := []notify.Event{{Kind: notify.OrderPaid, Key: "order.paid:" + g.Code, To: notify.Audience{Users: []int64{g.UserID}},
		Fields: []notify.Field{notify.F("code", g.Code), notify.F("total", money.VND(g.Total))}, Link: groupLink(g)}}
	for _, o := range g.Orders {
		evs = append(evs, notify.Event{Kind: notify.SaleNew, Key: "sale.new:" + o.Code, To: notify.Audience{Producer: o.ProducerID},
			Fields: []notify.Field{notify.F("code", o.Code), notify.F("total", money.VND(o.Total))}, Link: "/portal/orders#" + o.Code})
	}
	return evs
}

// CancelledEvent tells the shopper an unpaid group was cancelled or expired.
func CancelledEvent(g Group) notify.Event {
	return notify.Event{Kind: notify.OrderCancelled, Key: "order.cancelled:" + g.Code, To: notify.Audience{Users: []int64{g.UserID}},
		Fields: []notify.Field{notify.F("code", g.Code)}, Link: groupLink(g)}
}

// RefundedEvents tells the shopper a paid order is refunded and, when the
// shopper cancelled it, its producer.
func RefundedEvents(g Group, o Order, byShopper bool) []notify.Event {
	fs := []notify.Field{notify.F("code", o.Code), notify.F("amount", money.VND(o.Total))}
	if !byShopper && o.CancelReason != "" {
		fs = append(fs, notify.F("reason", o.CancelReason))
	}
	evs := []notify.Event{{Kind: notify.OrderRefunded, Key: "order.refunded:" + o.Code, To: notify.Audience{Users: []int64{g.UserID}},
		Fields: fs, Link: groupLink(g)}}
	if byShopper {
		evs = append(evs, notify.Event{Kind: notify.SaleCancelled, Key: "sale.cancelled:" + o.Code, To: notify.Audience{Producer: o.ProducerID},
			Fields: []notify.Field{notify.F("code", o.Code), notify.F("amount", money.VND(o.Total))}, Link: "/portal/orders#" + o.Code})
	}
	return evs
}

// movedEvent tells the shopper an order shipped or was delivered.
func movedEvent(g Group, o Order) (notify.Event, bool) {
	switch o.Status {
	case StatusShipped:
		fs := []notify.Field{notify.F("code", o.Code), notify.F("carrier", o.Carrier), notify.F("tracking", o.TrackingCode)}
		if u := TrackingURL(o.Carrier, o.TrackingCode); u != "" {
			fs = append(fs, notify.F("tracking_url", u))
		}
		return notify.Event{Kind: notify.OrderShipped, Key: "order.shipped:" + o.Code, To: notify.Audience{Users: []int64{g.UserID}},
			Fields: fs, Link: groupLink(g)}, true
	case StatusDelivered:
		return notify.Event{Kind: notify.OrderDelivered, Key: "order.delivered:" + o.Code, To: notify.Audience{Users: []int64{g.UserID}},
			Fields: []notify.Field{notify.F("code", o.Code)}, Link: groupLink(g)}, true
	}
	return notify.Event{}, false
}
