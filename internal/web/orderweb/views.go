package orderweb

import (
	"context"
	"time"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/web/kit"
)

// groupJSON is the API view of an order group (one checkout).
type groupJSON struct {
	Code          string      `json:"code"`
	Status        string      `json:"status"`
	PaymentMethod string      `json:"payment_method"`
	ItemsTotal    int64       `json:"items_total"`
	ShippingTotal int64       `json:"shipping_total"`
	Total         int64       `json:"total"`
	ExpiresAt     time.Time   `json:"expires_at"`
	PaidAt        *time.Time  `json:"paid_at,omitempty"`
	CreatedAt     time.Time   `json:"created_at"`
	Address       addressJSON `json:"address"`
	Orders        []orderJSON `json:"orders"`
	VietQR        *payment.QR `json:"vietqr,omitempty"`
	CheckoutURL   string      `json:"checkout_url,omitempty"`
	CanCancel     bool        `json:"can_cancel"` // the shopper may cancel now (order.Group.CanCancel)
}

type addressJSON struct {
	RecipientName string `json:"recipient_name"`
	Phone         string `json:"phone"`
	ProvinceCode  string `json:"province_code"`
	CommuneCode   string `json:"commune_code"`
	Street        string `json:"street"`
	Note          string `json:"note"`
}

// orderJSON is one producer's order.
type orderJSON struct {
	Code         string       `json:"code"`
	GroupCode    string       `json:"group_code,omitempty"`
	Status       string       `json:"status"`
	ProducerSlug string       `json:"producer_slug"`
	ProducerName string       `json:"producer_name"`
	ItemsTotal   int64        `json:"items_total"`
	Shipping     int64        `json:"shipping"`
	Total        int64        `json:"total"`
	Commission   *int64       `json:"commission,omitempty"` // producers and admins only
	IsService    bool         `json:"is_service"`
	VoucherCode  string       `json:"voucher_code,omitempty"`
	Carrier      string       `json:"carrier,omitempty"`
	TrackingCode string       `json:"tracking_code,omitempty"`
	CarrierName  string       `json:"carrier_name,omitempty"` // a listed carrier's name, or the free text
	TrackingURL  string       `json:"tracking_url,omitempty"` // the carrier's own tracking page (listed carriers only)
	CancelReason string       `json:"cancel_reason,omitempty"`
	Items        []itemJSON   `json:"items"`
	Timeline     []eventJSON  `json:"timeline"`
	ShipTo       *addressJSON `json:"ship_to,omitempty"` // the producer's view: where to send it
}

type itemJSON struct {
	VariantID   int64  `json:"variant_id"`
	ProductName string `json:"product_name"`
	VariantName string `json:"variant_name"`
	SKU         string `json:"sku"`
	UnitPrice   int64  `json:"unit_price"`
	Quantity    int64  `json:"quantity"`
}

type eventJSON struct {
	From string    `json:"from"`
	To   string    `json:"to"`
	Note string    `json:"note,omitempty"`
	At   time.Time `json:"at"`
	AtVN string    `json:"-"` // for pages: Vietnam time
}

// orderView is o in JSON, sold by p; the commission only for its producer and admins.
func orderView(o order.Order, p producer.Producer, withCommission bool) orderJSON {
	v := orderJSON{Code: o.Code, Status: string(o.Status), ProducerSlug: p.Slug, ProducerName: p.LegalName, ItemsTotal: o.ItemsTotal,
		Shipping: o.Shipping, Total: o.Total, IsService: o.IsService, VoucherCode: o.VoucherCode, Carrier: o.Carrier,
		TrackingCode: o.TrackingCode, CancelReason: o.CancelReason, Items: []itemJSON{}, Timeline: []eventJSON{},
		CarrierName: order.CarrierName(o.Carrier), TrackingURL: order.TrackingURL(o.Carrier, o.TrackingCode)}
	if withCommission {
		c := o.Commission
		v.Commission = &c
	}
	for _, it := range o.Items {
		v.Items = append(v.Items, itemJSON{VariantID: it.VariantID, ProductName: it.ProductName, VariantName: it.VariantName, SKU: it.SKU, UnitPrice: it.UnitPrice, Quantity: it.Quantity})
	}
	for _, e := range o.Events {
		v.Timeline = append(v.Timeline, eventJSON{From: string(e.FromStatus), To: string(e.ToStatus), Note: e.Note, At: e.CreatedAt, AtVN: kit.VNTime(e.CreatedAt)})
	}
	return v
}

func addressOf(a order.Address) addressJSON {
	return addressJSON{RecipientName: a.RecipientName, Phone: a.Phone, ProvinceCode: a.ProvinceCode, CommuneCode: a.CommuneCode,
		Street: a.Street, Note: a.Note}
}

// producerOrders are orders as their producer p sees them: with the
// commission and the address each ships to, with commune and province
// names. Addresses and unit names are read for all orders at once, so the
// queries do not grow with the orders (a list shows up to 200); a database
// error is returned, never an order shown without where it goes.
func (h *Handlers) producerOrders(ctx context.Context, p producer.Producer, os []order.Order) ([]orderJSON, error) {
	shipTo, err := h.Orders.ShipTo(ctx, os)
	if err != nil {
		return nil, err
	}
	codes := make([]string, 0, len(shipTo))
	for _, a := range shipTo {
		codes = append(codes, a.CommuneCode)
	}
	communes, err := h.Regions.CommunesByCode(ctx, codes)
	if err != nil {
		return nil, err
	}
	provinces, err := h.Regions.ProvincesByCode(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]orderJSON, 0, len(os))
	for _, o := range os {
		v := orderView(o, p, true)
		a := addressOf(shipTo[o.GroupID])
		if cm, ok := communes[a.CommuneCode]; ok {
			a.Street += ", " + cm.FullName
		}
		if pr, ok := provinces[a.ProvinceCode]; ok {
			a.Street += ", " + pr.FullName
		}
		v.ShipTo = &a
		out = append(out, v)
	}
	return out, nil
}

// groupViews are groups in JSON, each order with its producer's name. The
// producers of every order are read in one query; a producer that no
// longer exists leaves its name blank, a database error is returned.
func (h *Handlers) groupViews(ctx context.Context, gs ...order.Group) ([]groupJSON, error) {
	var ids []int64
	for _, g := range gs {
		for _, o := range g.Orders {
			ids = append(ids, o.ProducerID)
		}
	}
	sellers, err := h.Producers.ByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]groupJSON, 0, len(gs))
	for _, g := range gs {
		v := groupJSON{Code: g.Code, Status: string(g.Status), PaymentMethod: g.PaymentMethod, ItemsTotal: g.ItemsTotal,
			ShippingTotal: g.ShippingTotal, Total: g.Total, ExpiresAt: g.ExpiresAt, PaidAt: g.PaidAt, CreatedAt: g.CreatedAt,
			Address: addressOf(g.Address()), Orders: []orderJSON{}, CanCancel: g.CanCancel()}
		for _, o := range g.Orders {
			v.Orders = append(v.Orders, orderView(o, sellers[o.ProducerID], false))
		}
		if g.Status == order.GroupPending && g.PaymentMethod == order.MethodVietQR {
			if qr, err := h.Payments.VietQR(ctx, g); err == nil { // else the order shows without a QR; the QR image route reports the error
				v.VietQR = &qr
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// groupView is groupViews of one group.
func (h *Handlers) groupView(ctx context.Context, g order.Group) (groupJSON, error) {
	vs, err := h.groupViews(ctx, g)
	if err != nil {
		return groupJSON{}, err
	}
	return vs[0], nil
}
