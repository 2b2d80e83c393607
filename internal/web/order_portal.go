package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/web/kit"
)

// fulfilRequest carries what an action needs: carrier and tracking code to
// ship, a reason to cancel.
type fulfilRequest struct {
	Carrier      string `json:"carrier" form:"carrier" validate:"max=80"`
	TrackingCode string `json:"tracking_code" form:"tracking_code" validate:"max=80"`
	Reason       string `json:"reason" form:"reason" validate:"max=500"`
}

// fulfil runs a producer's action on their own order (another producer's is a 404).
func (s *Server) fulfil(c echo.Context, req fulfilRequest) (order.Order, error) {
	ctx := c.Request().Context()
	u := kit.UserOf(c)
	p, err := s.producers.OfUser(ctx, u.ID)
	if err != nil {
		return order.Order{}, err
	}
	code, action := c.Param("code"), c.Param("action")
	var o order.Order
	switch action {
	case "cancel":
		o, err = s.paySvc.ProducerCancel(ctx, p.ID, u.ID, code, req.Reason)
	case order.ActionConfirm, order.ActionPack, order.ActionShip, order.ActionDeliver:
		o, err = s.orderSvc.Advance(ctx, p.ID, u.ID, code, action, order.Shipment{Carrier: req.Carrier, TrackingCode: req.TrackingCode})
	default:
		return o, errs.ErrNotFound
	}
	if err != nil {
		return o, err
	}
	return s.orderSvc.ProducerOrder(ctx, p.ID, o.Code)
}

func (s *Server) apiPortalOrders(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := s.producers.OfUser(ctx, kit.UserOf(c).ID)
	if err != nil {
		return err
	}
	os, err := s.orderSvc.OrdersOfProducer(ctx, p.ID, 200)
	if err != nil {
		return err
	}
	out := []orderJSON{}
	for _, o := range os {
		out = append(out, s.producerOrderView(ctx, o))
	}
	return c.JSON(http.StatusOK, map[string]any{"orders": out})
}

func (s *Server) apiPortalAct(c echo.Context) error {
	var req fulfilRequest
	if c.Request().ContentLength != 0 {
		if err := s.BindJSON(c, &req); err != nil {
			return err
		}
	}
	o, err := s.fulfil(c, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.producerOrderView(c.Request().Context(), o))
}

type ledgerJSON struct {
	payment.Statement
	Payouts []payment.Payout `json:"payouts"`
}

func (s *Server) producerLedger(c echo.Context) (ledgerJSON, error) {
	ctx := c.Request().Context()
	p, err := s.producers.OfUser(ctx, kit.UserOf(c).ID)
	if err != nil {
		return ledgerJSON{}, err
	}
	st, err := s.paySvc.StatementOf(ctx, p.ID)
	if err != nil {
		return ledgerJSON{}, err
	}
	pays, err := s.paySvc.PayoutsOf(ctx, p.ID)
	if pays == nil {
		pays = []payment.Payout{}
	}
	return ledgerJSON{Statement: st, Payouts: pays}, err
}

func (s *Server) apiPortalLedger(c echo.Context) error {
	l, err := s.producerLedger(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l)
}

type portalOrdersView struct {
	Orders []orderJSON
}

// portalOrders lists the producer's own orders with the next action each allows.
func (s *Server) portalOrders(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := s.producers.OfUser(ctx, kit.UserOf(c).ID)
	if err != nil {
		return err
	}
	os, err := s.orderSvc.OrdersOfProducer(ctx, p.ID, 200)
	if err != nil {
		return err
	}
	v := portalOrdersView{}
	for _, o := range os {
		v.Orders = append(v.Orders, s.producerOrderView(ctx, o))
	}
	return s.Render(c, http.StatusOK, "portal_orders", v)
}

// portalAct runs a fulfilment action from the portal page.
func (s *Server) portalAct(c echo.Context) error {
	var req fulfilRequest
	if err := s.BindForm(c, &req); err != nil {
		return err
	}
	if _, err := s.fulfil(c, req); err != nil {
		return err
	}
	s.Flash(c, "flash.saved")
	return c.Redirect(http.StatusSeeOther, "/portal/orders")
}

func (s *Server) portalLedger(c echo.Context) error {
	l, err := s.producerLedger(c)
	if err != nil {
		return err
	}
	return s.Render(c, http.StatusOK, "portal_ledger", l)
}
