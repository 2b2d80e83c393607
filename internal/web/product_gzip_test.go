package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"testing"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/web/webtest"
)

var csrfValue = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// indentation is spaces after a line break and before a tag.
var indentation = regexp.MustCompile(`\n[ \t]+<`)

// TestProductPageGzip: a visitor without a session gets the product page
// gzipped from the pre-compressed cache when they accept gzip (one valid
// member, the same page as uncompressed but for the token, which is the
// one their cookie holds), and plain when they do not; a signed-in visitor
// still gets it from the gzip middleware. Twice each, so the second answer
// comes from the cache. The cached page is sent without the templates'
// indentation. Both dialects.
func TestProductPageGzip(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		var p catalog.Product
		if err := app.DB.Where("status = ?", catalog.StatusPublished).Order("id").Take(&p).Error; err != nil {
			t.Fatal(err)
		}
		path := "/products/" + p.Slug
		inflate := func(res *http.Response, body []byte) []byte {
			t.Helper()
			if res.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("Content-Encoding %q, want gzip", res.Header.Get("Content-Encoding"))
			}
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			zr.Multistream(false)
			plain, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("inflating the page: %v", err)
			}
			return plain
		}
		tokenIn := func(page []byte) string {
			m := csrfValue.FindSubmatch(page)
			if m == nil {
				t.Fatalf("no CSRF field in %.200s", page)
			}
			return string(m[1])
		}
		for range 2 {
			res, body := get(t, app, path, map[string]string{"Accept-Encoding": "gzip, deflate, br"})
			page := inflate(res, body)
			if !bytes.Contains(page, []byte(p.Name)) || !bytes.HasSuffix(bytes.TrimSpace(page), []byte("</html>")) {
				t.Fatalf("gzipped page is not the product page: %.300s", page)
			}
			var cookie string
			for _, c := range res.Cookies() {
				if c.Name == "ocop_csrf" {
					cookie = c.Value
				}
			}
			if tok := tokenIn(page); tok != cookie {
				t.Errorf("page token %q, cookie %q", tok, cookie)
			}
			if res.Header.Get("Vary") == "" {
				t.Error("no Vary header on a negotiated page")
			}
			plainRes, plain := get(t, app, path, nil)
			if enc := plainRes.Header.Get("Content-Encoding"); enc != "" {
				t.Errorf("Content-Encoding %q for a client that did not ask", enc)
			}
			if len(plain) != len(page) || plainRes.ContentLength != int64(len(plain)) {
				t.Errorf("plain page %d bytes (Content-Length %d), gzipped one inflates to %d", len(plain), plainRes.ContentLength, len(page))
			}
			if got, want := csrfValue.ReplaceAll(page, nil), csrfValue.ReplaceAll(plain, nil); !bytes.Equal(got, want) {
				t.Error("the gzipped and plain pages differ beyond the token")
			}
			if i := indentation.FindIndex(plain); i != nil {
				t.Errorf("the cached page keeps the templates' indentation (kit.SqueezeSpace): %q", plain[max(0, i[0]-40):min(len(plain), i[1]+20)])
			}
		}
		// Signed in: the middleware compresses the rendered page.
		b := app.Browser()
		b.Login("shopper@example.com")
		req, _ := http.NewRequest("GET", app.HTTP.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res, err := b.Client.Do(req) // Accept-Encoding set by hand: the client leaves the body compressed
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		if page := inflate(res, body); !bytes.Contains(page, []byte(p.Name)) || !bytes.Contains(page, []byte("/account/orders")) {
			t.Errorf("signed-in page: %.300s", page)
		}
	})
}
