// Package kit is the plumbing every area of the web layer shares: page
// rendering and static assets, binding and validation of requests, the one
// mapping of errors to HTTP answers, request context helpers (who is
// signed in, in which language), middleware, and the public read cache.
//
// An area's handlers embed a *Kit and call its methods (k.Render,
// k.BindForm, k.BindJSON, k.Flash); the route table in package web installs
// the middleware. Nothing here knows an area's routes or services.
package kit

import (
	"log/slog"

	"github.com/chocop/ocop/internal/platform/i18n"
	"github.com/chocop/ocop/internal/platform/validate"
)

// DefaultBodyLimit caps request bodies; upload routes set their own larger limit.
const DefaultBodyLimit = 1 << 20 // 1 MiB

// Kit bundles what every handler needs besides its services. One Kit is
// built at start and shared by every area.
type Kit struct {
	Pages   *Renderer           // every page template, parsed once at start
	Msgs    *i18n.Bundle        // messages in every language
	Valid   *validate.Validator // validates bound requests
	Log     *slog.Logger
	BaseURL string // absolute URLs in feeds, QR codes and links for other sites
	Secure  bool   // the site is served over TLS: cookies carry Secure
}

// T is the message key in lang, for handlers that write text themselves
// (a PDF, a decision's reason).
func (k *Kit) T(lang, key string) string { return k.Msgs.T(lang, key) }
