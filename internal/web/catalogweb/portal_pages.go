package catalogweb

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/internal/web/kit"
)

// portalProductsView lists a producer's own listings with their badges.
type portalProductsView struct {
	Producer producer.Producer
	Items    []productJSON
	Warnings int
}

// ownProducts is every listing of pr with today's badge, and how many
// Badges expire within BadgeWarnDays.
func (h *Handlers) ownProducts(ctx context.Context, pr producer.Producer) ([]productJSON, int, error) {
	ps, err := h.Catalog.OwnList(ctx, pr.ID)
	if err != nil {
		return nil, 0, err
	}
	var out []productJSON
	warn := 0
	for _, p := range ps {
		j, err := h.ownProductJSON(ctx, pr, p)
		if err != nil {
			return nil, 0, err
		}
		if j.Badge != nil && j.Badge.ExpiresSoon {
			warn++
		}
		out = append(out, j)
	}
	return out, warn, nil
}

// PortalProductsPage lists the producer's own listings with their badges.
func (h *Handlers) PortalProductsPage(c echo.Context) error {
	pr, err := h.ownProducer(c)
	if err != nil {
		return err
	}
	items, warn, err := h.ownProducts(c.Request().Context(), pr)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "portal_products", portalProductsView{Producer: pr, Items: items, Warnings: warn})
}

// productFormView is the create/edit form.
type productFormView struct {
	Slug     string
	Status   string
	In       catalog.ProductInput
	Rows     []catalog.VariantInput
	Groups   []catalog.Group
	Communes []region.Commune
	Photos   []photoJSON
	Badge    *badgeJSON
}

// variantRows is how many variant rows the form offers.
const variantRows = 4

func (h *Handlers) productForm(c echo.Context, pr producer.Producer, v productFormView) (productFormView, error) {
	ctx := c.Request().Context()
	var err error
	if v.Groups, err = h.Catalog.LeafGroups(ctx); err != nil { // only leaves may be chosen
		return v, err
	}
	if v.Communes, err = h.Regions.Communes(ctx, pr.ProvinceCode); err != nil {
		return v, err
	}
	v.Rows = append([]catalog.VariantInput{}, v.In.Variants...)
	for len(v.Rows) < variantRows {
		v.Rows = append(v.Rows, catalog.VariantInput{})
	}
	return v, nil
}

// PortalNewProductPage is the empty product form.
func (h *Handlers) PortalNewProductPage(c echo.Context) error {
	pr, err := h.ownProducer(c)
	if err != nil {
		return err
	}
	v, err := h.productForm(c, pr, productFormView{In: catalog.ProductInput{OriginCommuneCode: pr.CommuneCode}})
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "portal_product_form", v)
}

// PortalEditProductPage is the form of one of the producer's products, with photos and badge.
func (h *Handlers) PortalEditProductPage(c echo.Context) error {
	ctx := c.Request().Context()
	pr, err := h.ownProducer(c)
	if err != nil {
		return err
	}
	p, err := h.Catalog.Own(ctx, pr.ID, c.Param("slug"))
	if err != nil {
		return err
	}
	full, err := h.ownProductJSON(ctx, pr, p)
	if err != nil {
		return err
	}
	in := catalog.ProductInput{Name: p.Name, NameEn: p.NameEn, Description: p.Description, DescriptionEn: p.DescriptionEn,
		Story: p.Story, StoryEn: p.StoryEn, GroupCode: p.GroupCode, Unit: p.Unit}
	if p.OriginCommuneCode != nil {
		in.OriginCommuneCode = *p.OriginCommuneCode
	}
	for _, x := range p.Variants {
		in.Variants = append(in.Variants, catalog.VariantInput{SKU: x.SKU, Name: x.Name, Price: x.Price, Stock: x.Stock, WeightGrams: x.WeightGrams})
	}
	v, err := h.productForm(c, pr, productFormView{Slug: p.Slug, Status: string(p.Status), In: in, Photos: full.Photos, Badge: full.Badge})
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "portal_product_form", v)
}

