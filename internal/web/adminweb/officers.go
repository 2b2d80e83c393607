package adminweb

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/kit"
)

// Officers of an authority: an admin creates a province's officers, at the
// province or at one of its communes, or a central officer. With the
// authority's name and go-live day, this onboards a province without code.

type officerRequest struct {
	Email        string `json:"email" form:"email" validate:"required,email,max=254"`
	Name         string `json:"name" form:"name" validate:"required,max=200"`
	Password     string `json:"password" form:"password" validate:"required,min=8,max=200"`
	Level        string `json:"level" form:"level" validate:"required,oneof=central province commune"`
	ProvinceCode string `json:"province_code" form:"province_code" validate:"max=4"`
	CommuneCode  string `json:"commune_code" form:"commune_code" validate:"max=10"`
}

type officerJSON struct {
	ID           int64  `json:"id"`
	Email        string `json:"email"`
	Name         string `json:"name"`
	Level        string `json:"level"`
	ProvinceCode string `json:"province_code,omitempty"`
	CommuneCode  string `json:"commune_code,omitempty"`
}

func (h *Handlers) createOfficer(c echo.Context, req officerRequest) (officerJSON, error) {
	u, err := h.Registry.CreateOfficer(c.Request().Context(), kit.UserOf(c), registry.OfficerInput{Email: req.Email, Name: req.Name,
		Password: req.Password, Level: account.OfficerLevel(req.Level), ProvinceCode: req.ProvinceCode, CommuneCode: req.CommuneCode})
	if err != nil {
		return officerJSON{}, err
	}
	out := officerJSON{ID: u.ID, Email: u.Email, Name: u.Name, Level: string(u.OfficerLevel)}
	if u.OfficerProvinceCode != nil {
		out.ProvinceCode = *u.OfficerProvinceCode
	}
	if u.OfficerCommuneCode != nil {
		out.CommuneCode = *u.OfficerCommuneCode
	}
	return out, nil
}

// APICreateOfficer creates an officer of a province, a commune or the central level.
func (h *Handlers) APICreateOfficer(c echo.Context) error {
	var req officerRequest
	if err := h.BindJSON(c, &req); err != nil {
		return err
	}
	out, err := h.createOfficer(c, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

// CreateOfficer is the page form of APICreateOfficer, on the authorities page.
func (h *Handlers) CreateOfficer(c echo.Context) error {
	var req officerRequest
	if err := h.BindForm(c, &req); err != nil {
		return err
	}
	if _, err := h.createOfficer(c, req); err != nil {
		return err
	}
	h.Flash(c, "admin.officers.created")
	return c.Redirect(http.StatusSeeOther, "/admin/authorities")
}
