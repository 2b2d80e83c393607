// Package webhookweb serves the admin's outgoing webhooks page
// /admin/webhooks: register a URL for some event kinds (its signing secret
// is shown once), list them, disable one.
package webhookweb

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/web/kit"
	"github.com/chocop/ocop/internal/webhook"
)

// Handlers are the webhook handlers.
type Handlers struct {
	*kit.Kit
	Webhooks *webhook.Service
}

type pageView struct {
	Endpoints []webhook.Endpoint
	Created   *webhook.Endpoint // just registered: its secret is shown this once
}

// Page lists the endpoints.
func (h *Handlers) Page(c echo.Context) error { return h.render(c, nil) }

func (h *Handlers) render(c echo.Context, created *webhook.Endpoint) error {
	eps, err := h.Webhooks.List(c.Request().Context())
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "admin_webhooks", pageView{Endpoints: eps, Created: created})
}

type registerForm struct {
	URL   string `form:"url"`
	Kinds string `form:"kinds"`
}

// Register records an endpoint and shows its secret once. The answer is the
// page itself, not a redirect, so the secret is never stored anywhere else.
func (h *Handlers) Register(c echo.Context) error {
	var f registerForm
	if err := h.BindForm(c, &f); err != nil {
		return err
	}
	ep, err := h.Webhooks.Register(c.Request().Context(), kit.UserOf(c).ID, f.URL, f.Kinds)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store") // security: the page holds a secret
	return h.render(c, &ep)
}

// Disable stops deliveries to an endpoint.
func (h *Handlers) Disable(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("webhook %q: %w", c.Param("id"), errs.ErrNotFound)
	}
	if err := h.Webhooks.Disable(c.Request().Context(), kit.UserOf(c).ID, id); err != nil {
		return err
	}
	h.Flash(c, "flash.saved")
	return c.Redirect(http.StatusSeeOther, "/admin/webhooks")
}
