package orderweb

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/internal/web/kit"
)

// addressRequest is an address book entry as JSON or as a page form. The
// rules (required fields, phone, commune of the province, lengths) are the
// service's (order.CheckAddress), so the API, the page and the checkout's
// "save this address" apply the same ones.
type addressRequest struct {
	RecipientName string `json:"recipient_name" form:"recipient_name"`
	Phone         string `json:"phone" form:"phone"`
	ProvinceCode  string `json:"province_code" form:"province_code"`
	CommuneCode   string `json:"commune_code" form:"commune_code"`
	Street        string `json:"street" form:"street"`
	IsDefault     bool   `json:"is_default" form:"is_default"`
}

func (r addressRequest) address() order.Address {
	return order.Address{RecipientName: r.RecipientName, Phone: r.Phone, ProvinceCode: r.ProvinceCode, CommuneCode: r.CommuneCode, Street: r.Street}
}

// addressJSON is a saved address with its commune and province names.
type savedAddressJSON struct {
	order.SavedAddress
	CommuneName  string `json:"commune_name"`
	ProvinceName string `json:"province_name"`
}

// named adds commune and province names to saved addresses (two queries
// whatever their number).
func (h *Handlers) named(c echo.Context, as []order.SavedAddress) ([]savedAddressJSON, error) {
	ctx := c.Request().Context()
	codes := make([]string, len(as))
	for i, a := range as {
		codes[i] = a.CommuneCode
	}
	communes, err := h.Regions.CommunesByCode(ctx, codes)
	if err != nil {
		return nil, err
	}
	provinces, err := h.Regions.ProvincesByCode(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]savedAddressJSON, 0, len(as))
	for _, a := range as {
		out = append(out, savedAddressJSON{SavedAddress: a, CommuneName: communes[a.CommuneCode].FullName, ProvinceName: provinces[a.ProvinceCode].FullName})
	}
	return out, nil
}

// APIAddresses lists the caller's address book.
func (h *Handlers) APIAddresses(c echo.Context) error {
	as, err := h.Orders.Addresses(c.Request().Context(), kit.UserOf(c).ID)
	if err != nil {
		return err
	}
	out, err := h.named(c, as)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"addresses": out})
}

// APIAddress is one of the caller's saved addresses; anyone else's is a 404.
func (h *Handlers) APIAddress(c echo.Context) error {
	a, err := h.Orders.SavedAddressByCode(c.Request().Context(), kit.UserOf(c).ID, c.Param("code"))
	if err != nil {
		return err
	}
	return h.sendAddress(c, http.StatusOK, a)
}

func (h *Handlers) sendAddress(c echo.Context, status int, a order.SavedAddress) error {
	out, err := h.named(c, []order.SavedAddress{a})
	if err != nil {
		return err
	}
	return c.JSON(status, out[0])
}

// APISaveAddress adds an address (POST) or changes one (PUT .../{code}).
func (h *Handlers) APISaveAddress(c echo.Context) error {
	var req addressRequest
	if err := h.BindJSON(c, &req); err != nil {
		return err
	}
	code, status := c.Param("code"), http.StatusOK
	if code == "" {
		status = http.StatusCreated
	}
	a, err := h.Orders.SaveAddress(c.Request().Context(), kit.UserOf(c).ID, code, req.address(), req.IsDefault)
	if err != nil {
		return err
	}
	return h.sendAddress(c, status, a)
}

