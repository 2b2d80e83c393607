package web

import (
	"context"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/payment/stripe"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/web/kit"
)

// orderArea holds the services behind cart, checkout, orders, payments and the payout ledger.
type orderArea struct {
	orderSvc *order.Service
	paySvc   *payment.Service
	// checkouts caps checkouts per user (each reserves stock for the payment
	// TTL, so a flood of unpaid checkouts would hold a producer's stock).
	checkouts *account.Limiter
}

// initOrder builds the order services; called once from New.
func (s *Server) initOrder() error {
	var sc *stripe.Client
	if s.cfg.StripeSecretKey != "" {
		sc = stripe.New(s.cfg.StripeSecretKey, s.cfg.StripeAPIBase, s.cfg.StripeWebhookSecret)
	}
	s.checkouts = account.NewLimiter(30, 10*time.Minute)
	s.orderSvc = order.NewService(s.db, s.cfg.PaymentTTL, payment.CommissionBP)
	s.paySvc = payment.NewService(s.db, s.orderSvc, payment.Config{
		Collection:        payment.Collection{BIN: s.cfg.CollectionBankBIN, Account: s.cfg.CollectionAccount, Holder: s.cfg.CollectionHolder},
		BankWebhookSecret: s.cfg.BankWebhookSecret,
		Stripe:            sc,
		BaseURL:           s.cfg.BaseURL,
		VietQRDisabled:    s.cfg.VietQRDisabled,
	})
	// Expiry is a conditional update per group: safe on every instance at once.
	s.every("orders.expire", min(time.Minute, s.cfg.PaymentTTL/2), func(ctx context.Context) error {
		_, err := s.orderSvc.ExpireDue(ctx, time.Now())
		return err
	})
	// Provider calls (card refunds) owed by committed changes: each attempt
	// is claimed by a compare-and-set and carries the call's idempotency
	// key, so every instance may sweep.
	s.every("payments.provider_calls", 15*time.Second, func(ctx context.Context) error {
		_, err := s.paySvc.RunProviderCalls(ctx, time.Now())
		return err
	})
	return nil
}

// allowCheckout counts a checkout attempt by the signed-in user and refuses
// (429) past the limit.
func (s *Server) allowCheckout(c echo.Context) error {
	key := "checkout:" + strconv.FormatInt(kit.UserOf(c).ID, 10)
	// Take checks and counts in one step, so parallel checkouts cannot all pass.
	if ok, wait := s.checkouts.Take(key); !ok {
		return &errs.Later{Err: &errs.Reasoned{Err: errs.ErrTooMany, Reason: "checkout.too_many"}, After: wait}
	}
	return nil
}

// orderRoutes adds the routes of cart, checkout, orders, payments and the payout ledger.
// api is /api/v1 (bearer tokens), pages is the cookie-session group with
// CSRF, and portal, registry and admin are the role-gated page groups.
func (s *Server) orderRoutes(e *echo.Echo, api, pages, portal, registry, admin *echo.Group) {
	// Webhooks: no session and no CSRF; the signature on the raw body is the authentication.
	hooks := e.Group("/webhooks", kit.BodyLimit(64<<10))
	hooks.POST("/bank", s.webhookBank)
	hooks.POST("/stripe", s.webhookStripe)

	api.GET("/cart", s.apiCart, kit.RequireUser)
	api.POST("/cart/items", s.apiCartAdd, kit.RequireUser)
	api.PUT("/cart/items/:variant_id", s.apiCartSet, kit.RequireUser)
	api.POST("/checkout", s.apiCheckout, kit.RequireUser)
	api.GET("/orders", s.apiOrders, kit.RequireUser)
	api.GET("/orders/:code", s.apiOrder, kit.RequireUser)
	api.POST("/orders/:code/cancel", s.apiOrderCancel, kit.RequireUser)

	producer := s.requireProducer
	api.GET("/portal/orders", s.apiPortalOrders, producer)
	api.POST("/portal/orders/:code/:action", s.apiPortalAct, producer)
	api.GET("/portal/ledger", s.apiPortalLedger, producer)

	adm := kit.RequireRole(account.RoleAdmin)
	api.GET("/admin/commission", s.apiCommission, adm)
	api.PUT("/admin/commission", s.apiSetCommission, adm)
	api.GET("/admin/shipping-rates", s.apiShippingRates, adm)
	api.PUT("/admin/shipping-rates", s.apiSetShippingRates, adm)
	api.GET("/admin/payment-issues", s.apiPaymentIssues, adm)
	api.GET("/admin/provider-calls", s.apiProviderCalls, adm)
	api.POST("/admin/provider-calls/:id/retry", s.apiRetryProviderCall, adm)
	api.POST("/admin/orders/:code/confirm-payment", s.apiConfirmPayment, adm)
	api.GET("/admin/payouts/balances", s.apiBalances, adm)
	api.POST("/admin/payouts", s.apiRecordPayout, adm)
	api.GET("/admin/payouts.csv", s.payoutCSV, adm)

	pages.GET("/cart", s.cartPage)
	pages.POST("/cart/items", s.cartAdd)
	pages.POST("/cart/items/:variant_id", s.cartSet)
	pages.GET("/checkout", s.checkoutPage, kit.RequireUser)
	pages.GET("/checkout/communes", s.checkoutCommunes)
	pages.POST("/checkout", s.checkout, kit.RequireUser)
	pages.GET("/orders/:code", s.orderPage, kit.RequireUser)
	pages.GET("/orders/:code/status", s.orderStatus, kit.RequireUser)
	pages.GET("/orders/:code/qr.png", s.orderQR, kit.RequireUser)
	pages.POST("/orders/:code/cancel", s.orderCancel, kit.RequireUser)
	pages.POST("/orders/:code/pay", s.orderPay, kit.RequireUser)
	pages.GET("/account/orders", s.accountOrders, kit.RequireUser)

	portal.GET("/orders", s.portalOrders)
	portal.POST("/orders/:code/:action", s.portalAct)
	portal.GET("/ledger", s.portalLedger)

	admin.GET("/settings", s.adminSettings)
	admin.POST("/settings/commission", s.adminSetCommission)
	admin.POST("/settings/shipping", s.adminSetShipping)
	admin.GET("/payments", s.adminPayments)
	admin.POST("/payments/confirm", s.adminConfirmPayment)
	admin.POST("/payments/issues/:id/resolve", s.adminResolveIssue)
	admin.POST("/payments/calls/:id/retry", s.adminRetryCall)
	admin.GET("/payouts", s.adminPayouts)
	admin.POST("/payouts", s.adminRecordPayout)
	admin.GET("/payouts.csv", s.payoutCSV)
}
