package adminweb

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/internal/web/kit"
)

type adminView struct {
	Producers []producer.Producer
	Provinces map[string]region.Province // by code: the list names provinces, not codes
}

// Home lists producers for approval.
func (h *Handlers) Home(c echo.Context) error {
	ctx := c.Request().Context()
	ps, err := h.Producers.All(ctx, 500)
	if err != nil {
		return err
	}
	provinces, err := h.Regions.ProvincesByCode(ctx)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "admin", adminView{Producers: ps, Provinces: provinces})
}

type statusForm struct {
	From string `form:"from" validate:"required,oneof=pending approved suspended"`
}

// ApproveProducer lets a pending (or suspended) producer sell.
func (h *Handlers) ApproveProducer(c echo.Context) error {
	return h.moveProducer(c, producer.StatusApproved)
}

// SuspendProducer stops a producer from selling and applying; its members only read.
func (h *Handlers) SuspendProducer(c echo.Context) error {
	return h.moveProducer(c, producer.StatusSuspended)
}

// moveProducer changes a producer's status from the one the admin saw
// (compare-and-set): a stale page gets 409 and changes nothing.
func (h *Handlers) moveProducer(c echo.Context, to producer.Status) error {
	var f statusForm
	if err := h.BindForm(c, &f); err != nil {
		return kit.RenderForm(c, err, h.Home)
	}
	ctx := c.Request().Context()
	p, err := h.Producers.BySlug(ctx, c.Param("slug"))
	if err != nil {
		return kit.RenderForm(c, err, h.Home)
	}
	if err := h.Producers.SetStatus(ctx, p.ID, producer.Status(f.From), to); err != nil {
		return kit.RenderForm(c, err, h.Home)
	}
	h.Flash(c, "flash.saved")
	return c.Redirect(http.StatusSeeOther, "/admin")
}
