// Package browsertest drives Debian's Chromium with chromedp against a real
// server (usually webtest.New's app.HTTP.URL), with small helpers that make a
// journey read like what a person does: open a page, fill a field by its
// label, press a button, wait for a text.
//
// Every helper fails the test on error and, before failing, saves a
// screenshot and the page's HTML; the failure message names both files.
//
// Chromium is found at $OCOP_CHROMIUM, /usr/bin/chromium or on PATH. When it
// is missing the test is skipped, unless CI or OCOP_TEST_REQUIRE_BROWSER=1 is
// set, in which case it fails.
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Timeout bounds each helper call (a navigation, a wait, a click).
var Timeout = 15 * time.Second

// Browser is one Chromium instance with one tab, bound to a test.
type Browser struct {
	t    testing.TB
	ctx  context.Context
	base string

	mu      sync.Mutex
	console []string // errors the page logged (CSP violations, script errors)
}

// Chromium returns the path of the Chromium binary, or "" when none is found.
func Chromium() string {
	if p := os.Getenv("OCOP_CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Required reports whether a missing browser is a failure rather than a skip.
func Required() bool {
	return os.Getenv("CI") != "" || os.Getenv("OCOP_TEST_REQUIRE_BROWSER") == "1"
}

// New starts a fresh Chromium (its own profile in a temporary directory) for
// the test and points it at baseURL. The browser is closed when the test ends.
func New(t testing.TB, baseURL string) *Browser {
	t.Helper()
	path := Chromium()
	if path == "" {
		msg := "browsertest: Chromium not found (install Debian's chromium: apt-get install -y chromium, or set OCOP_CHROMIUM)"
		if Required() {
			t.Fatal(msg + "; required because CI or OCOP_TEST_REQUIRE_BROWSER=1 is set")
		}
		t.Skip(msg)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	b := &Browser{t: t, ctx: ctx, base: strings.TrimRight(baseURL, "/")}
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// Start the browser now so a broken installation fails here, clearly.
	// The first Run must not carry a timeout: it would end the browser.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("browsertest: start %s: %v", path, err)
		}
	case <-time.After(max(30*time.Second, 2*Timeout)):
		t.Fatalf("browsertest: %s did not start within %s", path, max(30*time.Second, 2*Timeout))
	}
	go b.collect()
	return b
}

// collect keeps what the pages report as errors: CSP violations, failed
// loads, uncaught exceptions, console.error calls.
func (b *Browser) collect() {
	for m, err := range chromedp.Console(b.ctx) {
		if err != nil {
			return
		}
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
			b.mu.Lock()
			b.console = append(b.console, m.Text)
			b.mu.Unlock()
		}
	}
}

// Console returns the errors the pages logged so far (CSP violations, failed
// loads, uncaught exceptions).
func (b *Browser) Console() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.console...)
}

// NoConsoleErrors fails the test when any page logged an error so far.
func (b *Browser) NoConsoleErrors() {
	b.t.Helper()
	if c := b.Console(); len(c) > 0 {
		b.fail("pages logged errors:\n  %s", strings.Join(c, "\n  "))
	}
}

// do runs actions with the per-call timeout and fails with artifacts.
func (b *Browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fail("%s: %v", what, err)
	}
}

// value runs one action that returns a value, failing with artifacts.
func value[T any](b *Browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	v, err := runAcrossNavigation(ctx, a)
	if err != nil {
		b.fail("%s: %v", what, err)
	}
	return v
}

