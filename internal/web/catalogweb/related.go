package catalogweb

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/web/kit"
)

// maxRelated is how many products of the same group a product page shows.
const maxRelated = 4

// RelatedProducts is the product page's "same group" cards, a fragment htmx
// loads when the visitor scrolls to it (hx-trigger="revealed"). The page
// itself carries only a link to the group's list, which is what a visitor
// without script follows: the cards were a quarter of every page view's
// bytes, for a part of the page most visitors never reach. Cached per
// language and product like the page; an unknown product is 404.
func (h *Handlers) RelatedProducts(c echo.Context) error {
	ctx := c.Request().Context()
	lang := kit.LangOf(c)
	slug := c.Param("slug")
	html, err := kit.Cached(h.Cache, ctx, "related:"+lang+":"+slug, func(ctx context.Context) (string, error) {
		pp, err := h.publicProduct(ctx, slug)
		if err != nil {
			return "", err
		}
		found, err := h.Catalog.Search(ctx, catalog.Query{Group: pp.Product.GroupCode, Sort: catalog.SortNewest,
			ExcludeID: pp.Product.ID, Limit: maxRelated})
		if err != nil {
			return "", err
		}
		cards, err := h.cards(ctx, found.Cards)
		if err != nil {
			return "", err
		}
		v := relatedView{GroupCode: pp.Product.GroupCode}
		for _, r := range cards {
			v.Cards = append(v.Cards, cardView{productCardJSON: r, Lang: lang})
		}
		return h.Pages.RenderBlock("product", "related-cards", kit.Page{Lang: lang, Data: v})
	})
	if err != nil {
		return err
	}
	return kit.Blob(c, http.StatusOK, echo.MIMETextHTMLCharsetUTF8, []byte(html))
}

// relatedView is what the related-cards block shows.
type relatedView struct {
	GroupCode string
	Cards     []cardView
}
