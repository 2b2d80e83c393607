package orderweb

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/web/kit"
)

// fulfilRequest carries what an action needs: carrier and tracking code to
// ship, a reason to cancel.
type fulfilRequest struct {
	// Carrier is a listed carrier's code (order.Carriers) or, from the
	// API, any carrier's name; the page sends "other" with CarrierOther.
	Carrier      string `json:"carrier" form:"carrier" validate:"max=80"`
	CarrierOther string `json:"-" form:"carrier_other" validate:"max=80"`
	TrackingCode string `json:"tracking_code" form:"tracking_code" validate:"max=80"`
	Reason       string `json:"reason" form:"reason" validate:"max=500"`
}

// fulfil runs a producer's action on their own order (another producer's
// is a 404) and returns the producer and the order as it now is.
func (h *Handlers) fulfil(c echo.Context, req fulfilRequest) (producer.Producer, order.Order, error) {
	ctx := c.Request().Context()
	u := kit.UserOf(c)
	p, err := h.Producers.OfUser(ctx, u.ID)
	if err != nil {
		return p, order.Order{}, err
	}
	code, action := c.Param("code"), c.Param("action")
	if req.Carrier == order.CarrierOther {
		req.Carrier = req.CarrierOther
	}
	var o order.Order
	switch action {
	case "cancel":
		o, err = h.Payments.ProducerCancel(ctx, p.ID, u.ID, code, req.Reason)
	case order.ActionConfirm, order.ActionPack, order.ActionShip, order.ActionDeliver:
		o, err = h.Orders.Advance(ctx, p.ID, u.ID, code, action, order.Shipment{Carrier: req.Carrier, TrackingCode: req.TrackingCode})
	default:
		return p, o, errs.ErrNotFound
	}
	if err != nil {
		return p, o, err
	}
	o, err = h.Orders.ProducerOrder(ctx, p.ID, o.Code)
	return p, o, err
}

// ownOrders are the signed-in producer's latest 200 orders as they see them.
func (h *Handlers) ownOrders(c echo.Context) ([]orderJSON, error) {
	ctx := c.Request().Context()
	p, err := h.Producers.OfUser(ctx, kit.UserOf(c).ID)
	if err != nil {
		return nil, err
	}
	os, err := h.Orders.OrdersOfProducer(ctx, p.ID, 200)
	if err != nil {
		return nil, err
	}
	return h.producerOrders(ctx, p, os)
}

// APIPortalOrders lists the producer's own orders with where each ships to.
func (h *Handlers) APIPortalOrders(c echo.Context) error {
	out, err := h.ownOrders(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"orders": out})
}

// APIPortalAct runs a fulfilment action (confirm, pack, ship, deliver, cancel) on the producer's own order.
func (h *Handlers) APIPortalAct(c echo.Context) error {
	var req fulfilRequest
	if c.Request().ContentLength != 0 {
		if err := h.BindJSON(c, &req); err != nil {
			return err
		}
	}
	p, o, err := h.fulfil(c, req)
	if err != nil {
		return err
	}
	out, err := h.producerOrders(c.Request().Context(), p, []order.Order{o})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out[0])
}

type ledgerJSON struct {
	payment.Statement
	Payouts []payment.Payout `json:"payouts"`
}

func (h *Handlers) producerLedger(c echo.Context) (ledgerJSON, error) {
	ctx := c.Request().Context()
	p, err := h.Producers.OfUser(ctx, kit.UserOf(c).ID)
	if err != nil {
		return ledgerJSON{}, err
	}
	st, err := h.Payments.StatementOf(ctx, p.ID)
	if err != nil {
		return ledgerJSON{}, err
	}
	pays, err := h.Payments.PayoutsOf(ctx, p.ID)
	if pays == nil {
		pays = []payment.Payout{}
	}
	return ledgerJSON{Statement: st, Payouts: pays}, err
}

// APIPortalLedger is the producer's statement and payouts.
func (h *Handlers) APIPortalLedger(c echo.Context) error {
	l, err := h.producerLedger(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l)
}

type portalOrdersView struct {
	Orders   []orderJSON
	Carriers []order.Carrier // the ship form's choices
}

// PortalOrders lists the producer's own orders with the next action each allows.
func (h *Handlers) PortalOrders(c echo.Context) error {
	orders, err := h.ownOrders(c)
	if err != nil {
		return err
	}
	v := portalOrdersView{Orders: orders, Carriers: order.Carriers}
	return h.Render(c, http.StatusOK, "portal_orders", v)
}

// PortalAct runs a fulfilment action from the portal page.
func (h *Handlers) PortalAct(c echo.Context) error {
	var req fulfilRequest
	if err := h.BindForm(c, &req); err != nil {
		return err
	}
	if _, _, err := h.fulfil(c, req); err != nil {
		return err
	}
	h.Flash(c, "flash.saved")
	return c.Redirect(http.StatusSeeOther, "/portal/orders")
}

// PortalLedger is the page of APIPortalLedger.
func (h *Handlers) PortalLedger(c echo.Context) error {
	l, err := h.producerLedger(c)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "portal_ledger", l)
}
