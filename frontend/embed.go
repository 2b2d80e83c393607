// Package frontend embeds the server-rendered interface: html/template files,
// static assets (CSS, vendored htmx, images) and the message files for i18n.
// Everything ships inside the one binary; there is no build step.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed templates static i18n
var files embed.FS

// Templates holds layout.html, partials/*.html and pages/*.html.
func Templates() fs.FS { return sub("templates") }

// Static holds css/, js/ and img/, served under fingerprinted URLs.
func Static() fs.FS { return sub("static") }

// SiteCSS is the stylesheet every page links: the bundle of SiteCSSParts.
const SiteCSS = "css/site.css"

// SiteCSSParts are the stylesheets of every page, in cascade order, served
// joined as SiteCSS. A stylesheet only some pages need (jobs, stats, the
// bulk import) stays apart, linked by those pages.
func SiteCSSParts() []string {
	return []string{"css/app.css", "css/catalog.css", "css/registry.css", "css/orders.css", "css/notify.css", "css/review.css", "css/forms.css"}
}

// Messages holds the AREA.LANG.json message files.
func Messages() fs.FS { return sub("i18n") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // dir is a constant that go:embed has already checked
	}
	return f
}
