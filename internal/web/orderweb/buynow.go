package orderweb

import (
	"net/http"

	"github.com/labstack/echo/v4"
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
