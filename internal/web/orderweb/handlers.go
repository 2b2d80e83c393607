// Package orderweb serves buying and everything money: the cart, checkout,
// a shopper's orders, a producer's orders and ledger in the portal, the
// admin's commission, shipping, payments and payouts, and the payment
// webhooks.
package orderweb

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/internal/web/kit"
)

// Handlers are the cart, order, payment and payout handlers.
type Handlers struct {
	*kit.Kit
	Orders    *order.Service
	Payments  *payment.Service
	Producers *producer.Store
	Regions   *region.Store
	Products  Products // the product page's shipping estimate offers a product's variants
	// Checkouts caps checkouts per user (each reserves stock for the
	// payment TTL, so a flood of unpaid checkouts would hold a producer's stock).
	Checkouts      *account.Limiter
	CardReady      bool // a Stripe key is configured: the checkout offers cards
	VietQRDisabled bool // the checkout offers no VietQR (OCOP_VIETQR_DISABLED)
}

// allowCheckout counts a checkout attempt by the signed-in user and refuses
// (429) past the limit.
func (h *Handlers) allowCheckout(c echo.Context) error {
	key := "checkout:" + strconv.FormatInt(kit.UserOf(c).ID, 10)
	// Take checks and counts in one step, so parallel checkouts cannot all pass.
	if ok, wait := h.Checkouts.Take(key); !ok {
		return &errs.Later{Err: &errs.Reasoned{Err: errs.ErrTooMany, Reason: "checkout.too_many"}, After: wait}
	}
	return nil
}
