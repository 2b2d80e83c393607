package notifyweb

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/notify"
	"github.com/chocop/ocop/internal/web/kit"
)

// APIInbox lists the caller's notifications, newest first, a page at a
// time (?before=<id of the last one seen>), with the unread count.
func (h *Handlers) APIInbox(c echo.Context) error {
	ctx, u := c.Request().Context(), kit.UserOf(c)
	before, err := idParam(c.QueryParam("before"), true)
	if err != nil {
		return err
	}
	ns, err := h.Notify.Inbox(ctx, u.ID, before, notify.PageSize+1)
	if err != nil {
		return err
	}
	out := map[string]any{}
	if len(ns) > notify.PageSize {
		ns = ns[:notify.PageSize]
		out["next_before"] = ns[len(ns)-1].ID
	}
	unread, err := h.Notify.Unread(ctx, u.ID)
	if err != nil {
		return err
	}
	out["notifications"], out["unread"] = h.items(kit.LangOf(c), ns), unread
	return c.JSON(http.StatusOK, out)
}

// APIMarkRead marks one of the caller's notifications read.
func (h *Handlers) APIMarkRead(c echo.Context) error {
	id, err := idParam(c.Param("id"), false)
	if err != nil {
		return err
	}
	if _, err := h.Notify.MarkRead(c.Request().Context(), kit.UserOf(c).ID, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// APIMarkAllRead marks every notification of the caller read.
func (h *Handlers) APIMarkAllRead(c echo.Context) error {
	n, err := h.Notify.MarkAllRead(c.Request().Context(), kit.UserOf(c).ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]int64{"marked": n})
}

// prefsJSON is the caller's e-mail choice per kind.
type prefsJSON struct {
	Preferences []notify.Choice `json:"preferences" validate:"max=100,dive"`
}

// APIPrefs lists the kinds the caller receives and whether each comes by e-mail.
func (h *Handlers) APIPrefs(c echo.Context) error {
	u := kit.UserOf(c)
	ps, err := h.Notify.Prefs(c.Request().Context(), u.ID, u.Role)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, prefsJSON{Preferences: ps})
}

// APISetPrefs changes the kinds listed (others stay as they were); a kind
// the caller does not receive is a 400 and nothing changes.
func (h *Handlers) APISetPrefs(c echo.Context) error {
	var req prefsJSON
	if err := h.BindJSON(c, &req); err != nil {
		return err
	}
	u := kit.UserOf(c)
	if err := h.Notify.SetPrefs(c.Request().Context(), u.ID, u.Role, req.Preferences); err != nil {
		return err
	}
	return h.APIPrefs(c)
}
