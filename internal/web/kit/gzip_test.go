package kit

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"": false, "gzip": true, "gzip, deflate, br": true, "br;q=1, GZIP;q=0.5": true, "gzip;q=0": false,
		"gzip; q=0.000": false, "deflate": false, "x-gzip": false, "identity": false,
	} {
		r, _ := http.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Encoding", header)
		if got := AcceptsGzip(r); got != want {
			t.Errorf("%q: %v, want %v", header, got, want)
		}
	}
}

// TestGzipMiddleware: what is compressed and what goes out as written,
// each answer read back as the client would.
func TestGzipMiddleware(t *testing.T) {
	big := strings.Repeat("<p>Hồi Lạng Sơn, mắc mật, vịt quay.</p>\n", 200) // 8 KB of text
	small := "<p>ok</p>"
	cases := []struct {
		name       string
		accept     string
		handler    echo.HandlerFunc
		status     int
		compressed bool
		body       string
	}{
		{"small text", "gzip", func(c echo.Context) error { return Blob(c, 200, echo.MIMETextHTMLCharsetUTF8, []byte(small)) }, 200, false, small},
		{"large text", "gzip, br", func(c echo.Context) error { return Blob(c, 200, echo.MIMETextHTMLCharsetUTF8, []byte(big)) }, 200, true, big},
		{"large text, not accepted", "br", func(c echo.Context) error { return c.HTML(200, big) }, 200, false, big},
		{"large text, gzip;q=0", "gzip;q=0", func(c echo.Context) error { return c.HTML(200, big) }, 200, false, big},
		{"large JSON in many writes", "gzip", func(c echo.Context) error {
			c.Response().Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
			c.Response().WriteHeader(201)
			for i := 0; i < 400; i++ {
				if _, err := c.Response().Write([]byte(`{"n":"` + strings.Repeat("x", 20) + `"},`)); err != nil {
					return err
				}
			}
			return nil
		}, 201, true, strings.Repeat(`{"n":"`+strings.Repeat("x", 20)+`"},`, 400)},
		{"large image", "gzip", func(c echo.Context) error { return c.Blob(200, "image/jpeg", []byte(big)) }, 200, false, big},
		{"encoded by the handler", "gzip", func(c echo.Context) error {
			c.Response().Header().Set(echo.HeaderContentEncoding, "gzip")
			return c.Blob(200, echo.MIMETextHTMLCharsetUTF8, []byte("already-compressed-bytes"+big))
		}, 200, false, "already-compressed-bytes" + big},
		{"not found page", "gzip", func(c echo.Context) error { return c.HTML(404, big) }, 404, true, big},
		{"not modified", "gzip", func(c echo.Context) error { return c.NoContent(304) }, 304, false, ""},
		{"no content", "gzip", func(c echo.Context) error { return c.NoContent(204) }, 204, false, ""},
		{"flushed stream", "gzip", func(c echo.Context) error {
			c.Response().Header().Set(echo.HeaderContentType, "text/plain")
			c.Response().WriteHeader(200)
			if _, err := c.Response().Write([]byte("part one;")); err != nil {
				return err
			}
			c.Response().Flush()
			_, err := c.Response().Write([]byte("part two"))
			return err
		}, 200, false, "part one;part two"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := echo.New()
			e.Use(Gzip(5, 1024))
			e.GET("/", tc.handler)
			req := httptest.NewRequest("GET", "/", nil)
			req.Header.Set("Accept-Encoding", tc.accept)
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Errorf("status %d, want %d", rec.Code, tc.status)
			}
			if !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
				t.Error("no Vary: Accept-Encoding")
			}
			got := rec.Body.Bytes()
			if enc := rec.Header().Get("Content-Encoding"); tc.compressed {
				if enc != "gzip" {
					t.Fatalf("Content-Encoding %q, want gzip", enc)
				}
				if rec.Header().Get("Content-Length") != "" {
					t.Error("Content-Length kept on a compressed body")
				}
				zr, err := gzip.NewReader(bytes.NewReader(got))
				if err != nil {
					t.Fatal(err)
				}
				if got, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			} else if enc != "" && tc.name != "encoded by the handler" {
				t.Errorf("Content-Encoding %q on an answer left as written", enc)
			}
			if string(got) != tc.body {
				t.Errorf("body %d bytes %.40q, want %d bytes %.40q", len(got), got, len(tc.body), tc.body)
			}
			if cl := rec.Header().Get("Content-Length"); cl != "" && cl != strconv.Itoa(rec.Body.Len()) {
				t.Errorf("Content-Length %s for %d bytes sent", cl, rec.Body.Len())
			}
		})
	}
}

// TestGzipErrorLeftToTheHandler: a handler that fails before writing leaves
// the response to Echo's error handler, which writes it on the real writer.
func TestGzipErrorLeftToTheHandler(t *testing.T) {
	e := echo.New()
	e.Use(Gzip(5, 1024))
	e.GET("/", func(echo.Context) error { return echo.NewHTTPError(http.StatusTeapot, strings.Repeat("x", 5000)) })
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusTeapot || rec.Header().Get("Content-Encoding") != "" || !strings.Contains(rec.Body.String(), "xxxx") {
		t.Errorf("%d %q %.60q", rec.Code, rec.Header().Get("Content-Encoding"), rec.Body.String())
	}
}