// readProductForm reads the product form. Variant rows are parallel
// repeated fields (sku, variant_name, price, stock, weight); fully empty
// rows are skipped, a row with anything in it must be complete.
func readProductForm(c echo.Context) (catalog.ProductInput, map[string]string, error) {
	f, err := c.FormParams()
	if err != nil {
		return catalog.ProductInput{}, nil, echo.NewHTTPError(http.StatusBadRequest, "the form could not be read")
	}
	in := catalog.ProductInput{Name: f.Get("name"), NameEn: f.Get("name_en"), Description: f.Get("description"),
		DescriptionEn: f.Get("description_en"), Story: f.Get("story"), StoryEn: f.Get("story_en"),
		GroupCode: f.Get("group_code"), OriginCommuneCode: f.Get("origin_commune_code"), Unit: f.Get("unit")}
	bad := map[string]string{}
	at := func(name string, i int) string {
		if vs := f[name]; i < len(vs) {
			return strings.TrimSpace(vs[i])
		}
		return ""
	}
	num := func(name string, i int) int64 {
		raw := strings.NewReplacer(".", "", " ", "", ",", "").Replace(at(name, i))
		if raw == "" {
			return 0
		}
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			bad["variants["+strconv.Itoa(i)+"]."+name] = "validation.type"
		}
		return n
	}
	for i := 0; i < len(f["sku"]) && i < catalog.MaxVariants; i++ {
		row := catalog.VariantInput{SKU: at("sku", i), Name: at("variant_name", i), Price: num("price", i), Stock: num("stock", i),
			WeightGrams: int(num("weight_grams", i))}
		if row == (catalog.VariantInput{}) {
			continue
		}
		in.Variants = append(in.Variants, row)
	}
	return in, bad, nil
}

// PortalCreateProduct saves the new-product form.
func (h *Handlers) PortalCreateProduct(c echo.Context) error { return h.portalSaveProduct(c, "") }

// PortalUpdateProduct saves the edit form of one of the producer's products.
func (h *Handlers) PortalUpdateProduct(c echo.Context) error {
	return h.portalSaveProduct(c, c.Param("slug"))
}

func (h *Handlers) portalSaveProduct(c echo.Context, slug string) error {
	ctx := c.Request().Context()
	pr, err := h.ownProducer(c)
	if err != nil {
		return err
	}
	in, bad, err := readProductForm(c)
	if err != nil {
		return err
	}
	if slug != "" {
		// An edit of a product that is not the producer's is 404 before anything is read back.
		if _, err := h.Catalog.Own(ctx, pr.ID, slug); err != nil {
			return err
		}
	}
	if len(bad) > 0 {
		ve := &errs.ValidationError{}
		for f, m := range bad {
			ve.Fields = append(ve.Fields, errs.FieldError{Field: f, Message: m})
		}
		err = ve
	} else if err = h.Valid.Struct(&in); err == nil {
		var p catalog.Product
		if slug == "" {
			p, err = h.Catalog.Create(ctx, pr.ID, in)
		} else {
			p, err = h.Catalog.Update(ctx, pr.ID, slug, in)
		}
		if err == nil {
			h.Flash(c, "flash.saved")
			return c.Redirect(http.StatusSeeOther, "/portal/products/"+p.Slug)
		}
	}
	// The form again, as it was typed, with each error beside its field.
	if slug == "" {
		return kit.RenderForm(c, err, h.PortalNewProductPage)
	}
	return kit.RenderForm(c, err, h.PortalEditProductPage)
}

type statusFormIn struct {
	To string `form:"to" validate:"required,oneof=published unpublished archived"`
}

