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
	Addresses   []order.SavedAddress // the shopper's address book, to start from another entry
	Form        checkoutRequest
	Errors      map[string]string
	Error       string
	ErrorData   map[string]any // placeholders of Error's message (how many units are held, until when)
	CardReady   bool
	VietQRReady bool
	// QuoteError is why the summary has no shipping (no band for this
	// address); the checkout will refuse until it is solved.
	QuoteError string
}

// quote prices the signed-in user's cart for province (shipping included
// when a province is given). A province no band reaches is shown without
// shipping and with the reason.
func (h *Handlers) quote(c echo.Context, province string) (q order.Quote, reason string, err error) {
	ctx := c.Request().Context()
	q, err = h.Orders.View(ctx, ownerOf(c), province)
	if errors.Is(err, errs.ErrConflict) {
		reason = errs.Reason(err)
		q, err = h.Orders.View(ctx, ownerOf(c), "")
	}
	return q, reason, err
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
	if v.Addresses, err = h.Orders.Addresses(ctx, kit.UserOf(c).ID); err != nil {
		return v, err
	}
	v.Quote, v.QuoteError, err = h.quote(c, f.ProvinceCode)
	return v, err
}

// CheckoutPage is the address and payment form with the cart's lines and
// totals. It starts from the saved address chosen (?address=), else the
// default one, else the account's name and the last order's phone; a province chosen in the cart
// (?province_code=) wins over the saved one's, keeping name and phone.
func (h *Handlers) CheckoutPage(c echo.Context) error {
	u := kit.UserOf(c)
	f := checkoutRequest{RecipientName: u.Name, PaymentMethod: order.MethodVietQR}
	if h.VietQRDisabled {
		f.PaymentMethod = order.MethodCard
	}
	saved, ok, err := h.startAddress(c)
	if err != nil {
		return err
	}
	if ok {
		f.RecipientName, f.Phone, f.ProvinceCode, f.CommuneCode, f.Street = saved.RecipientName, saved.Phone, saved.ProvinceCode, saved.CommuneCode, saved.Street
	} else if _, phone, err := h.Orders.LastRecipient(c.Request().Context(), u.ID); err != nil {
		return err
	} else {
		f.Phone = phone // the account's name, and the phone the shopper gave last time
	}
	if p := c.QueryParam("province_code"); p != "" && p != f.ProvinceCode {
		known, err := h.knownProvince(c, p)
		if err != nil {
			return err
		}
		if known {
			f.ProvinceCode, f.CommuneCode, f.Street = p, "", ""
		}
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

// startAddress is the saved address the checkout starts from: the one
// named by ?address= when it is the shopper's own, else the default.
func (h *Handlers) startAddress(c echo.Context) (order.SavedAddress, bool, error) {
	ctx := c.Request().Context()
	u := kit.UserOf(c)
	if code := c.QueryParam("address"); code != "" {
		a, err := h.Orders.SavedAddressByCode(ctx, u.ID, code)
		if err == nil {
			return a, true, nil
		}
		if !errors.Is(err, errs.ErrNotFound) {
			return a, false, err
		}
	}
	return h.Orders.DefaultAddress(ctx, u.ID)
}

// CheckoutSummary answers the province picker (htmx) with the summary
// priced for that province: lines, shipping per producer, the total with
// shipping and the hidden expected_total the order is then placed at.
func (h *Handlers) CheckoutSummary(c echo.Context) error {
	province := c.QueryParam("province_code")
	if province != "" {
		known, err := h.knownProvince(c, province)
		if err != nil {
			return err
		}
		if !known {
			province = "" // an unknown province prices nothing; the form says so on submit
		}
	}
	v := checkoutView{}
	var err error
	if v.Quote, v.QuoteError, err = h.quote(c, province); err != nil {
		return err
	}
	p := kit.PageOf(c)
	p.Data = v
	html, err := h.Pages.RenderBlock("checkout", "checkout-summary", p)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTML(http.StatusOK, html)
}

// knownProvince reports whether code is a province (a query parameter
// anyone can type); a database error is returned, not taken for "unknown".
func (h *Handlers) knownProvince(c echo.Context, code string) (bool, error) {
	if len(code) != 2 {
		return false, nil
	}
	_, err := h.Regions.Province(c.Request().Context(), code)
	if errors.Is(err, errs.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
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

// Checkout places the order at the total the shopper was shown
// (expected_total). Invalid input re-renders the form with every problem
// beside its field; a total that is not the one shown (the province
// changed without the summary following, as without JavaScript)
// re-renders the form with the new total and charges nothing; "update"
// only recomputes; a changed price sends the shopper back to the cart.
func (h *Handlers) Checkout(c echo.Context) error {
	var f checkoutRequest
	bindErr := h.BindForm(c, &f)
	if bindErr != nil {
		if _, ok := errs.AsValidation(bindErr); !ok {
			return bindErr
		}
	}
	if f.Update != "" {
		v, err := h.checkoutView(c, f)
		if err != nil {
			return err
		}
		v.Form.CommuneCode = keepCommune(v.Communes, f.CommuneCode)
		return h.Render(c, http.StatusOK, "checkout", v)
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

// keepCommune is code when it is one of communes (the province did not
// change), else "" so that the shopper picks again.
func keepCommune(communes []region.Commune, code string) string {
	for _, cm := range communes {
		if cm.Code == code {
			return code
		}
	}
	return ""
}
