package orderweb

import (
	"io"
	"net/http"

	"github.com/labstack/echo/v4"
)

// WebhookBank receives a signed bank-transfer notification (see
// payment.BankWebhook for the header and body).
func (h *Handlers) WebhookBank(c echo.Context) error {
	body, err := io.ReadAll(c.Request().Body) // the raw bytes: the signature covers them exactly
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "the body could not be read")
	}
	hdr := c.Request().Header
	out, err := h.Payments.BankWebhook(c.Request().Context(), body, hdr.Get("X-OCOP-Timestamp"), hdr.Get("X-OCOP-Signature"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"outcome": out})
}

// WebhookStripe receives a Stripe event, verified on the raw body.
func (h *Handlers) WebhookStripe(c echo.Context) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "the body could not be read")
	}
	out, err := h.Payments.StripeWebhook(c.Request().Context(), body, c.Request().Header.Get("Stripe-Signature"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"outcome": out})
}