// runAcrossNavigation runs a script action again when the page navigated
// while it ran: the script's JavaScript context was destroyed with the old
// document ("Cannot find context with specified id"), which says nothing about
// the new page. Without this a form that redirects, or an htmx refresh, while a
// test polls for text fails the test by chance on a busy machine.
func runAcrossNavigation[T any](ctx context.Context, a chromedp.Action[T]) (T, error) {
	for {
		v, err := chromedp.Run(ctx, a)
		if err == nil || !navigatedAway(err) || ctx.Err() != nil {
			return v, err
		}
		select {
		case <-ctx.Done():
			return v, err
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// navigatedAway reports whether err means the page's JavaScript context went
// away under a running script (a navigation), not that the script failed.
func navigatedAway(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Cannot find context with specified id") ||
		strings.Contains(msg, "Execution context was destroyed") ||
		strings.Contains(msg, "Inspected target navigated or closed")
}

// Open loads path (relative to the base URL, or absolute) and waits until the
// page has loaded.
func (b *Browser) Open(path string) {
	b.t.Helper()
	url := path
	if strings.HasPrefix(path, "/") {
		url = b.base + path
	}
	b.do("open "+path, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body")))
}

// Path returns the current URL's path and query.
func (b *Browser) Path() string {
	b.t.Helper()
	return value(b, "read location", chromedp.Evaluate[string](`location.pathname + location.search`))
}

// find marks the element described by what (see Fill and Click) with a data
// attribute and returns a CSS selector for it.
func (b *Browser) find(kind, what string) chromedp.CSS {
	b.t.Helper()
	arg, _ := json.Marshal(what)
	sel := value(b, fmt.Sprintf("find %s %q", kind, what),
		chromedp.Poll[string](fmt.Sprintf(findJS, kind, arg), chromedp.WithPollingTimeout(Timeout-time.Second)))
	return chromedp.CSS(sel)
}

// findJS resolves a field (by id, name or label text) or a clickable (by id,
// button/link text or aria-label), marks it and returns a selector, or
// returns null so that Poll tries again.
const findJS = `(() => {
  const kind = %q, what = %s;
  const norm = s => (s || '').replace(/\s+/g, ' ').trim();
  let el = document.getElementById(what);
  if (!el && kind === 'field') {
    el = document.querySelector('[name="' + CSS.escape(what) + '"]:not([type=hidden])');
    if (!el) {
      for (const l of document.querySelectorAll('label')) {
        if (norm(l.textContent) === what) { el = l.control; break; }
      }
    }
  }
  if (!el && kind === 'clickable') {
    // Buttons first, those in the main content before the header's: "Sign
    // in" is both a header link and the login form's button.
    const order = ['main button, main input[type=submit]', 'button, input[type=submit], [role=button]', 'a'];
    outer: for (const q of order) {
      for (const c of document.querySelectorAll(q)) {
        if (norm(c.textContent) === what || norm(c.value) === what || c.getAttribute('aria-label') === what) { el = c; break outer; }
      }
    }
  }
  if (!el) return null;
  const mark = 'bt' + Math.random().toString(36).slice(2);
  el.setAttribute('data-bt', mark);
  return '[data-bt="' + mark + '"]';
})()`

// Fill types value into the field found by id, name or exact label text,
// replacing what it held.
func (b *Browser) Fill(field, value string) {
	b.t.Helper()
	sel := b.find("field", field)
	clear, _ := json.Marshal(string(sel))
	b.do(fmt.Sprintf("fill %q", field),
		chromedp.Evaluate[chromedp.Void](`document.querySelector(`+string(clear)+`).value = ''`),
		chromedp.SendKeys(sel, value))
}

// Select chooses the option whose visible text is option in the <select>
// found by id, name or label, and fires the change event (htmx listens to it).
func (b *Browser) Select(field, option string) {
	b.t.Helper()
	sel, _ := json.Marshal(string(b.find("field", field)))
	opt, _ := json.Marshal(option)
	ok := value(b, fmt.Sprintf("select %q in %q", option, field), chromedp.Evaluate[bool](`(() => {
  const el = document.querySelector(`+string(sel)+`);
  const o = [...el.options].find(o => o.text.replace(/\s+/g, ' ').trim() === `+string(opt)+`);
  if (!o) return false;
  el.value = o.value;
  el.dispatchEvent(new Event('input', {bubbles: true}));
  el.dispatchEvent(new Event('change', {bubbles: true}));
  return true;
})()`))
	if !ok {
		b.fail("select %q in %q: no such option", option, field)
	}
}

// Check clicks the checkbox or radio button found by id, name or label, as a
// person would, unless it is already checked.
func (b *Browser) Check(field string) {
	b.t.Helper()
	sel := b.find("field", field)
	q, _ := json.Marshal(string(sel))
	if value(b, "read "+field, chromedp.Evaluate[bool](`document.querySelector(`+string(q)+`).checked`)) {
		return
	}
	b.do(fmt.Sprintf("check %q", field), chromedp.Click(sel))
}

// Click presses the button or link found by id, exact text or aria-label
// (buttons in the page's main content first, then other buttons, then links) and
// waits for the page it leads to (a form submission or a link).
func (b *Browser) Click(what string) {
	b.t.Helper()
	sel := b.find("clickable", what)
	// The load event of the next document; the click's own navigation is
	// subscribed to before the click, so it cannot be missed.
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(sel))); err != nil {
		b.fail("click %q and wait for the next page: %v", what, err)
	}
}

// WaitText waits until the page's visible text contains text.
func (b *Browser) WaitText(text string) {
	b.t.Helper()
	arg, _ := json.Marshal(text)
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	_, err := runAcrossNavigation(ctx, chromedp.Poll[chromedp.Void](`document.body && document.body.innerText.includes(`+string(arg)+`)`, chromedp.WithPollingTimeout(Timeout-time.Second)))
	if err != nil {
		b.fail("wait for text %q on %s: %v\npage text: %s", text, b.Path(), err, clip(b.Text("body"), 800))
	}
}

// Text returns the visible text of the first element matching the CSS selector.
func (b *Browser) Text(selector string) string {
	b.t.Helper()
	return strings.TrimSpace(value(b, "read text of "+selector, chromedp.Text(chromedp.CSS(selector), chromedp.NodeVisible)))
}

// Attr returns an attribute of the first element matching the CSS selector.
func (b *Browser) Attr(selector, name string) string {
	b.t.Helper()
	return value(b, "read "+name+" of "+selector, chromedp.AttributeValue(chromedp.CSS(selector), name)).Value
}

// Eval evaluates a JavaScript expression and returns its value as JSON.
func (b *Browser) Eval(expr string) json.RawMessage {
	b.t.Helper()
	return value(b, "evaluate "+clip(expr, 80), chromedp.Evaluate[json.RawMessage](expr))
}

// Do runs raw chromedp actions (for what the helpers do not cover).
func (b *Browser) Do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	b.do(what, actions...)
}

// Context is the tab's context, for direct chromedp use.
func (b *Browser) Context() context.Context { return b.ctx }

// Cookie returns the value of a cookie the browser holds for the site, or "".
func (b *Browser) Cookie(name string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{b.base}})
	if err != nil {
		b.fail("read cookie %s: %v", name, err)
	}
	for _, c := range res.Cookies {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// fail saves a screenshot and the page's HTML, then fails the test with a
// message naming both files.
func (b *Browser) fail(format string, args ...any) {
	b.t.Helper()
	msg := fmt.Sprintf(format, args...)
	shot, page := b.saveArtifacts()
	if c := b.Console(); len(c) > 0 {
		msg += "\npage errors:\n  " + strings.Join(c, "\n  ")
	}
	b.t.Fatalf("browsertest: %s\nscreenshot: %s\nhtml: %s", msg, shot, page)
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// ArtifactDir is where failure artifacts go: $OCOP_BROWSERTEST_ARTIFACTS, or
// ocop-browsertest under the system temporary directory (kept after the test).
func ArtifactDir() string {
	if d := os.Getenv("OCOP_BROWSERTEST_ARTIFACTS"); d != "" {
		return d
	}
	return filepath.Join(os.TempDir(), "ocop-browsertest")
}

func (b *Browser) saveArtifacts() (shot, page string) {
	dir := ArtifactDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "(not saved: " + err.Error() + ")", "(not saved)"
	}
	stem := filepath.Join(dir, unsafeName.ReplaceAllString(b.t.Name(), "_")+"-"+time.Now().Format("150405.000"))
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	shot, page = stem+".png", stem+".html"
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err != nil {
		shot = "(not saved: " + err.Error() + ")"
	} else if err := os.WriteFile(shot, png, 0o644); err != nil {
		shot = "(not saved: " + err.Error() + ")"
	}
	if html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html"))); err != nil {
		page = "(not saved: " + err.Error() + ")"
	} else if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		page = "(not saved: " + err.Error() + ")"
	}
	return shot, page
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
