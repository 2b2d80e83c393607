package orderweb

import (
	"errors"
	"net/http"
	"regexp"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/web/kit"
)

// BuyNow is the product page's "Mua ngay": the variant goes in the cart
// with exactly the chosen quantity (order.Service.Put, so a second press
// changes nothing) and the shopper goes straight to checkout, which shows
// the whole cart: anything already there stays, visible and removable, as
// the cart is the one place a checkout is made from. A visitor goes through
// sign-in, and their guest cart joins their account's there.
func (h *Handlers) BuyNow(c echo.Context) error {
	var f cartForm
	if err := h.BindForm(c, &f); err != nil {
		return err
	}
	if err := h.Orders.Put(c.Request().Context(), h.cartOwner(c, true), f.VariantID, f.Quantity); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/checkout")
}

// slugPattern is a product slug, the only "back" link the estimate page makes.
var slugPattern = regexp.MustCompile(`^[a-z0-9-]{1,200}$`)

type estimateQuery struct {
	VariantID    int64  `query:"variant_id"`
	Quantity     int64  `query:"quantity"`
	ProvinceCode string `query:"province_code"`
	Slug         string `query:"slug"`
}

// estimateView is the shipping estimate: its figure, or the reason there
// is none (a message key), and the province's name.
type estimateView struct {
	Estimate order.Estimate
	Province string
	Problem  string
	Back     string
}

// ShippingEstimate answers the product page's "shipping to" form with what
// checkout would charge to ship that quantity to that province: a fragment
// for htmx, or a small page when the form was sent without script. A
// missing band or a bad choice is said in the answer (200), since htmx
// shows only successful answers.
func (h *Handlers) ShippingEstimate(c echo.Context) error {
	ctx := c.Request().Context()
	var q estimateQuery
	if err := (&echo.DefaultBinder{}).BindQueryParams(c, &q); err != nil {
		q = estimateQuery{}
	}
	if q.Quantity == 0 {
		q.Quantity = 1
	}
	v := estimateView{}
	if slugPattern.MatchString(q.Slug) {
		v.Back = "/products/" + q.Slug
	}
	var err error
	v.Estimate, err = h.Orders.EstimateShipping(ctx, q.VariantID, q.Quantity, q.ProvinceCode)
	switch {
	case err == nil:
		provinces, perr := h.Regions.Provinces(ctx)
		if perr != nil {
			return perr
		}
		for _, p := range provinces {
			if p.Code == q.ProvinceCode {
				v.Province = p.Name
				if kit.LangOf(c) == "en" && p.NameEn != "" {
					v.Province = p.NameEn
				}
			}
		}
	case errors.Is(err, errs.ErrConflict):
		v.Problem = "estimate.no_band"
	case errors.Is(err, errs.ErrNotFound):
		v.Problem = "estimate.unavailable"
	default:
		if _, ok := errs.AsValidation(err); !ok {
			return err
		}
		v.Problem = "estimate.choose"
	}
	if c.Request().Header.Get("HX-Request") == "true" {
		html, err := h.Pages.RenderBlock("shipping_estimate", "estimate-result", kit.Page{Lang: kit.LangOf(c), Data: v})
		if err != nil {
			return err
		}
		return c.HTML(http.StatusOK, html)
	}
	return h.Render(c, http.StatusOK, "shipping_estimate", v)
}
