package authweb

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/web/kit"
)

type tokenRequest struct {
	Email    string `json:"email" validate:"required,email,max=254"`
	Password string `json:"password" validate:"required,max=200" trim:"-"`
}

type tokenResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

type registerRequest struct {
	Email    string `json:"email" validate:"required,email,max=254"`
	Name     string `json:"name" validate:"required,max=120"`
	Password string `json:"password" validate:"required,min=8,max=200" trim:"-"`
	Locale   string `json:"locale" validate:"omitempty,oneof=vi en"`
}

// userJSON is the API view of a user: never the password hash.
type userJSON struct {
	ID                  int64  `json:"id"`
	Email               string `json:"email"`
	Name                string `json:"name"`
	Role                string `json:"role"`
	Locale              string `json:"locale"`
	OfficerLevel        string `json:"officer_level,omitempty"`
	OfficerProvinceCode string `json:"officer_province_code,omitempty"`
	OfficerCommuneCode  string `json:"officer_commune_code,omitempty"`
	ProducerSlug        string `json:"producer_slug,omitempty"`
}

func (h *Handlers) userView(c echo.Context, u account.User) userJSON {
	v := userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), Locale: u.Locale, OfficerLevel: string(u.OfficerLevel)}
	if u.OfficerProvinceCode != nil {
		v.OfficerProvinceCode = *u.OfficerProvinceCode
	}
	if u.OfficerCommuneCode != nil {
		v.OfficerCommuneCode = *u.OfficerCommuneCode
	}
	if u.Role == account.RoleProducer {
		if p, err := h.Producers.OfUser(c.Request().Context(), u.ID); err == nil {
			v.ProducerSlug = p.Slug
		}
	}
	return v
}

// APIIssueToken exchanges credentials for a bearer token.
func (h *Handlers) APIIssueToken(c echo.Context) error {
	var req tokenRequest
	if err := h.BindJSON(c, &req); err != nil {
		return err
	}
	u, err := h.Accounts.Authenticate(c.Request().Context(), req.Email, req.Password, c.RealIP())
	if err != nil {
		return err
	}
	token, exp, err := h.Accounts.IssueAPIToken(c.Request().Context(), u.ID, "api")
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, tokenResponse{Token: token, ExpiresAt: exp})
}

// APIRegister creates a shopper account.
func (h *Handlers) APIRegister(c echo.Context) error {
	var req registerRequest
	if err := h.BindJSON(c, &req); err != nil {
		return err
	}
	u, err := h.Accounts.Register(c.Request().Context(), req.Email, req.Name, req.Password, req.Locale)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, h.userView(c, u))
}

// APIRevokeToken revokes the token the request came with.
func (h *Handlers) APIRevokeToken(c echo.Context) error {
	token := strings.TrimSpace(strings.TrimPrefix(c.Request().Header.Get("Authorization"), "Bearer "))
	if err := h.Accounts.RevokeAPIToken(c.Request().Context(), token); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// APIMe returns the signed-in user.
func (h *Handlers) APIMe(c echo.Context) error {
	return c.JSON(http.StatusOK, h.userView(c, *kit.UserOf(c)))
}
