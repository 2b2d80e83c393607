package notifyweb

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/notify"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/web/kit"
)

// inboxPage is the data of notifications.html.
type inboxPage struct {
	Items    []item
	Older    int64 // id to list before for the next page; 0 when none
	Prefs    []notify.Choice
	Mailing  bool
	PrefsErr string // message key beside the preferences
}

// InboxPage shows the person's notifications, newest first, and their
// e-mail preferences.
func (h *Handlers) InboxPage(c echo.Context) error {
	return h.renderInbox(c, http.StatusOK, "")
}

func (h *Handlers) renderInbox(c echo.Context, status int, prefsErr string) error {
	ctx, u := c.Request().Context(), kit.UserOf(c)
	before, err := idParam(c.QueryParam("before"), true)
	if err != nil {
		return err
	}
	ns, err := h.Notify.Inbox(ctx, u.ID, before, notify.PageSize+1)
	if err != nil {
		return err
	}
	v := inboxPage{Mailing: h.Notify.Mailing(), PrefsErr: prefsErr}
	if len(ns) > notify.PageSize {
		ns = ns[:notify.PageSize]
		v.Older = ns[len(ns)-1].ID
	}
	v.Items = h.items(kit.LangOf(c), ns)
	if v.Prefs, err = h.Notify.Prefs(ctx, u.ID, u.Role); err != nil {
		return err
	}
	return h.Render(c, status, "notifications", v)
}

// MarkRead marks one notification read and goes back to the inbox, or to
// the notification's page when the form asks to open it.
func (h *Handlers) MarkRead(c echo.Context) error {
	id, err := idParam(c.Param("id"), false)
	if err != nil {
		return err
	}
	n, err := h.Notify.MarkRead(c.Request().Context(), kit.UserOf(c).ID, id)
	if err != nil {
		return err
	}
	if c.FormValue("open") == "1" {
		return c.Redirect(http.StatusSeeOther, kit.SafeNext(n.Link, "/account/notifications"))
	}
	return c.Redirect(http.StatusSeeOther, "/account/notifications")
}

// MarkAllRead marks every notification of the person read.
func (h *Handlers) MarkAllRead(c echo.Context) error {
	if _, err := h.Notify.MarkAllRead(c.Request().Context(), kit.UserOf(c).ID); err != nil {
		return err
	}
	h.Flash(c, "notify.marked_all")
	return c.Redirect(http.StatusSeeOther, "/account/notifications")
}

// SavePrefs records which kinds also come by e-mail: the checked boxes
// (email=<kind>, repeated); every other kind of the person's role is off.
// A kind the person does not receive is a 400 beside the preferences, and
// nothing is saved.
func (h *Handlers) SavePrefs(c echo.Context) error {
	u := kit.UserOf(c)
	form, err := c.FormParams()
	if err != nil {
		return errs.Invalid("email", "validation.invalid")
	}
	choices, err := choicesOf(form["email"], notify.KindsFor(u.Role))
	if err == nil {
		err = h.Notify.SetPrefs(c.Request().Context(), u.ID, u.Role, choices)
	}
	if _, ok := errs.AsValidation(err); ok {
		return h.renderInbox(c, http.StatusBadRequest, "notify.prefs_bad")
	}
	if err != nil {
		return err
	}
	h.Flash(c, "notify.prefs_saved")
	return c.Redirect(http.StatusSeeOther, "/account/notifications#prefs")
}

// choicesOf turns the checked kinds into a choice for every kind of the
// role; a checked kind outside the role's is a validation error.
func choicesOf(checked []string, kinds []notify.Kind) ([]notify.Choice, error) {
	on := map[notify.Kind]bool{}
	allowed := map[notify.Kind]bool{}
	for _, k := range kinds {
		allowed[k] = true
	}
	if len(checked) > len(kinds) {
		return nil, errs.Invalid("email", "notify.prefs_bad")
	}
	for _, v := range checked {
		if !allowed[notify.Kind(v)] {
			return nil, errs.Invalid("email", "notify.prefs_bad")
		}
		on[notify.Kind(v)] = true
	}
	out := make([]notify.Choice, 0, len(kinds))
	for _, k := range kinds {
		out = append(out, notify.Choice{Kind: k, Email: on[k]})
	}
	return out, nil
}

// idParam parses a notification id; empty is 0 when optional.
func idParam(s string, optional bool) (int64, error) {
	if s == "" && optional {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.Invalid("id", "validation.invalid")
	}
	return id, nil
}

// unsubscribePage is the data of unsubscribe.html.
type unsubscribePage struct {
	Token string
	Kind  notify.Kind
	Done  bool
}

// UnsubscribePage confirms the one-click unsubscribe of an e-mail's link
// (GET never changes anything: mail scanners follow links). A link that
// was altered or has expired is a 400.
func (h *Handlers) UnsubscribePage(c echo.Context) error {
	token := c.Param("token")
	u, err := h.Notify.CheckUnsubscribe(token, time.Now())
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "unsubscribe", unsubscribePage{Token: token, Kind: u.Kind})
}

// Unsubscribe turns e-mail of the link's kind off for the link's person,
// without signing in: the POST of RFC 8058 one-click (a mail client's
// "List-Unsubscribe=One-Click" body) or of the confirm page. The signed
// token is the authority, so there is no CSRF token; an altered or expired
// one is a 400 and nothing changes.
func (h *Handlers) Unsubscribe(c echo.Context) error {
	u, err := h.Notify.Unsubscribe(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "unsubscribe", unsubscribePage{Kind: u.Kind, Done: true})
}
