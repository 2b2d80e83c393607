package kit

import (
	"bytes"
	"compress/gzip"
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// Gzip compresses responses of compressible types for clients that accept
// gzip, once they reach minLength bytes. It differs from Echo's middleware
// in what a request that is not compressed costs: Echo resets a pooled
// compressor for every request that accepts gzip (clearing about 600 KB of
// hash tables), small ones and /healthz included, which halved the
// throughput of small answers; here a compressor is taken only when a body
// has reached minLength. A handler that sets Content-Encoding itself (the
// product page's pre-compressed cache) is passed through untouched, and so
// are images, PDFs and other already-compressed types.
func Gzip(level, minLength int) echo.MiddlewareFunc {
	pool := sync.Pool{New: func() any {
		w, err := gzip.NewWriterLevel(nil, level)
		if err != nil {
			panic("kit: gzip level " + err.Error()) // a constant of the caller: a programming error
		}
		return w
	}}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			res := c.Response()
			res.Header().Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
			if !AcceptsGzip(c.Request()) {
				return next(c)
			}
			gw := &gzipWriter{ResponseWriter: res.Writer, pool: &pool, min: minLength}
			res.Writer = gw
			err := next(c)
			if cerr := gw.finish(); err == nil {
				err = cerr
			}
			res.Writer = gw.ResponseWriter
			return err
		}
	}
}

// AcceptsGzip reports whether the request's Accept-Encoding allows gzip:
// named, at any quality but 0.
func AcceptsGzip(r *http.Request) bool {
	for _, enc := range strings.Split(r.Header.Get(echo.HeaderAcceptEncoding), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(enc), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// compressible are the content types worth compressing: text of every
// kind; images (but SVG), PDFs, spreadsheets and archives are compressed
// already.
func compressible(contentType string) bool {
	ct, _, _ := strings.Cut(contentType, ";")
	ct = strings.TrimSpace(strings.ToLower(ct))
	switch {
	case strings.HasPrefix(ct, "text/"):
		return true
	case ct == "application/json", ct == "application/javascript", ct == "application/xml", ct == "application/yaml",
		ct == "image/svg+xml", strings.HasSuffix(ct, "+json"), strings.HasSuffix(ct, "+xml"):
		return true
	}
	return false
}

// gzipWriter holds a response's first bytes until it knows whether to
// compress: below min bytes, or of a type not worth it, or encoded by the
// handler already, the response goes out as written.
type gzipWriter struct {
	http.ResponseWriter
	pool *sync.Pool
	min  int

	code    int          // the status the handler wrote, sent when the mode is decided
	buf     bytes.Buffer // the first bytes, while undecided
	decided bool
	gz      *gzip.Writer // nil: passing through
	err     error        // a write that failed where it could not be returned
}

// WriteHeader keeps the status until the first bytes decide the encoding.
func (w *gzipWriter) WriteHeader(code int) {
	if w.decided || w.code != 0 {
		return // a second status is ignored, as net/http does
	}
	w.code = code
	if code == http.StatusNoContent || code == http.StatusNotModified || code < 200 || w.Header().Get(echo.HeaderContentEncoding) != "" {
		w.err = w.passThrough()
	}
}

// Write buffers until min bytes, then compresses or passes through.
func (w *gzipWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if w.decided {
		if w.gz != nil {
			return w.gz.Write(p)
		}
		return w.ResponseWriter.Write(p)
	}
	if w.Header().Get(echo.HeaderContentEncoding) != "" || !compressible(w.Header().Get(echo.HeaderContentType)) {
		if err := w.passThrough(); err != nil {
			return 0, err
		}
		return w.ResponseWriter.Write(p)
	}
	w.buf.Write(p)
	if w.buf.Len() < w.min {
		return len(p), nil
	}
	w.decided = true
	h := w.Header()
	h.Set(echo.HeaderContentEncoding, "gzip")
	h.Del(echo.HeaderContentLength)
	w.ResponseWriter.WriteHeader(w.status())
	w.gz = w.pool.Get().(*gzip.Writer)
	w.gz.Reset(w.ResponseWriter)
	if _, err := w.gz.Write(w.buf.Bytes()); err != nil {
		return 0, err
	}
	w.buf.Reset()
	return len(p), nil
}

// Flush sends what is compressed so far (a streamed answer).
func (w *gzipWriter) Flush() {
	if !w.decided {
		w.err = w.passThrough()
	}
	if w.gz != nil {
		if err := w.gz.Flush(); err != nil {
			w.err = err // Flush has no error to return: the next Write or the end reports it
			return
		}
	}
	if err := http.NewResponseController(w.ResponseWriter).Flush(); err != nil && w.err == nil {
		w.err = err
	}
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *gzipWriter) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}

// passThrough sends the kept status and bytes as they are and everything
// after them too. An error is also kept for the next Write and the end,
// since WriteHeader and Flush cannot return it.
func (w *gzipWriter) passThrough() error {
	if w.decided {
		return w.err
	}
	w.decided = true
	w.ResponseWriter.WriteHeader(w.status())
	if w.buf.Len() > 0 {
		if _, err := w.ResponseWriter.Write(w.buf.Bytes()); err != nil && w.err == nil {
			w.err = err
		}
		w.buf.Reset()
	}
	return w.err
}

// finish ends the response: the gzip trailer, or what was held back.
func (w *gzipWriter) finish() error {
	if w.gz != nil {
		err := w.gz.Close()
		w.pool.Put(w.gz) // reset when taken again, not twice
		w.gz = nil
		return errors.Join(w.err, err)
	}
	if !w.decided && (w.code != 0 || w.buf.Len() > 0) {
		return w.passThrough()
	}
	return w.err
}
