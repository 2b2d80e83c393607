package catalogweb

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/web/kit"
)

// ownProducer is the producer the signed-in user acts for. Every portal
// handler starts here, so no handler can reach another producer's rows.
func (h *Handlers) ownProducer(c echo.Context) (producer.Producer, error) {
	return h.Producers.OfUser(c.Request().Context(), kit.UserOf(c).ID)
}

// profileJSON is a producer's own profile, with the private fields.
type profileJSON struct {
	producerJSON
	Street      string `json:"street"`
	Phone       string `json:"phone"`
	Email       string `json:"email"`
	Status      string `json:"status"`
	BankBIN     string `json:"bank_bin"`
	BankAccount string `json:"bank_account"`
	BankHolder  string `json:"bank_holder"`
}

func (h *Handlers) profileOf(ctx context.Context, p producer.Producer, lang string) (profileJSON, error) {
	out := profileJSON{producerJSON: h.producerRef(p, lang), Street: p.Street, Phone: p.Phone, Email: p.Email,
		Status: string(p.Status), BankBIN: p.BankBIN, BankAccount: p.BankAccount, BankHolder: p.BankHolder}
	var err error
	if out.Place, err = h.place(ctx, p, lang); err != nil {
		return out, err
	}
	photos, err := h.Photos.OfProducer(ctx, p.ID)
	for _, ph := range photos {
		out.Photos = append(out.Photos, photoURLs(ph.Key, ph.Width, ph.Height))
	}
	return out, err
}

// APIPortalProfile is the signed-in producer's own profile, private fields included.
func (h *Handlers) APIPortalProfile(c echo.Context) error {
	p, err := h.ownProducer(c)
	if err != nil {
		return err
	}
	out, err := h.profileOf(c.Request().Context(), p, kit.LangOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// APIPortalUpdateProfile changes the producer's story, address, contact and bank account.
func (h *Handlers) APIPortalUpdateProfile(c echo.Context) error {
	var in catalog.ProfileInput
	if err := h.BindJSON(c, &in); err != nil {
		return err
	}
	p, err := h.ownProducer(c)
	if err != nil {
		return err
	}
	if p, err = h.Catalog.UpdateProfile(c.Request().Context(), p.ID, in); err != nil {
		return err
	}
	out, err := h.profileOf(c.Request().Context(), p, kit.LangOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// ownProductJSON builds a producer's view of their product: any status,
// with the badge and its expiry warning.
func (h *Handlers) ownProductJSON(ctx context.Context, pr producer.Producer, p catalog.Product) (productJSON, error) {
	out, err := h.fullProduct(ctx, p, producerRefJSON{Slug: pr.Slug, Name: pr.LegalName, ProvinceCode: pr.ProvinceCode})
	out.Status = string(p.Status)
	return out, err
}

// APIPortalProducts lists the producer's own products in every status.
func (h *Handlers) APIPortalProducts(c echo.Context) error {
	ctx := c.Request().Context()
	pr, err := h.ownProducer(c)
	if err != nil {
		return err
	}
	ps, err := h.Catalog.OwnList(ctx, pr.ID)
	if err != nil {
		return err
	}
	items := []productJSON{}
	for _, p := range ps {
		j, err := h.ownProductJSON(ctx, pr, p)
		if err != nil {
			return err
		}
		items = append(items, j)
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// APIPortalProduct is one of the producer's own products; another's is a 404.
func (h *Handlers) APIPortalProduct(c echo.Context) error {
	ctx := c.Request().Context()
	pr, err := h.ownProducer(c)
	if err != nil {
		return err
	}
	p, err := h.Catalog.Own(ctx, pr.ID, c.Param("slug"))
	if err != nil {
		return err
	}
	out, err := h.ownProductJSON(ctx, pr, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// APIPortalCreateProduct adds a product (a draft) with its variants.
func (h *Handlers) APIPortalCreateProduct(c echo.Context) error {
	return h.apiPortalSaveProduct(c, "")
}

// APIPortalUpdateProduct replaces one of the producer's products and its variants.
func (h *Handlers) APIPortalUpdateProduct(c echo.Context) error {
	return h.apiPortalSaveProduct(c, c.Param("slug"))
}

func (h *Handlers) apiPortalSaveProduct(c echo.Context, slug string) error {
	var in catalog.ProductInput
	if err := h.BindJSON(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	pr, err := h.ownProducer(c)
	if err != nil {
		return err
	}
	var p catalog.Product
	status := http.StatusOK
	if slug == "" {
		p, err = h.Catalog.Create(ctx, pr.ID, in)
		status = http.StatusCreated
	} else {
		p, err = h.Catalog.Update(ctx, pr.ID, slug, in)
	}
	if err != nil {
		return err
	}
	out, err := h.ownProductJSON(ctx, pr, p)
	if err != nil {
		return err
	}
	return c.JSON(status, out)
}

// APIPortalStatus is the handler that moves one of the producer's products to status to.
func (h *Handlers) APIPortalStatus(to catalog.ProductStatus) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		pr, err := h.ownProducer(c)
		if err != nil {
			return err
		}
		p, err := h.Catalog.SetStatus(ctx, pr.ID, c.Param("slug"), to)
		if err != nil {
			return err
		}
		out, err := h.ownProductJSON(ctx, pr, p)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, out)
	}
}

// APIPortalAddPhoto takes the image as the raw request body (any declared
// type: the content decides) for a product, or for the profile when the
// route has no slug.
func (h *Handlers) APIPortalAddPhoto(c echo.Context) error {
	ctx := c.Request().Context()
	pr, err := h.ownProducer(c)
	if err != nil {
		return err
	}
	ph, err := h.Photos.Add(ctx, pr.ID, c.Param("slug"), c.Request().Body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, photoURLs(ph.Key, ph.Width, ph.Height))
}
