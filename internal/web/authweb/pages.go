package authweb

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/i18n"
	"github.com/chocop/ocop/internal/web/kit"
)

type loginForm struct {
	Email    string `form:"email"`
	Password string `form:"password" trim:"-"`
	Next     string `form:"next"`
}

type loginView struct {
	Email, Next, Error string
}

type registerForm struct {
	Name     string `form:"name" validate:"required,max=120"`
	Email    string `form:"email" validate:"required,email,max=254"`
	Password string `form:"password" validate:"required,min=8,max=200" trim:"-"`
}

type registerView struct {
	Name, Email, Error string
	Errors             map[string]string
}

// LoginPage is the sign-in form; next is kept only when it stays on this site.
func (h *Handlers) LoginPage(c echo.Context) error {
	return h.Render(c, http.StatusOK, "login", loginView{Next: kit.SafeNext(c.QueryParam("next"), "")})
}

// Login signs a user in. A wrong password and an unknown e-mail get the
// same answer, and repeated failures are rate limited.
func (h *Handlers) Login(c echo.Context) error {
	var f loginForm
	if err := h.BindForm(c, &f); err != nil {
		return err
	}
	view := loginView{Email: f.Email, Next: kit.SafeNext(f.Next, "")}
	u, err := h.Accounts.Authenticate(c.Request().Context(), f.Email, f.Password, c.RealIP())
	switch {
	case errors.Is(err, errs.ErrTooMany):
		kit.SetRetryAfter(c, err)
		view.Error = "login.too_many"
		return h.Render(c, http.StatusTooManyRequests, "login", view)
	case errors.Is(err, errs.ErrUnauthorized):
		view.Error = "login.bad_credentials"
		return h.Render(c, http.StatusUnauthorized, "login", view)
	case err != nil:
		return err
	}
	if err := h.signIn(c, u); err != nil {
		return err
	}
	h.Flash(c, "flash.signed_in")
	return c.Redirect(http.StatusSeeOther, kit.SafeNext(f.Next, landingFor(u)))
}

// signIn starts a session, moves a guest cart into the account's cart, and
// carries the visitor's chosen language to the account.
func (h *Handlers) signIn(c echo.Context, u account.User) error {
	ctx := c.Request().Context()
	token, err := h.Accounts.StartSession(ctx, u.ID, c.Request().UserAgent())
	if err != nil {
		return err
	}
	h.SetSessionCookie(c, token, time.Now().Add(account.SessionTTL))
	if err := h.RotateCSRF(c); err != nil {
		return err
	}
	h.Carts.MergeGuestCart(c, u)
	if ck, err := c.Cookie(kit.LangCookie); err == nil && i18n.Supported(ck.Value) && ck.Value != u.Locale {
		return h.Accounts.SetLocale(ctx, u.ID, ck.Value)
	}
	return nil
}

// landingFor is the page each role starts on after signing in.
func landingFor(u account.User) string {
	switch u.Role {
	case account.RoleProducer:
		return "/portal"
	case account.RoleOfficer:
		if u.IsCommuneOfficer() {
			return "/registry/applications" // the commune's work: proposals
		}
		return "/registry"
	case account.RoleAdmin:
		return "/admin"
	}
	return "/"
}

// RegisterPage is the form to create a shopper account.
func (h *Handlers) RegisterPage(c echo.Context) error {
	return h.Render(c, http.StatusOK, "register", registerView{})
}

// Register creates a shopper account and signs it in.
func (h *Handlers) Register(c echo.Context) error {
	var f registerForm
	err := h.BindForm(c, &f)
	view := registerView{Name: f.Name, Email: f.Email}
	if ve, ok := errs.AsValidation(err); ok {
		view.Error, view.Errors = "register.fix_errors", kit.FormErrors(ve)
		return h.Render(c, http.StatusBadRequest, "register", view)
	} else if err != nil {
		return err
	}
	u, err := h.Accounts.Register(c.Request().Context(), f.Email, f.Name, f.Password, kit.LangOf(c))
	if errors.Is(err, errs.ErrConflict) {
		view.Error = "account.email_taken"
		return h.Render(c, http.StatusConflict, "register", view)
	} else if err != nil {
		return err
	}
	if err := h.signIn(c, u); err != nil {
		return err
	}
	h.Flash(c, "flash.welcome")
	return c.Redirect(http.StatusSeeOther, "/")
}

// Logout ends the session.
func (h *Handlers) Logout(c echo.Context) error {
	if ck, err := c.Cookie(kit.SessionCookie); err == nil {
		if err := h.Accounts.EndSession(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	c.SetCookie(&http.Cookie{Name: kit.SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
	if err := h.RotateCSRF(c); err != nil {
		return err
	}
	h.Flash(c, "flash.signed_out")
	return c.Redirect(http.StatusSeeOther, "/")
}

// SwitchLang remembers the chosen language in a cookie (a year) and on the
// account, and goes back to the page the visitor was on.
func (h *Handlers) SwitchLang(c echo.Context) error {
	lang := c.Param("lang")
	if !i18n.Supported(lang) {
		return errs.ErrNotFound
	}
	c.SetCookie(&http.Cookie{Name: kit.LangCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, Secure: h.Secure})
	if u := kit.UserOf(c); u != nil {
		if err := h.Accounts.SetLocale(c.Request().Context(), u.ID, lang); err != nil {
			return err
		}
	}
	return c.Redirect(http.StatusSeeOther, kit.SafeNext(c.QueryParam("next"), "/"))
}

// AccountPage is the signed-in user's own page.
func (h *Handlers) AccountPage(c echo.Context) error {
	return h.Render(c, http.StatusOK, "account", nil)
}
