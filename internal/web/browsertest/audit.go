package browsertest

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// axeJS is axe-core (npm axe-core, MPL-2.0), vendored under testdata: it is
// for tests only and never served to users. It is evaluated over the
// DevTools protocol, which the page's CSP does not govern.
//
//go:embed testdata/axe.min.js
var axeJS string

// Viewport sets the tab's layout viewport to width × height CSS pixels, as a
// phone (390) or a laptop (1366) shows pages.
func (b *Browser) Viewport(width, height int64) {
	b.t.Helper()
	b.do(fmt.Sprintf("set viewport %dx%d", width, height), chromedp.EmulateViewport(width, height))
}

// Overflow describes a page wider than its viewport.
type Overflow struct {
	ScrollWidth, InnerWidth int
	Widest                  string // the element reaching furthest right, as tag#id.class "text"
}

// overflowJS measures the document against the viewport and names the
// element whose right edge is furthest out, the one to fix.
const overflowJS = `(() => {
  const sw = document.documentElement.scrollWidth, iw = window.innerWidth;
  if (sw <= iw) return {ScrollWidth: sw, InnerWidth: iw, Widest: ''};
  let widest = null, right = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect().right;
    if (r > right + 0.5) { right = r; widest = el; }
  }
  let name = '';
  if (widest) {
    name = widest.tagName.toLowerCase() + (widest.id ? '#' + widest.id : '') +
      [...widest.classList].map(c => '.' + c).join('') +
      ' "' + (widest.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60) + '" right=' + Math.round(right);
  }
  return {ScrollWidth: sw, InnerWidth: iw, Widest: name};
})()`

// HorizontalOverflow returns how the current page overflows its viewport
// sideways, or nil when it fits (document scrollWidth ≤ innerWidth).
func (b *Browser) HorizontalOverflow() *Overflow {
	b.t.Helper()
	o := value(b, "measure overflow", chromedp.Evaluate[Overflow](overflowJS))
	if o.ScrollWidth <= o.InnerWidth {
		return nil
	}
	return &o
}

// Violation is one axe-core rule a page breaks, with the elements that
// break it.
type Violation struct {
	ID, Impact, Help string
	Nodes            []string // CSS selectors of the offending elements (at most a few)
}

func (v Violation) String() string {
	return fmt.Sprintf("%s (%s): %s at %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
}

// axeRunJS loads axe-core into the page once and runs every rule of the
// WCAG 2.x A and AA tags and axe's best practices on the whole document.
const axeRunJS = `(async () => {
  const r = await axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});
  return r.violations.map(v => ({ID: v.id, Impact: v.impact || '', Help: v.help,
    Nodes: v.nodes.slice(0, 4).map(n => n.target.join(' '))}));
})()`

// Axe runs axe-core on the current page and returns what it finds, of any
// impact.
func (b *Browser) Axe() []Violation {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 2*Timeout)
	defer cancel()
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof axe !== 'undefined'`))
	if err != nil {
		b.fail("axe: %v", err)
	}
	if !loaded {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeJS)); err != nil {
			b.fail("load axe-core: %v", err)
		}
	}
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](axeRunJS, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fail("run axe-core: %v", err)
	}
	return v
}

// Has reports whether the current page's markup contains s, for telling a
// whole page from a fragment.
func (b *Browser) Has(selector string) bool {
	b.t.Helper()
	arg, _ := json.Marshal(selector)
	return value(b, "query "+selector, chromedp.Evaluate[bool](`document.querySelector(`+string(arg)+`) !== null`))
}

// ClearCookies forgets every cookie the browser holds (signs out, drops the
// language choice), so one browser can walk the site as several people.
func (b *Browser) ClearCookies() {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		b.fail("clear cookies: %v", err)
	}
}
