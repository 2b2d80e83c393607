package orderweb

import (
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/internal/web/kit"
)

type checkoutView struct {
	Quote       order.Quote
	Provinces   []region.Province
	Communes    []region.Commune
	Form        checkoutRequest
	Errors      map[string]string
	Error       string
	ErrorData   map[string]any // placeholders of Error's message (how many units are held, until when)
	CardReady   bool
	VietQRReady bool
}

func (h *Handlers) checkoutView(c echo.Context, f checkoutRequest) (checkoutView, error) {
	ctx := c.Request().Context()
	v := checkoutView{Form: f, CardReady: h.CardReady, VietQRReady: !h.VietQRDisabled}
	var err error
	if v.Provinces, err = h.Regions.Provinces(ctx); err != nil {
		return v, err
	}
	if f.ProvinceCode != "" {
		if v.Communes, err = h.Regions.Communes(ctx, f.ProvinceCode); err != nil {
			return v, err
		}
	}
	v.Quote, err = h.Orders.View(ctx, ownerOf(c), f.ProvinceCode)
	if errors.Is(err, errs.ErrConflict) {
		v.Error = errs.Reason(err)
		v.Quote, err = h.Orders.View(ctx, ownerOf(c), "")
	}
	return v, err
}

// CheckoutPage is the address and payment form with the cart's totals.
func (h *Handlers) CheckoutPage(c echo.Context) error {
	f := checkoutRequest{ProvinceCode: c.QueryParam("province_code"), PaymentMethod: order.MethodVietQR}
	if h.VietQRDisabled {
		f.PaymentMethod = order.MethodCard
	}
	v, err := h.checkoutView(c, f)
	if err != nil {
		return err
	}
	if len(v.Quote.Parts) == 0 {
		return c.Redirect(http.StatusSeeOther, "/cart")
	}
	return h.Render(c, http.StatusOK, "checkout", v)
}

// CheckoutCommunes answers the province picker (htmx) with the province's communes as options.
func (h *Handlers) CheckoutCommunes(c echo.Context) error {
	cs, err := h.Regions.Communes(c.Request().Context(), c.QueryParam("province_code"))
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(`<option value="">—</option>`)
	for _, cm := range cs {
		b.WriteString(`<option value="` + template.HTMLEscapeString(cm.Code) + `">` + template.HTMLEscapeString(cm.FullName) + `</option>`)
	}
	return c.HTML(http.StatusOK, b.String())
}

// Checkout places the order. Invalid input re-renders the form with every
// problem; a changed price sends the shopper back to the cart to see it.
func (h *Handlers) Checkout(c echo.Context) error {
	var f checkoutRequest
	bindErr := h.BindForm(c, &f)
	if bindErr != nil {
		if _, ok := errs.AsValidation(bindErr); !ok {
			return bindErr
		}
	}
	var (
		res payment.CheckoutResult
		err = bindErr
	)
	if err == nil {
		err = h.allowCheckout(c)
	}
	if err == nil {
		res, err = h.Payments.Checkout(c.Request().Context(), kit.UserOf(c).ID, f.input())
	}
	switch {
	case err == nil:
		if res.RedirectURL != "" {
			return c.Redirect(http.StatusSeeOther, res.RedirectURL) // Stripe Checkout
		}
		return c.Redirect(http.StatusSeeOther, "/orders/"+res.Group.Code)
	case errors.Is(err, order.ErrPriceChanged):
		h.Flash(c, "checkout.price_changed")
		return c.Redirect(http.StatusSeeOther, "/cart")
	}
	v, verr := h.checkoutView(c, f)
	if verr != nil {
		return verr
	}
	status := http.StatusBadRequest
	if ve := kit.FormErrors(err); ve != nil {
		v.Errors = ve
	} else if r := errs.Reason(err); r != "" && kit.StatusOf(err) < 500 {
		v.Error, v.ErrorData, status = r, errs.ReasonData(err), kit.StatusOf(err)
	} else {
		return err
	}
	return h.Render(c, status, "checkout", v)
}
