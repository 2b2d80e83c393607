package catalogweb

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/internal/web/kit"
)

type homeView struct {
	Featured  []cardView
	Newest    []cardView
	Groups    []catalog.Group
	Producers []producer.Producer
}

// Home is the storefront's front page: featured 4★ and 5★ products, the
// product groups, the province's producers and what the stars mean.
func (h *Handlers) Home(c echo.Context) error {
	ctx := c.Request().Context()
	var v homeView
	featured, err := h.Catalog.Search(ctx, catalog.Query{MinStars: 4, Sort: catalog.SortStars, Limit: 8})
	if err != nil {
		return err
	}
	fc, err := h.cards(ctx, featured.Cards)
	if err != nil {
		return err
	}
	v.Featured = withLang(kit.LangOf(c), fc)
	newest, err := h.Catalog.Search(ctx, catalog.Query{Sort: catalog.SortNewest, Limit: 8})
	if err != nil {
		return err
	}
	nc, err := h.cards(ctx, newest.Cards)
	if err != nil {
		return err
	}
	v.Newest = withLang(kit.LangOf(c), nc)
	gs, err := h.Catalog.Groups(ctx)
	if err != nil {
		return err
	}
	for _, g := range gs {
		if g.Level == 1 {
			v.Groups = append(v.Groups, g)
		}
	}
	if v.Producers, err = h.Producers.Approved(ctx, region.LangSon, 24); err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "home", v)
}
