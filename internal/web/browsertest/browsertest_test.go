package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// recorder is a testing.TB whose Fatal stops only the goroutine that called
// it and keeps the message, so the harness's own failures can be checked.
type recorder struct {
	testing.TB
	msg string
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Fatal(args ...any) {
	r.msg = fmt.Sprint(args...)
	runtime.Goexit()
}

// fails runs fn against r and returns the failure message ("" if none).
func (r *recorder) fails(fn func()) string {
	r.msg = ""
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	<-done
	return r.msg
}

const testPage = `<!doctype html><html lang="vi"><body><main>
<h1>Trang thử</h1>
<form method="post" action="/sent"><label for="ten">Họ và tên</label><input id="ten" name="ten">
<label for="tinh">Tỉnh</label><select id="tinh" name="tinh"><option value="01">Hà Nội</option><option value="20">Lạng Sơn</option></select>
<input type="checkbox" id="dk" name="dk" value="yes"><label for="dk">Đồng ý</label>
<button type="submit">Gửi</button></form>
<p id="out"></p></main></body></html>`

// TestHelpersAndFailureArtifacts drives a tiny site: fill by label, click by
// text, wait for text; then a failing wait must name the screenshot and the
// HTML it saved, and both files must exist.
func TestHelpersAndFailureArtifacts(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.Method == http.MethodPost {
			fmt.Fprintf(w, `<!doctype html><html><body><p>Đã nhận: %s, %s, %s</p></body></html>`, r.FormValue("ten"), r.FormValue("tinh"), r.FormValue("dk"))
			return
		}
		fmt.Fprint(w, testPage)
	}))
	defer srv.Close()
	t.Setenv("OCOP_BROWSERTEST_ARTIFACTS", t.TempDir())

	b := New(t, srv.URL)
	b.Open("/")
	b.Fill("Họ và tên", "Nông Thị Hoa")
	b.Select("Tỉnh", "Lạng Sơn")
	b.Check("Đồng ý")
	b.Check("dk") // already checked: stays checked
	b.Click("Gửi")
	b.WaitText("Đã nhận: Nông Thị Hoa, 20, yes")
	if p := b.Path(); p != "/sent" {
		t.Errorf("after submitting, path = %q, want /sent", p)
	}

	rec := &recorder{TB: t}
	b.t = rec
	defer func() { b.t = t }()
	old := Timeout
	Timeout = 2 * time.Second
	defer func() { Timeout = old }()
	msg := rec.fails(func() { b.WaitText("chữ không có trên trang") })
	if !strings.Contains(msg, `wait for text "chữ không có trên trang"`) || !strings.Contains(msg, "Đã nhận") {
		t.Fatalf("failure message does not say what was awaited and what the page showed:\n%s", msg)
	}
	for _, kind := range []string{"screenshot", "html"} {
		m := regexp.MustCompile(kind + `: (\S+)`).FindStringSubmatch(msg)
		if m == nil {
			t.Fatalf("failure message names no %s file:\n%s", kind, msg)
		}
		if st, err := os.Stat(m[1]); err != nil || st.Size() == 0 {
			t.Errorf("%s file %s was not saved: %v", kind, m[1], err)
		}
	}
	b.Open("/")
	if msg := rec.fails(func() { b.Select("Tỉnh", "Cao Bằng") }); !strings.Contains(msg, "no such option") {
		t.Errorf("a missing option does not fail clearly:\n%s", msg)
	}
	if msg := rec.fails(func() { b.Click("Không có nút này") }); !strings.Contains(msg, `find clickable "Không có nút này"`) {
		t.Errorf("a missing button does not fail clearly:\n%s", msg)
	}
}
