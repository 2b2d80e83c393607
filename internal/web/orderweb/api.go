package orderweb

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/validate"
	"github.com/chocop/ocop/internal/web/kit"
)

type cartAddRequest struct {
	VariantID int64 `json:"variant_id" validate:"required,gt=0"`
	Quantity  int64 `json:"quantity" validate:"required,gt=0,lte=1000"`
}

type cartSetRequest struct {
	Quantity *int64 `json:"quantity" validate:"required,gte=0,lte=1000"`
}

// checkoutRequest is the checkout form, as JSON or as a page form.
type checkoutRequest struct {
	RecipientName  string `json:"recipient_name" form:"recipient_name" validate:"required,max=120"`
	Phone          string `json:"phone" form:"phone" validate:"required,vnphone"`
	ProvinceCode   string `json:"province_code" form:"province_code" validate:"required,len=2,numeric"`
	CommuneCode    string `json:"commune_code" form:"commune_code" validate:"required,max=10,numeric"`
	Street         string `json:"street" form:"street" validate:"required,max=200"`
	Note           string `json:"note" form:"note" validate:"max=500"`
	PaymentMethod  string `json:"payment_method" form:"payment_method" validate:"required,oneof=vietqr card"`
	AdultConfirmed bool   `json:"adult_confirmed" form:"adult_confirmed"`
	// ExpectedTotal is the total the shopper saw (0: not checked, API only;
	// the page always sends it).
	ExpectedTotal int64 `json:"expected_total" form:"expected_total" validate:"gte=0,lte=1000000000000"`
	SaveAddress   bool  `json:"save_address" form:"save_address"`
	// Update (page only) recomputes the summary for the address without placing the order.
	Update string `json:"-" form:"update" validate:"max=10"`
}

func (r checkoutRequest) input() order.CheckoutInput {
	return order.CheckoutInput{Address: order.Address{RecipientName: strings.TrimSpace(r.RecipientName), Phone: validate.NormalizePhone(r.Phone), ProvinceCode: r.ProvinceCode,
		CommuneCode: r.CommuneCode, Street: strings.TrimSpace(r.Street), Note: strings.TrimSpace(r.Note)}, Method: r.PaymentMethod, AdultConfirmed: r.AdultConfirmed,
		ExpectedTotal: r.ExpectedTotal, SaveAddress: r.SaveAddress}
}

func ownerOf(c echo.Context) order.Owner { return order.Owner{UserID: kit.UserOf(c).ID} }

// APICart is the signed-in user's cart, priced for province_code when given.
func (h *Handlers) APICart(c echo.Context) error {
	q, err := h.Orders.View(c.Request().Context(), ownerOf(c), c.QueryParam("province_code"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cartJSON(q))
}

// cartJSON never returns null lists, so clients can iterate without checks.
func cartJSON(q order.Quote) order.Quote {
	if q.Parts == nil {
		q.Parts = []order.Part{}
	}
	return q
}

// APICartAdd puts a variant in the cart (quantities add up).
func (h *Handlers) APICartAdd(c echo.Context) error {
	var req cartAddRequest
	if err := h.BindJSON(c, &req); err != nil {
		return err
	}
	if err := h.Orders.Add(c.Request().Context(), ownerOf(c), req.VariantID, req.Quantity); err != nil {
		return err
	}
	return h.APICart(c)
}

// APICartSet changes a line's quantity (0 removes it).
func (h *Handlers) APICartSet(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("variant_id"), 10, 64)
	if err != nil {
		return errs.ErrNotFound
	}
	var req cartSetRequest
	if err := h.BindJSON(c, &req); err != nil {
		return err
	}
	if err := h.Orders.SetQuantity(c.Request().Context(), ownerOf(c), id, *req.Quantity); err != nil {
		return err
	}
	return h.APICart(c)
}

// APICheckout places the order: one group, one order per producer, stock reserved.
func (h *Handlers) APICheckout(c echo.Context) error {
	var req checkoutRequest
	if err := h.BindJSON(c, &req); err != nil {
		return err
	}
	if err := h.allowCheckout(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	res, err := h.Payments.Checkout(ctx, kit.UserOf(c).ID, req.input())
	if err != nil {
		return err
	}
	v, err := h.groupView(ctx, res.Group)
	if err != nil {
		return err
	}
	v.CheckoutURL = res.RedirectURL
	return c.JSON(http.StatusCreated, v)
}

// APIOrders lists the caller's groups, newest first.
func (h *Handlers) APIOrders(c echo.Context) error {
	ctx := c.Request().Context()
	gs, err := h.Orders.GroupsOf(ctx, kit.UserOf(c).ID, 100)
	if err != nil {
		return err
	}
	out, err := h.groupViews(ctx, gs...)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"orders": out})
}

// APIOrder shows one of the caller's groups; anyone else's is a 404.
func (h *Handlers) APIOrder(c echo.Context) error {
	g, err := h.Orders.GroupByCode(c.Request().Context(), c.Param("code"), kit.UserOf(c).ID)
	if err != nil {
		return err
	}
	return h.sendGroup(c, g)
}

// APIOrderCancel cancels one of the caller's groups (refunded when paid).
func (h *Handlers) APIOrderCancel(c echo.Context) error {
	g, err := h.Payments.CancelGroup(c.Request().Context(), kit.UserOf(c).ID, c.Param("code"))
	if err != nil {
		return err
	}
	return h.sendGroup(c, g)
}

// sendGroup answers 200 with g in JSON.
func (h *Handlers) sendGroup(c echo.Context, g order.Group) error {
	v, err := h.groupView(c.Request().Context(), g)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}
