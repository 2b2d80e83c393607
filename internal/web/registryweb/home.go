package registryweb

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/kit"
)

type registryView struct {
	Central      bool
	ProvinceName string
	Overview     registry.Overview
	Stars        []int
	Statuses     []string
}

// Home is an officer's start page: the province's OCOP economy at a
// glance (valid certificates by star, expiries, the queue), scoped to their
// province (or every province for the central level).
func (h *Handlers) Home(c echo.Context) error {
	ctx := c.Request().Context()
	u := kit.UserOf(c)
	if u.IsCommuneOfficer() {
		// A commune's work is its queue of proposals; the province's figures are not theirs.
		return c.Redirect(http.StatusSeeOther, "/registry/applications")
	}
	v := registryView{Central: u.IsCentralOfficer(), Stars: []int{5, 4, 3}, Statuses: []string{"submitted", "proposed", "scored", "forwarded", "decided"}}
	code := ""
	if !v.Central && u.OfficerProvinceCode != nil {
		code = *u.OfficerProvinceCode
		pr, err := h.Regions.Province(ctx, code)
		if err != nil {
			return err
		}
		v.ProvinceName = pr.FullName
	}
	o, err := h.Registry.Overview(ctx, code)
	if err != nil {
		return err
	}
	v.Overview = o
	return h.Render(c, http.StatusOK, "registry", v)
}
