package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/web/kit"
)

// ownProducer is the producer the signed-in user acts for. Every portal
// handler starts here, so no handler can reach another producer's rows.
func (s *Server) ownProducer(c echo.Context) (producer.Producer, error) {
	return s.producers.OfUser(c.Request().Context(), kit.UserOf(c).ID)
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

func (s *Server) profileOf(ctx context.Context, p producer.Producer, lang string) (profileJSON, error) {
	out := profileJSON{producerJSON: s.producerRef(p, lang), Street: p.Street, Phone: p.Phone, Email: p.Email,
		Status: string(p.Status), BankBIN: p.BankBIN, BankAccount: p.BankAccount, BankHolder: p.BankHolder}
	out.Place = s.place(ctx, p, lang)
	photos, err := s.photos.OfProducer(ctx, p.ID)
	for _, ph := range photos {
		out.Photos = append(out.Photos, photoURLs(ph.Key, ph.Width, ph.Height))
	}
	return out, err
}

func (s *Server) apiPortalProfile(c echo.Context) error {
	p, err := s.ownProducer(c)
	if err != nil {
		return err
	}
	out, err := s.profileOf(c.Request().Context(), p, kit.LangOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) apiPortalUpdateProfile(c echo.Context) error {
	var in catalog.ProfileInput
	if err := s.BindJSON(c, &in); err != nil {
		return err
	}
	p, err := s.ownProducer(c)
	if err != nil {
		return err
	}
	if p, err = s.catalog.UpdateProfile(c.Request().Context(), p.ID, in); err != nil {
		return err
	}
	out, err := s.profileOf(c.Request().Context(), p, kit.LangOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// ownProductJSON builds a producer's view of their product: any status,
// with the badge and its expiry warning.
func (s *Server) ownProductJSON(ctx context.Context, pr producer.Producer, p catalog.Product) (productJSON, error) {
	out, err := s.fullProduct(ctx, p, producerRefJSON{Slug: pr.Slug, Name: pr.LegalName, ProvinceCode: pr.ProvinceCode})
	out.Status = string(p.Status)
	return out, err
}

func (s *Server) apiPortalProducts(c echo.Context) error {
	ctx := c.Request().Context()
	pr, err := s.ownProducer(c)
	if err != nil {
		return err
	}
	ps, err := s.catalog.OwnList(ctx, pr.ID)
	if err != nil {
		return err
	}
	items := []productJSON{}
	for _, p := range ps {
		j, err := s.ownProductJSON(ctx, pr, p)
		if err != nil {
			return err
		}
		items = append(items, j)
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

func (s *Server) apiPortalProduct(c echo.Context) error {
	ctx := c.Request().Context()
	pr, err := s.ownProducer(c)
	if err != nil {
		return err
	}
	p, err := s.catalog.Own(ctx, pr.ID, c.Param("slug"))
	if err != nil {
		return err
	}
	out, err := s.ownProductJSON(ctx, pr, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) apiPortalCreateProduct(c echo.Context) error {
	return s.apiPortalSaveProduct(c, "")
}

func (s *Server) apiPortalUpdateProduct(c echo.Context) error {
	return s.apiPortalSaveProduct(c, c.Param("slug"))
}

func (s *Server) apiPortalSaveProduct(c echo.Context, slug string) error {
	var in catalog.ProductInput
	if err := s.BindJSON(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	pr, err := s.ownProducer(c)
	if err != nil {
		return err
	}
	var p catalog.Product
	status := http.StatusOK
	if slug == "" {
		p, err = s.catalog.Create(ctx, pr.ID, in)
		status = http.StatusCreated
	} else {
		p, err = s.catalog.Update(ctx, pr.ID, slug, in)
	}
	if err != nil {
		return err
	}
	out, err := s.ownProductJSON(ctx, pr, p)
	if err != nil {
		return err
	}
	return c.JSON(status, out)
}

func (s *Server) apiPortalStatus(to catalog.ProductStatus) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		pr, err := s.ownProducer(c)
		if err != nil {
			return err
		}
		p, err := s.catalog.SetStatus(ctx, pr.ID, c.Param("slug"), to)
		if err != nil {
			return err
		}
		out, err := s.ownProductJSON(ctx, pr, p)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, out)
	}
}

// apiPortalAddPhoto takes the image as the raw request body (any declared
// type: the content decides) for a product, or for the profile when the
// route has no slug.
func (s *Server) apiPortalAddPhoto(c echo.Context) error {
	ctx := c.Request().Context()
	pr, err := s.ownProducer(c)
	if err != nil {
		return err
	}
	ph, err := s.photos.Add(ctx, pr.ID, c.Param("slug"), c.Request().Body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, photoURLs(ph.Key, ph.Width, ph.Height))
}

// media serves stored photos. Keys are random, so a photo never changes
// under its URL and can be cached for a year.
func (s *Server) media(c echo.Context) error {
	key := c.Param("*")
	if !strings.HasPrefix(key, "photos/") || strings.Contains(key, "..") ||
		!(strings.HasSuffix(key, "-card.jpg") || strings.HasSuffix(key, "-page.jpg")) {
		return echo.ErrNotFound
	}
	r, err := s.photos.Open(c.Request().Context(), key)
	if errors.Is(err, errs.ErrNotFound) {
		if img, ok := catalog.DemoPhoto(key); ok {
			c.Response().Header().Set("Cache-Control", "public, max-age=86400")
			return c.Blob(http.StatusOK, "image/jpeg", img)
		}
	}
	if err != nil {
		return err
	}
	defer r.Close()
	c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	return c.Stream(http.StatusOK, "image/jpeg", r)
}
