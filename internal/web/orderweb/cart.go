package orderweb

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/internal/web/kit"
)

// cartCookie holds a guest's cart token; only its hash is stored.
const cartCookie = "ocop_cart"

// cartOwner is the signed-in user, or the guest behind the cart cookie
// (made on first use when create is set).
func (h *Handlers) cartOwner(c echo.Context, create bool) order.Owner {
	if u := kit.UserOf(c); u != nil {
		return order.Owner{UserID: u.ID}
	}
	if ck, err := c.Cookie(cartCookie); err == nil && len(ck.Value) >= 32 {
		return order.Owner{Token: ck.Value}
	}
	if !create {
		return order.Owner{}
	}
	token, _ := account.NewToken()
	c.SetCookie(&http.Cookie{Name: cartCookie, Value: token, Path: "/", Expires: time.Now().Add(30 * 24 * time.Hour),
		HttpOnly: true, Secure: h.Secure, SameSite: http.SameSiteLaxMode})
	return order.Owner{Token: token}
}

// MergeGuestCart joins the visitor's guest cart into user's cart. The
// sign-in handler calls it right after the session starts; a failure must
// not stop the sign-in, so it is logged and the guest cart kept.
func (h *Handlers) MergeGuestCart(c echo.Context, user account.User) {
	ck, err := c.Cookie(cartCookie)
	if err != nil || ck.Value == "" {
		return
	}
	if err := h.Orders.Merge(c.Request().Context(), user.ID, ck.Value); err != nil {
		h.Log.Warn("merge guest cart", "user", user.ID, "err", err)
		return
	}
	c.SetCookie(&http.Cookie{Name: cartCookie, Value: "", Path: "/", MaxAge: -1})
}

type cartView struct {
	Quote     order.Quote
	Provinces []region.Province
}

// CartPage shows the cart, priced for the chosen province (shipping per producer).
func (h *Handlers) CartPage(c echo.Context) error {
	ctx := c.Request().Context()
	o := h.cartOwner(c, false)
	v := cartView{Quote: order.Quote{ProvinceCode: c.QueryParam("province_code")}}
	var err error
	if v.Provinces, err = h.Regions.Provinces(ctx); err != nil {
		return err
	}
	if o.UserID != 0 || o.Token != "" {
		v.Quote, err = h.Orders.View(ctx, o, v.Quote.ProvinceCode)
		if errors.Is(err, errs.ErrConflict) { // no shipping band: show the cart without shipping
			v.Quote, err = h.Orders.View(ctx, o, "")
		}
		if err != nil {
			return err
		}
	}
	return h.Render(c, http.StatusOK, "cart", v)
}

type cartForm struct {
	VariantID int64 `form:"variant_id" validate:"required,gt=0"`
	Quantity  int64 `form:"quantity" validate:"required,gt=0,lte=1000"`
}

// CartAdd is where the product page's add-to-cart form posts.
func (h *Handlers) CartAdd(c echo.Context) error {
	var f cartForm
	if err := h.BindForm(c, &f); err != nil {
		return err
	}
	if err := h.Orders.Add(c.Request().Context(), h.cartOwner(c, true), f.VariantID, f.Quantity); err != nil {
		return err
	}
	h.Flash(c, "cart.added")
	return c.Redirect(http.StatusSeeOther, "/cart")
}

type cartSetForm struct {
	Quantity int64 `form:"quantity" validate:"gte=0,lte=1000"`
}

// CartSet changes a line's quantity (0 removes it).
func (h *Handlers) CartSet(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("variant_id"), 10, 64)
	if err != nil {
		return errs.ErrNotFound
	}
	var f cartSetForm
	if err := h.BindForm(c, &f); err != nil {
		return err
	}
	o := h.cartOwner(c, false)
	if o.UserID == 0 && o.Token == "" {
		return errs.ErrNotFound
	}
	if err := h.Orders.SetQuantity(c.Request().Context(), o, id, f.Quantity); err != nil {
		return err
	}
	h.Flash(c, "flash.saved")
	return c.Redirect(http.StatusSeeOther, "/cart")
}