// APIDeleteAddress removes one of the caller's saved addresses.
func (h *Handlers) APIDeleteAddress(c echo.Context) error {
	if err := h.Orders.DeleteAddress(c.Request().Context(), kit.UserOf(c).ID, c.Param("code")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// APIDefaultAddress makes one of the caller's saved addresses the default.
func (h *Handlers) APIDefaultAddress(c echo.Context) error {
	a, err := h.Orders.SetDefaultAddress(c.Request().Context(), kit.UserOf(c).ID, c.Param("code"))
	if err != nil {
		return err
	}
	return h.sendAddress(c, http.StatusOK, a)
}

// addressesView is the address book page: the entries, and the form to
// add one (or, on /account/addresses/{code}, to change that one).
type addressesView struct {
	Addresses []savedAddressJSON
	Editing   string // code of the entry the form changes; "" adds
	Form      addressRequest
	Errors    map[string]string
	Error     string
	ErrorData map[string]any
	Provinces []region.Province
	Communes  []region.Commune
}

func (h *Handlers) renderAddresses(c echo.Context, status int, v addressesView) error {
	ctx := c.Request().Context()
	as, err := h.Orders.Addresses(ctx, kit.UserOf(c).ID)
	if err != nil {
		return err
	}
	if v.Addresses, err = h.named(c, as); err != nil {
		return err
	}
	if v.Provinces, err = h.Regions.Provinces(ctx); err != nil {
		return err
	}
	if v.Form.ProvinceCode != "" {
		if v.Communes, err = h.Regions.Communes(ctx, v.Form.ProvinceCode); err != nil {
			return err
		}
	}
	return h.Render(c, status, "addresses", v)
}

// AddressesPage is the shopper's address book with the form to add one;
// the first one is prefilled with the account's name.
func (h *Handlers) AddressesPage(c echo.Context) error {
	return h.renderAddresses(c, http.StatusOK, addressesView{Form: addressRequest{RecipientName: kit.UserOf(c).Name}})
}

// AddressEditPage is the address book with the form filled with one entry.
func (h *Handlers) AddressEditPage(c echo.Context) error {
	a, err := h.Orders.SavedAddressByCode(c.Request().Context(), kit.UserOf(c).ID, c.Param("code"))
	if err != nil {
		return err
	}
	f := addressRequest{RecipientName: a.RecipientName, Phone: a.Phone, ProvinceCode: a.ProvinceCode, CommuneCode: a.CommuneCode, Street: a.Street, IsDefault: a.IsDefault}
	return h.renderAddresses(c, http.StatusOK, addressesView{Editing: a.Code, Form: f})
}

// AddressSave adds (POST /account/addresses) or changes (POST
// /account/addresses/{code}) an entry. An invalid one re-renders the form
// with the values kept and each error beside its field.
func (h *Handlers) AddressSave(c echo.Context) error {
	var f addressRequest
	if err := h.BindForm(c, &f); err != nil {
		return err
	}
	code := c.Param("code")
	_, err := h.Orders.SaveAddress(c.Request().Context(), kit.UserOf(c).ID, code, f.address(), f.IsDefault)
	if err == nil {
		h.Flash(c, "address.saved")
		return c.Redirect(http.StatusSeeOther, "/account/addresses")
	}
	v := addressesView{Editing: code, Form: f}
	if ve := kit.FormErrors(err); ve != nil {
		v.Errors = ve
		return h.renderAddresses(c, http.StatusBadRequest, v)
	}
	if r := errs.Reason(err); r != "" && kit.StatusOf(err) < 500 {
		v.Error, v.ErrorData = r, errs.ReasonData(err)
		return h.renderAddresses(c, kit.StatusOf(err), v)
	}
	return err
}

// AddressDeletePage asks before deleting an entry (a page, so that it
// works without JavaScript).
func (h *Handlers) AddressDeletePage(c echo.Context) error {
	a, err := h.Orders.SavedAddressByCode(c.Request().Context(), kit.UserOf(c).ID, c.Param("code"))
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "confirm", confirmView{Title: "address.delete_title", Question: "address.delete_question",
		Subject: a.RecipientName + " · " + a.Street, Action: "/account/addresses/" + a.Code + "/delete", Button: "address.delete", Back: "/account/addresses"})
}

// AddressDelete removes an entry.
func (h *Handlers) AddressDelete(c echo.Context) error {
	if err := h.Orders.DeleteAddress(c.Request().Context(), kit.UserOf(c).ID, c.Param("code")); err != nil {
		return err
	}
	h.Flash(c, "address.deleted")
	return c.Redirect(http.StatusSeeOther, "/account/addresses")
}

// AddressDefault makes an entry the default.
func (h *Handlers) AddressDefault(c echo.Context) error {
	if _, err := h.Orders.SetDefaultAddress(c.Request().Context(), kit.UserOf(c).ID, c.Param("code")); err != nil {
		return err
	}
	h.Flash(c, "address.saved")
	return c.Redirect(http.StatusSeeOther, "/account/addresses")
}

// confirmView is the "are you sure?" page of a destructive action: the
// message keys, what it acts on, where the form posts and where "back" goes.
type confirmView struct {
	Title, Question, Subject, Action, Button, Back string
}