// PortalProductStatus publishes, unpublishes or archives one of the producer's products.
func (h *Handlers) PortalProductStatus(c echo.Context) error {
	var f statusFormIn
	if err := h.BindForm(c, &f); err != nil {
		return kit.RenderForm(c, err, h.PortalEditProductPage)
	}
	pr, err := h.ownProducer(c)
	if err != nil {
		return err
	}
	p, err := h.Catalog.SetStatus(c.Request().Context(), pr.ID, c.Param("slug"), catalog.ProductStatus(f.To))
	if err != nil {
		return kit.RenderForm(c, err, h.PortalEditProductPage)
	}
	h.Flash(c, "flash.saved")
	return c.Redirect(http.StatusSeeOther, "/portal/products/"+p.Slug)
}

// PortalAddPhoto takes a multipart upload (field "photo") for a product or the profile.
func (h *Handlers) PortalAddPhoto(c echo.Context) error {
	pr, err := h.ownProducer(c)
	if err != nil {
		return err
	}
	fh, err := c.FormFile("photo")
	if err != nil {
		return h.photoRefused(c, c.Param("slug"), errs.Invalid("photo", "validation.required"))
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	slug := c.Param("slug")
	if _, err := h.Photos.Add(c.Request().Context(), pr.ID, slug, f); err != nil {
		return h.photoRefused(c, slug, err)
	}
	h.Flash(c, "flash.saved")
	if slug == "" {
		return c.Redirect(http.StatusSeeOther, "/portal/profile")
	}
	return c.Redirect(http.StatusSeeOther, "/portal/products/"+slug)
}

// photoRefused shows the page the photo form is on again (the product's,
// or the profile) with what was wrong beside the photo field.
func (h *Handlers) photoRefused(c echo.Context, slug string, err error) error {
	if slug == "" {
		return kit.RenderForm(c, err, h.PortalProfilePage)
	}
	return kit.RenderForm(c, err, h.PortalEditProductPage)
}

type profileFormView struct {
	Profile  profileJSON
	In       catalog.ProfileInput
	Errors   map[string]string
	Communes []region.Commune
	Banks    []region.Bank
}

func (h *Handlers) profileForm(c echo.Context, pr producer.Producer, v profileFormView) (profileFormView, error) {
	ctx := c.Request().Context()
	var err error
	if v.Profile, err = h.profileOf(ctx, pr, kit.LangOf(c)); err != nil {
		return v, err
	}
	if v.Communes, err = h.Regions.Communes(ctx, pr.ProvinceCode); err != nil {
		return v, err
	}
	v.Banks, err = h.Regions.Banks(ctx)
	return v, err
}

// PortalProfilePage is the producer's profile form.
func (h *Handlers) PortalProfilePage(c echo.Context) error {
	pr, err := h.ownProducer(c)
	if err != nil {
		return err
	}
	in := catalog.ProfileInput{Story: pr.Story, Street: pr.Street, CommuneCode: pr.CommuneCode, Phone: pr.Phone, Email: pr.Email,
		BankBIN: pr.BankBIN, BankAccount: pr.BankAccount, BankHolder: pr.BankHolder}
	v, err := h.profileForm(c, pr, profileFormView{In: in})
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "portal_profile", v)
}

// PortalSaveProfile saves the profile form; invalid input shows the form again with each problem.
func (h *Handlers) PortalSaveProfile(c echo.Context) error {
	pr, err := h.ownProducer(c)
	if err != nil {
		return err
	}
	var in catalog.ProfileInput
	err = h.BindForm(c, &in)
	if err == nil {
		if _, err = h.Catalog.UpdateProfile(c.Request().Context(), pr.ID, in); err == nil {
			h.Flash(c, "flash.saved")
			return c.Redirect(http.StatusSeeOther, "/portal/profile")
		}
	}
	if _, ok := errs.AsValidation(err); !ok {
		return err
	}
	v, ferr := h.profileForm(c, pr, profileFormView{In: in, Errors: kit.FormErrors(err)})
	if ferr != nil {
		return ferr
	}
	return h.Render(c, http.StatusBadRequest, "portal_profile", v)
}
