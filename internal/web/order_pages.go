package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/qr"
	"github.com/chocop/ocop/internal/web/kit"
)

type orderPageView struct {
	Group    order.Group
	View     groupJSON
	BankName string
	Pending  bool
	Expires  string // Vietnam time
}

// orderPage shows one of the shopper's groups: per-producer orders and
// timelines, and while unpaid the VietQR (or a button back to Stripe).
func (s *Server) orderPage(c echo.Context) error {
	ctx := c.Request().Context()
	g, err := s.orderSvc.GroupByCode(ctx, c.Param("code"), kit.UserOf(c).ID)
	if err != nil {
		return err
	}
	v := orderPageView{Group: g, View: s.groupView(ctx, g), Pending: g.Status == order.GroupPending, Expires: kit.VNTime(g.ExpiresAt)}
	if v.View.VietQR != nil {
		if b, err := s.regions.Bank(ctx, v.View.VietQR.BIN); err == nil {
			v.BankName = b.ShortName
		}
	}
	return s.Render(c, http.StatusOK, "order", v)
}

// orderStatus is polled by the order page (htmx) while unpaid: 204 while
// nothing changed, and a full refresh once the group is no longer pending.
func (s *Server) orderStatus(c echo.Context) error {
	g, err := s.orderSvc.GroupByCode(c.Request().Context(), c.Param("code"), kit.UserOf(c).ID)
	if err != nil {
		return err
	}
	if g.Status == order.GroupPending {
		return c.NoContent(http.StatusNoContent)
	}
	c.Response().Header().Set("HX-Refresh", "true")
	return c.NoContent(http.StatusOK)
}

// orderQR is the VietQR image of an unpaid group.
func (s *Server) orderQR(c echo.Context) error {
	g, err := s.orderSvc.GroupByCode(c.Request().Context(), c.Param("code"), kit.UserOf(c).ID)
	if err != nil {
		return err
	}
	if g.Status != order.GroupPending || g.PaymentMethod != order.MethodVietQR {
		return errs.ErrNotFound
	}
	q, err := s.paySvc.VietQR(c.Request().Context(), g)
	if err != nil {
		return err
	}
	png, err := qr.PNG(q.Payload, 320)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, "image/png", png)
}

func (s *Server) orderCancel(c echo.Context) error {
	if _, err := s.paySvc.CancelGroup(c.Request().Context(), kit.UserOf(c).ID, c.Param("code")); err != nil {
		return err
	}
	s.Flash(c, "order.cancelled")
	return c.Redirect(http.StatusSeeOther, "/orders/"+c.Param("code"))
}

// orderPay sends the shopper back to Stripe for an unpaid card group (the
// session is made with the same idempotency key, so it is the same one).
func (s *Server) orderPay(c echo.Context) error {
	ctx := c.Request().Context()
	g, err := s.orderSvc.GroupByCode(ctx, c.Param("code"), kit.UserOf(c).ID)
	if err != nil {
		return err
	}
	url, err := s.paySvc.CardSessionURL(ctx, g)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, url)
}

type accountOrdersView struct {
	Groups []order.Group
}

func (s *Server) accountOrders(c echo.Context) error {
	gs, err := s.orderSvc.GroupsOf(c.Request().Context(), kit.UserOf(c).ID, 100)
	if err != nil {
		return err
	}
	return s.Render(c, http.StatusOK, "orders", accountOrdersView{Groups: gs})
}
