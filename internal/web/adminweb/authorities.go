package adminweb

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/kit"
)

// Issuing authorities: an admin records each one's official name and a
// province's go-live day (imports must be dated before it). This is how a
// province is onboarded without code.

type authorityJSON struct {
	Key      string   `json:"key"` // province code, or "central"
	Level    string   `json:"level"`
	Name     string   `json:"name"`
	GoLiveOn day.Date `json:"go_live_on"`
}

func authoritiesJSON(as []registry.Authority) []authorityJSON {
	out := make([]authorityJSON, 0, len(as))
	for _, a := range as {
		out = append(out, authorityJSON{Key: a.Key(), Level: string(a.Level), Name: a.Name, GoLiveOn: a.GoLiveOn})
	}
	return out
}

// APIAuthorities lists every issuing authority.
func (h *Handlers) APIAuthorities(c echo.Context) error {
	as, err := h.Registry.Authorities(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": authoritiesJSON(as)})
}

type authorityRequest struct {
	Name     string   `json:"name" validate:"required,max=200"`
	GoLiveOn day.Date `json:"go_live_on"`
}

// APISetAuthority records an authority's official name and go-live day.
func (h *Handlers) APISetAuthority(c echo.Context) error {
	var req authorityRequest
	if err := h.BindJSON(c, &req); err != nil {
		return err
	}
	a, err := h.Registry.SetAuthority(c.Request().Context(), kit.UserOf(c), c.Param("key"), registry.AuthorityUpdate{Name: req.Name, GoLiveOn: req.GoLiveOn})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, authoritiesJSON([]registry.Authority{a})[0])
}

type adminAuthoritiesView struct {
	Items []authorityJSON
}

// Authorities is the page listing authorities, one form per row.
func (h *Handlers) Authorities(c echo.Context) error {
	as, err := h.Registry.Authorities(c.Request().Context())
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "admin_authorities", adminAuthoritiesView{Items: authoritiesJSON(as)})
}

type authorityForm struct {
	Name     string `form:"name" validate:"required,max=200"`
	GoLiveOn string `form:"go_live_on" validate:"max=10"`
}

// SetAuthority is the page form of APISetAuthority; an empty go-live day clears it.
func (h *Handlers) SetAuthority(c echo.Context) error {
	var f authorityForm
	if err := h.BindForm(c, &f); err != nil {
		return kit.RenderForm(c, err, h.Authorities)
	}
	var d day.Date
	if v := strings.TrimSpace(f.GoLiveOn); v != "" {
		var err error
		if d, err = day.Parse(v); err != nil {
			return kit.RenderForm(c, errs.Invalid("go_live_on", "validation.type"), h.Authorities)
		}
	}
	if _, err := h.Registry.SetAuthority(c.Request().Context(), kit.UserOf(c), c.Param("key"), registry.AuthorityUpdate{Name: f.Name, GoLiveOn: d}); err != nil {
		return kit.RenderForm(c, err, h.Authorities)
	}
	h.Flash(c, "flash.saved")
	return c.Redirect(http.StatusSeeOther, "/admin/authorities")
}
