package web

import (
	"io"
	"net/http"

	"github.com/labstack/echo/v4"
)

// webhookBank receives a signed bank-transfer notification (see
// payment.BankWebhook for the header and body).
func (s *Server) webhookBank(c echo.Context) error {
	body, err := io.ReadAll(c.Request().Body) // the raw bytes: the signature covers them exactly
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "the body could not be read")
	}
	h := c.Request().Header
	out, err := s.paySvc.BankWebhook(c.Request().Context(), body, h.Get("X-OCOP-Timestamp"), h.Get("X-OCOP-Signature"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"outcome": out})
}

// webhookStripe receives a Stripe event, verified on the raw body.
func (s *Server) webhookStripe(c echo.Context) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "the body could not be read")
	}
	out, err := s.paySvc.StripeWebhook(c.Request().Context(), body, c.Request().Header.Get("Stripe-Signature"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"outcome": out})
}
