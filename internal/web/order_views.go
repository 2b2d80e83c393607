package web

import (
	"context"
	"time"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/payment"
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

func (s *Server) orderView(ctx context.Context, o order.Order, withCommission bool) orderJSON {
	v := orderJSON{Code: o.Code, Status: string(o.Status), ItemsTotal: o.ItemsTotal, Shipping: o.Shipping, Total: o.Total,
		IsService: o.IsService, VoucherCode: o.VoucherCode, Carrier: o.Carrier, TrackingCode: o.TrackingCode, CancelReason: o.CancelReason,
		Items: []itemJSON{}, Timeline: []eventJSON{}}
	if p, err := s.producers.ByID(ctx, o.ProducerID); err == nil {
		v.ProducerSlug, v.ProducerName = p.Slug, p.LegalName
	}
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

// producerOrderView is an order as its producer sees it: with the
// commission and the address to ship to (with commune and province names).
func (s *Server) producerOrderView(ctx context.Context, o order.Order) orderJSON {
	v := s.orderView(ctx, o, true)
	var g order.Group
	if err := s.db.WithContext(ctx).Take(&g, o.GroupID).Error; err == nil {
		a := addressJSON{RecipientName: g.RecipientName, Phone: g.Phone, ProvinceCode: g.ProvinceCode, CommuneCode: g.CommuneCode, Street: g.Street, Note: g.Note}
		if cm, err := s.regions.Commune(ctx, g.CommuneCode); err == nil {
			a.Street += ", " + cm.FullName
		}
		if pr, err := s.regions.Province(ctx, g.ProvinceCode); err == nil {
			a.Street += ", " + pr.FullName
		}
		v.ShipTo = &a
	}
	return v
}

func (s *Server) groupView(ctx context.Context, g order.Group) groupJSON {
	v := groupJSON{Code: g.Code, Status: string(g.Status), PaymentMethod: g.PaymentMethod, ItemsTotal: g.ItemsTotal,
		ShippingTotal: g.ShippingTotal, Total: g.Total, ExpiresAt: g.ExpiresAt, PaidAt: g.PaidAt, CreatedAt: g.CreatedAt,
		Address: addressJSON{RecipientName: g.RecipientName, Phone: g.Phone, ProvinceCode: g.ProvinceCode, CommuneCode: g.CommuneCode, Street: g.Street, Note: g.Note},
		Orders:  []orderJSON{}}
	for _, o := range g.Orders {
		v.Orders = append(v.Orders, s.orderView(ctx, o, false))
	}
	if g.Status == order.GroupPending && g.PaymentMethod == order.MethodVietQR {
		if qr, err := s.paySvc.VietQR(ctx, g); err == nil {
			v.VietQR = &qr
		}
	}
	return v
}
