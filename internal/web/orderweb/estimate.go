package orderweb

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/internal/web/kit"
)

// Products is what the shipping estimate needs of the catalogue: a
// published product with its variants, to offer them in the form.
type Products interface {
	Published(ctx context.Context, slug string) (catalog.Product, error)
}

// slugPattern is a product slug, the only "back" link the estimate page makes.
var slugPattern = regexp.MustCompile(`^[a-z0-9-]{1,200}$`)

// estimateQuery is the estimate form as sent.
type estimateQuery struct {
	VariantID    int64
	Quantity     int64
	QuantityText string // as typed, to show it again
	ProvinceCode string
	Slug         string
	Asked        bool // the form was sent: an estimate is wanted, not only the form
}

// readEstimateQuery reads each field on its own, so that one that is not
// a number loses none of the others: the form is shown again with them.
func readEstimateQuery(c echo.Context) estimateQuery {
	qs := c.QueryParams()
	q := estimateQuery{ProvinceCode: qs.Get("province_code"), Slug: qs.Get("slug"), Quantity: 1, QuantityText: qs.Get("quantity")}
	q.Asked = qs.Has("variant_id") || qs.Has("quantity") || qs.Has("province_code")
	q.VariantID, _ = strconv.ParseInt(qs.Get("variant_id"), 10, 64) // not a number: no such variant
	if q.QuantityText != "" {
		n, err := strconv.ParseInt(q.QuantityText, 10, 64)
		if err != nil {
			n = -1 // out of range: the estimate says what to type
		}
		q.Quantity = n
	} else {
		q.QuantityText = "1"
	}
	return q
}

// estimateView is the shipping estimate: its figure, or the reason there
// is none (a message key), the province's name, and the form it came from.
type estimateView struct {
	Estimate order.Estimate
	Province string
	Problem  string
	Back     string
	Asked    bool   // an estimate was asked for: the page shows its result
	Product  string // the product's name in the visitor's language; "" when the form came without one
	Form     estimateForm
}

// estimateForm is the estimate form with what the visitor chose.
type estimateForm struct {
	Slug      string
	Variants  []catalog.Variant // the product's; none when the form came without a product
	VariantID int64             // the chosen one, sent hidden when there is no product to choose in
	Quantity  string
	Province  string
	Provinces []region.Province
	// Focus puts the focus on the form's first field: the form replaced
	// the link the visitor pressed (htmx), which took the focus with it.
	Focus bool
}

// estimateMessages say beside each field of the form what to correct.
var estimateMessages = map[string]string{"quantity": "estimate.need_quantity", "province_code": "estimate.need_province"}

// ShippingEstimate is the product page's "shipping to": with a product
// (slug) and no choice yet, the estimate form, as a page of its own or,
// with part=form, as the fragment htmx puts in the product page's link's
// place; with the form's values, what checkout would charge to ship that
// quantity to that province: a fragment for htmx (HX-Request), which says a
// missing band or a bad choice in a 200 (htmx shows only successful
// answers), or the page again with the form and the result. On that page
// a field to correct is a 400 with the error beside the field.
func (h *Handlers) ShippingEstimate(c echo.Context) error {
	ctx := c.Request().Context()
	lang := kit.LangOf(c)
	q := readEstimateQuery(c)
	fragment := c.QueryParam("part") == "form"
	v := estimateView{Asked: q.Asked}
	var invalid error // the fields to correct, with their messages
	if q.Asked {
		var err error
		if invalid, err = h.estimate(ctx, lang, q, &v); err != nil {
			return err
		}
		if c.Request().Header.Get("HX-Request") == "true" && !fragment {
			html, err := h.Pages.RenderBlock("shipping_estimate", "estimate-result", kit.Page{Lang: lang, Data: v})
			if err != nil {
				return err
			}
			return c.HTML(http.StatusOK, html)
		}
	}
	if err := h.estimateForm(ctx, lang, q, &v); err != nil {
		return err
	}
	if fragment {
		v.Form.Focus = true
		html, err := h.Pages.RenderBlock("shipping_estimate", "estimate-form", kit.Page{Lang: lang, Data: v})
		if err != nil {
			return err
		}
		return c.HTML(http.StatusOK, html)
	}
	page := func(c echo.Context) error { return h.Render(c, http.StatusOK, "shipping_estimate", v) }
	if invalid != nil {
		return kit.RenderForm(c, invalid, page)
	}
	return page(c)
}

// estimate fills v with the estimate of q, or the reason there is none.
// invalid is the fields to correct, each with its message (a validation
// error); err is a failure to answer at all.
func (h *Handlers) estimate(ctx context.Context, lang string, q estimateQuery, v *estimateView) (invalid, err error) {
	v.Estimate, err = h.Orders.EstimateShipping(ctx, q.VariantID, q.Quantity, q.ProvinceCode)
	switch {
	case err == nil:
		provinces, err := h.Regions.Provinces(ctx)
		if err != nil {
			return nil, err
		}
		for _, p := range provinces {
			if p.Code == q.ProvinceCode {
				v.Province = p.Name
				if lang == "en" && p.NameEn != "" {
					v.Province = p.NameEn
				}
			}
		}
	case errors.Is(err, errs.ErrConflict):
		v.Problem = "estimate.no_band"
	case errors.Is(err, errs.ErrNotFound):
		v.Problem = "estimate.unavailable"
	default:
		ve, ok := errs.AsValidation(err)
		if !ok {
			return nil, err
		}
		v.Problem = "estimate.choose"
		// The estimate stops at its first error; a form says every one at once.
		fields := &errs.ValidationError{}
		province := false
		for _, f := range ve.Fields {
			if m, ok := estimateMessages[f.Field]; ok {
				f.Message = m
			}
			province = province || f.Field == "province_code"
			fields.Fields = append(fields.Fields, f)
		}
		if !province && q.ProvinceCode == "" {
			fields.Fields = append(fields.Fields, errs.FieldError{Field: "province_code", Message: estimateMessages["province_code"]})
		}
		return fields, nil
	}
	return nil, nil
}

// estimateForm fills v's form with the product's variants and the
// provinces. The form alone (nothing asked yet) needs a published product:
// without one it is a 404.
func (h *Handlers) estimateForm(ctx context.Context, lang string, q estimateQuery, v *estimateView) error {
	v.Form = estimateForm{VariantID: q.VariantID, Quantity: q.QuantityText, Province: q.ProvinceCode}
	if slugPattern.MatchString(q.Slug) {
		p, err := h.Products.Published(ctx, q.Slug)
		switch {
		case err == nil:
			v.Form.Slug, v.Form.Variants, v.Back = p.Slug, p.Variants, "/products/"+p.Slug
			v.Product = p.Name
			if lang == "en" && p.NameEn != "" {
				v.Product = p.NameEn
			}
		case !errors.Is(err, errs.ErrNotFound):
			return err
		}
	}
	if !q.Asked && v.Form.Slug == "" {
		return errs.ErrNotFound // no product to estimate for
	}
	var err error
	v.Form.Provinces, err = h.Regions.Provinces(ctx)
	return err
}
