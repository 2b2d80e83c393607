package web

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
func (s *Server) cartOwner(c echo.Context, create bool) order.Owner {
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
		HttpOnly: true, Secure: s.cfg.Secure(), SameSite: http.SameSiteLaxMode})
	return order.Owner{Token: token}
}

// MergeGuestCart joins the visitor's guest cart into user's cart. The
// sign-in handler calls it right after the session starts; a failure must
// not stop the sign-in, so it is logged and the guest cart kept.
func (s *Server) MergeGuestCart(c echo.Context, user account.User) {
	ck, err := c.Cookie(cartCookie)
	if err != nil || ck.Value == "" {
		return
	}
	if err := s.orderSvc.Merge(c.Request().Context(), user.ID, ck.Value); err != nil {
		s.Log.Warn("merge guest cart", "user", user.ID, "err", err)
		return
	}
	c.SetCookie(&http.Cookie{Name: cartCookie, Value: "", Path: "/", MaxAge: -1})
}

type cartView struct {
	Quote     order.Quote
	Provinces []region.Province
}

// cartPage shows the cart, priced for the chosen province (shipping per producer).
func (s *Server) cartPage(c echo.Context) error {
	ctx := c.Request().Context()
	o := s.cartOwner(c, false)
	v := cartView{Quote: order.Quote{ProvinceCode: c.QueryParam("province_code")}}
	var err error
	if v.Provinces, err = s.regions.Provinces(ctx); err != nil {
		return err
	}
	if o.UserID != 0 || o.Token != "" {
		v.Quote, err = s.orderSvc.View(ctx, o, v.Quote.ProvinceCode)
		if errors.Is(err, errs.ErrConflict) { // no shipping band: show the cart without shipping
			v.Quote, err = s.orderSvc.View(ctx, o, "")
		}
		if err != nil {
			return err
		}
	}
	return s.Render(c, http.StatusOK, "cart", v)
}

type cartForm struct {
	VariantID int64 `form:"variant_id" validate:"required,gt=0"`
	Quantity  int64 `form:"quantity" validate:"required,gt=0,lte=1000"`
}

// cartAdd is where the product page's add-to-cart form posts.
func (s *Server) cartAdd(c echo.Context) error {
	var f cartForm
	if err := s.BindForm(c, &f); err != nil {
		return err
	}
	if err := s.orderSvc.Add(c.Request().Context(), s.cartOwner(c, true), f.VariantID, f.Quantity); err != nil {
		return err
	}
	s.Flash(c, "cart.added")
	return c.Redirect(http.StatusSeeOther, "/cart")
}

type cartSetForm struct {
	Quantity int64 `form:"quantity" validate:"gte=0,lte=1000"`
}

// cartSet changes a line's quantity (0 removes it).
func (s *Server) cartSet(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("variant_id"), 10, 64)
	if err != nil {
		return errs.ErrNotFound
	}
	var f cartSetForm
	if err := s.BindForm(c, &f); err != nil {
		return err
	}
	o := s.cartOwner(c, false)
	if o.UserID == 0 && o.Token == "" {
		return errs.ErrNotFound
	}
	if err := s.orderSvc.SetQuantity(c.Request().Context(), o, id, f.Quantity); err != nil {
		return err
	}
	s.Flash(c, "flash.saved")
	return c.Redirect(http.StatusSeeOther, "/cart")
}
