package web

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/payment/stripe"
	"github.com/chocop/ocop/internal/web/kit"
	"github.com/chocop/ocop/internal/web/orderweb"
)

// orderArea holds the services behind cart, checkout, orders, payments and the payout ledger.
type orderArea struct {
	orderSvc *order.Service
	paySvc   *payment.Service
}

// initOrder builds the order services; called once from New.
func (s *Server) initOrder() error {
	var sc *stripe.Client
	if s.cfg.StripeSecretKey != "" {
		sc = stripe.New(s.cfg.StripeSecretKey, s.cfg.StripeAPIBase, s.cfg.StripeWebhookSecret)
	}
	s.orderSvc = order.NewService(s.db, s.cfg.PaymentTTL, payment.CommissionBP)
	s.paySvc = payment.NewService(s.db, s.orderSvc, payment.Config{
		Collection:        payment.Collection{BIN: s.cfg.CollectionBankBIN, Account: s.cfg.CollectionAccount, Holder: s.cfg.CollectionHolder},
		BankWebhookSecret: s.cfg.BankWebhookSecret,
		Stripe:            sc,
		BaseURL:           s.cfg.BaseURL,
		VietQRDisabled:    s.cfg.VietQRDisabled,
	})
	s.ord = &orderweb.Handlers{Kit: s.Kit, Orders: s.orderSvc, Payments: s.paySvc, Producers: s.producers, Regions: s.regions,
		Checkouts: account.NewLimiter(30, 10*time.Minute), CardReady: s.cfg.StripeSecretKey != "", VietQRDisabled: s.cfg.VietQRDisabled, DB: s.db}
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

// orderRoutes adds the routes of cart, checkout, orders, payments and the payout ledger.
// api is /api/v1 (bearer tokens), pages is the cookie-session group with
// CSRF, and portal, registry and admin are the role-gated page groups.
func (s *Server) orderRoutes(e *echo.Echo, api, pages, portal, registry, admin *echo.Group) {
	// Webhooks: no session and no CSRF; the signature on the raw body is the authentication.
	hooks := e.Group("/webhooks", kit.BodyLimit(64<<10))
	hooks.POST("/bank", s.ord.WebhookBank)
	hooks.POST("/stripe", s.ord.WebhookStripe)

	api.GET("/cart", s.ord.APICart, kit.RequireUser)
	api.POST("/cart/items", s.ord.APICartAdd, kit.RequireUser)
	api.PUT("/cart/items/:variant_id", s.ord.APICartSet, kit.RequireUser)
	api.POST("/checkout", s.ord.APICheckout, kit.RequireUser)
	api.GET("/orders", s.ord.APIOrders, kit.RequireUser)
	api.GET("/orders/:code", s.ord.APIOrder, kit.RequireUser)
	api.POST("/orders/:code/cancel", s.ord.APIOrderCancel, kit.RequireUser)

	producer := s.requireProducer
	api.GET("/portal/orders", s.ord.APIPortalOrders, producer)
	api.POST("/portal/orders/:code/:action", s.ord.APIPortalAct, producer)
	api.GET("/portal/ledger", s.ord.APIPortalLedger, producer)

	adm := kit.RequireRole(account.RoleAdmin)
	api.GET("/admin/commission", s.ord.APICommission, adm)
	api.PUT("/admin/commission", s.ord.APISetCommission, adm)
	api.GET("/admin/shipping-rates", s.ord.APIShippingRates, adm)
	api.PUT("/admin/shipping-rates", s.ord.APISetShippingRates, adm)
	api.GET("/admin/payment-issues", s.ord.APIPaymentIssues, adm)
	api.GET("/admin/provider-calls", s.ord.APIProviderCalls, adm)
	api.POST("/admin/provider-calls/:id/retry", s.ord.APIRetryProviderCall, adm)
	api.POST("/admin/orders/:code/confirm-payment", s.ord.APIConfirmPayment, adm)
	api.GET("/admin/payouts/balances", s.ord.APIBalances, adm)
	api.POST("/admin/payouts", s.ord.APIRecordPayout, adm)
	api.GET("/admin/payouts.csv", s.ord.PayoutCSV, adm)

	pages.GET("/cart", s.ord.CartPage)
	pages.POST("/cart/items", s.ord.CartAdd)
	pages.POST("/cart/items/:variant_id", s.ord.CartSet)
	pages.GET("/checkout", s.ord.CheckoutPage, kit.RequireUser)
	pages.GET("/checkout/communes", s.ord.CheckoutCommunes)
	pages.POST("/checkout", s.ord.Checkout, kit.RequireUser)
	pages.GET("/orders/:code", s.ord.OrderPage, kit.RequireUser)
	pages.GET("/orders/:code/status", s.ord.OrderStatus, kit.RequireUser)
	pages.GET("/orders/:code/qr.png", s.ord.OrderQR, kit.RequireUser)
	pages.POST("/orders/:code/cancel", s.ord.OrderCancel, kit.RequireUser)
	pages.POST("/orders/:code/pay", s.ord.OrderPay, kit.RequireUser)
	pages.GET("/account/orders", s.ord.AccountOrders, kit.RequireUser)

	portal.GET("/orders", s.ord.PortalOrders)
	portal.POST("/orders/:code/:action", s.ord.PortalAct)
	portal.GET("/ledger", s.ord.PortalLedger)

	admin.GET("/settings", s.ord.AdminSettings)
	admin.POST("/settings/commission", s.ord.AdminSetCommission)
	admin.POST("/settings/shipping", s.ord.AdminSetShipping)
	admin.GET("/payments", s.ord.AdminPayments)
	admin.POST("/payments/confirm", s.ord.AdminConfirmPayment)
	admin.POST("/payments/issues/:id/resolve", s.ord.AdminResolveIssue)
	admin.POST("/payments/calls/:id/retry", s.ord.AdminRetryCall)
	admin.GET("/payouts", s.ord.AdminPayouts)
	admin.POST("/payouts", s.ord.AdminRecordPayout)
	admin.GET("/payouts.csv", s.ord.PayoutCSV)
}
