package orderweb

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

// OrderPage shows one of the shopper's groups: per-producer orders and
// timelines, and while unpaid the VietQR (or a button back to Stripe).
func (h *Handlers) OrderPage(c echo.Context) error {
	ctx := c.Request().Context()
	g, err := h.Orders.GroupByCode(ctx, c.Param("code"), kit.UserOf(c).ID)
	if err != nil {
		return err
	}
	view, err := h.groupView(ctx, g)
	if err != nil {
		return err
	}
	v := orderPageView{Group: g, View: view, Pending: g.Status == order.GroupPending, Expires: kit.VNTime(g.ExpiresAt)}
	if v.View.VietQR != nil {
		if b, err := h.Regions.Bank(ctx, v.View.VietQR.BIN); err == nil {
			v.BankName = b.ShortName
		}
	}
	return h.Render(c, http.StatusOK, "order", v)
}

// OrderStatus is polled by the order page (htmx) while unpaid: 204 while
// nothing changed, and a full refresh once the group is no longer pending.
func (h *Handlers) OrderStatus(c echo.Context) error {
	g, err := h.Orders.GroupByCode(c.Request().Context(), c.Param("code"), kit.UserOf(c).ID)
	if err != nil {
		return err
	}
	if g.Status == order.GroupPending {
		return c.NoContent(http.StatusNoContent)
	}
	c.Response().Header().Set("HX-Refresh", "true")
	return c.NoContent(http.StatusOK)
}

// OrderQR is the VietQR image of an unpaid group.
func (h *Handlers) OrderQR(c echo.Context) error {
	g, err := h.Orders.GroupByCode(c.Request().Context(), c.Param("code"), kit.UserOf(c).ID)
	if err != nil {
		return err
	}
	if g.Status != order.GroupPending || g.PaymentMethod != order.MethodVietQR {
		return errs.ErrNotFound
	}
	q, err := h.Payments.VietQR(c.Request().Context(), g)
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

// OrderCancel is the page form of APIOrderCancel.
func (h *Handlers) OrderCancel(c echo.Context) error {
	if _, err := h.Payments.CancelGroup(c.Request().Context(), kit.UserOf(c).ID, c.Param("code")); err != nil {
		return err
	}
	h.Flash(c, "order.cancelled")
	return c.Redirect(http.StatusSeeOther, "/orders/"+c.Param("code"))
}

// OrderPay sends the shopper back to Stripe for an unpaid card group (the
// session is made with the same idempotency key, so it is the same one).
func (h *Handlers) OrderPay(c echo.Context) error {
	ctx := c.Request().Context()
	g, err := h.Orders.GroupByCode(ctx, c.Param("code"), kit.UserOf(c).ID)
	if err != nil {
		return err
	}
	url, err := h.Payments.CardSessionURL(ctx, g)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, url)
}

type accountOrdersView struct {
	Groups []order.Group
}

// AccountOrders lists the shopper's groups.
func (h *Handlers) AccountOrders(c echo.Context) error {
	gs, err := h.Orders.GroupsOf(c.Request().Context(), kit.UserOf(c).ID, 100)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "orders", accountOrdersView{Groups: gs})
}
