package catalogweb

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/web/kit"
)

type portalView struct {
	Producer *producer.Producer
	Address  string
	BankName string
	Items    []productJSON
	Warnings int
}

// PortalHome is a producer's start page: their own producer only, with
// each listing's OCOP badge and a warning for badges expiring within 90 days.
func (h *Handlers) PortalHome(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := h.Producers.OfUser(ctx, kit.UserOf(c).ID)
	if err != nil {
		return err
	}
	addr, err := h.address(c, p)
	if err != nil {
		return err
	}
	v := portalView{Producer: &p, Address: addr}
	if b, err := h.Regions.Bank(ctx, p.BankBIN); err == nil {
		v.BankName = b.ShortName
	}
	if v.Items, v.Warnings, err = h.ownProducts(ctx, p); err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "portal", v)
}

// address writes a producer's address as street, commune, province.
func (h *Handlers) address(c echo.Context, p producer.Producer) (string, error) {
	place, err := h.place(c.Request().Context(), p, kit.LangOf(c))
	if p.Street == "" || err != nil {
		return place, err
	}
	return p.Street + ", " + place, nil
}
