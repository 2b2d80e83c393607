// Package notifyweb serves the in-site inbox (/account/notifications: the
// list, mark read, e-mail preferences per kind), the one-click unsubscribe
// link of every e-mail, the bell's count in the header, and their API twins.
package notifyweb

import (
	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/notify"
	"github.com/chocop/ocop/internal/web/kit"
)

// Handlers are the notification handlers.
type Handlers struct {
	*kit.Kit
	Notify *notify.Service
}

// CountUnread puts the signed-in person's unread count on the page for the
// header's bell. It runs on page routes after authentication: one indexed
// count per page of a signed-in person, none for visitors.
func (h *Handlers) CountUnread(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if u := kit.UserOf(c); u != nil {
			n, err := h.Notify.Unread(c.Request().Context(), u.ID)
			if err != nil {
				return err
			}
			kit.SetUnread(c, n)
		}
		return next(c)
	}
}

// item is one notification as the inbox page and the API show it.
type item struct {
	ID      int64               `json:"id"`
	Kind    notify.Kind         `json:"kind"`
	Title   string              `json:"title"`
	Body    string              `json:"body"`
	Fields  []notify.ShownField `json:"fields"`
	Link    string              `json:"link"`
	Read    bool                `json:"read"`
	Created string              `json:"created_at"`
}

// items renders ns in lang.
func (h *Handlers) items(lang string, ns []notify.Notification) []item {
	t := h.Notify.Templates()
	out := make([]item, 0, len(ns))
	for _, n := range ns {
		out = append(out, item{ID: n.ID, Kind: n.Kind, Title: t.Title(lang, n), Body: t.Body(lang, n), Fields: t.Fields(lang, n),
			Link: n.Link, Read: n.ReadAt != nil, Created: n.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")})
	}
	return out
}
