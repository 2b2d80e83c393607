package orderweb

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/payment/vietqr"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/money"
	"github.com/chocop/ocop/internal/platform/qr"
	"github.com/chocop/ocop/internal/web/kit"
)

type orderPageView struct {
	Group    order.Group
	View     groupJSON
	Delivery delivery
	BankName string // the collection bank's name (never its BIN alone)
	AppLinks []vietqr.AppLink
	Pending  bool
	Expires  string // Vietnam time
}

// delivery is where the group goes, with names instead of codes.
type delivery struct {
	RecipientName, Phone, Street, Commune, Province, Note string
}

// OrderPage shows one of the shopper's groups: where it goes, each
// producer's order with its timeline and tracking link, and while unpaid
// the VietQR (with copy buttons and banking-app links) or a button back to
// Stripe. "Cancel" is offered only when cancelling would work.
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
	if v.Delivery, err = h.deliveryOf(c, g); err != nil {
		return err
	}
	if q := v.View.VietQR; q != nil {
		b, err := h.Regions.Bank(ctx, q.BIN)
		if err != nil {
			return err
		}
		v.BankName = b.ShortName
		if b.Name != "" && b.Name != b.ShortName {
			v.BankName += " — " + b.Name
		}
		v.AppLinks = vietqr.AppLinks(q.BIN, q.Account, q.Holder, q.Amount, q.Content, h.BaseURL+"/orders/"+g.Code)
	}
	return h.Render(c, http.StatusOK, "order", v)
}

// deliveryOf is g's address with the commune's and province's names.
func (h *Handlers) deliveryOf(c echo.Context, g order.Group) (delivery, error) {
	ctx := c.Request().Context()
	d := delivery{RecipientName: g.RecipientName, Phone: g.Phone, Street: g.Street, Note: g.Note, Commune: g.CommuneCode, Province: g.ProvinceCode}
	cm, err := h.Regions.Commune(ctx, g.CommuneCode)
	if err != nil && !errors.Is(err, errs.ErrNotFound) {
		return d, err
	} else if err == nil {
		d.Commune = cm.FullName
	}
	pr, err := h.Regions.Province(ctx, g.ProvinceCode)
	if err != nil && !errors.Is(err, errs.ErrNotFound) {
		return d, err
	} else if err == nil {
		d.Province = pr.FullName
	}
	return d, nil
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
	return kit.Blob(c, http.StatusOK, "image/png", png)
}

// OrderCancelPage asks before cancelling (a page, so it works without
// JavaScript); a group that can no longer be cancelled is sent back to its
// page, which offers no cancel button.
func (h *Handlers) OrderCancelPage(c echo.Context) error {
	g, err := h.Orders.GroupByCode(c.Request().Context(), c.Param("code"), kit.UserOf(c).ID)
	if err != nil {
		return err
	}
	if !g.CanCancel() {
		return c.Redirect(http.StatusSeeOther, "/orders/"+g.Code)
	}
	question := "order.cancel_question"
	if g.Status == order.GroupPaid {
		question = "order.cancel_question_paid"
	}
	return h.Render(c, http.StatusOK, "confirm", confirmView{Title: "order.cancel_title", Question: question,
		Subject: g.Code + " · " + money.VND(g.Total), Action: "/orders/" + g.Code + "/cancel", Button: "order.cancel", Back: "/orders/" + g.Code})
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

// ordersPerPage is the length of a page of "My orders".
const ordersPerPage = 20

type accountOrdersView struct {
	Groups     []groupJSON
	Page       int
	Prev, Next int // 0 when there is none
}

// AccountOrders lists the shopper's groups, newest first, a page at a
// time (?page=N), each with its status, its orders' statuses and total.
func (h *Handlers) AccountOrders(c echo.Context) error {
	page := 1
	if p := c.QueryParam("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 10000 {
			return errs.Invalid("page", "validation.type")
		}
		page = n
	}
	ctx := c.Request().Context()
	gs, more, err := h.Orders.GroupsPage(ctx, kit.UserOf(c).ID, page, ordersPerPage)
	if err != nil {
		return err
	}
	views, err := h.groupViews(ctx, gs...)
	if err != nil {
		return err
	}
	v := accountOrdersView{Groups: views, Page: page}
	if page > 1 {
		v.Prev = page - 1
	}
	if more {
		v.Next = page + 1
	}
	return h.Render(c, http.StatusOK, "orders", v)
}
