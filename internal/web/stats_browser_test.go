package web_test

import (
	"encoding/json"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/stats/statstest"
	"github.com/chocop/ocop/internal/web/browsertest"
	"github.com/chocop/ocop/internal/web/webtest"
)

// phoneJS reports, on a page at phone width, what a reader would find
// wrong: the page wider than the screen, and each chart that is missing,
// not drawn (no size, no bars) or sticking out of the screen.
const phoneJS = `(() => {
  const w = document.documentElement.clientWidth;
  const out = {width: w, scroll: document.documentElement.scrollWidth, charts: 0, bad: []};
  for (const s of document.querySelectorAll('section.figure')) {
    const svg = s.querySelector('svg.chart'), table = s.querySelector('table');
    if (!svg || !table) { out.bad.push(s.id + ': no chart or no table'); continue; }
    const r = svg.getBoundingClientRect();
    if (r.width < 100 || r.height < 10) out.bad.push(s.id + ': chart not drawn');
    if (r.right > w + 0.5) out.bad.push(s.id + ': chart wider than the screen');
    if (!svg.querySelector('title') || !svg.getAttribute('aria-labelledby')) out.bad.push(s.id + ': chart without a title');
    out.charts++;
  }
  return out;
})()`

// TestStatsPageOnAPhone: /thong-ke at 390 px shows every chart, each with
// its table, and nothing wider than the screen; the page is accessible and
// raises no console error (nothing the CSP blocks).
func TestStatsPageOnAPhone(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		statstest.Fill(t, app.DB, day.Today())
		b := browsertest.New(t, app.HTTP.URL)
		b.Do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
		for _, path := range []string{"/thong-ke", "/thong-ke?province=20", "/stats"} {
			b.Open(path)
			var got struct {
				Width, Scroll, Charts int
				Bad                   []string
			}
			if err := json.Unmarshal(b.Eval(phoneJS), &got); err != nil {
				t.Fatal(err)
			}
			if got.Width != 390 || got.Scroll > got.Width {
				t.Errorf("%s: %d px of content on a %d px screen", path, got.Scroll, got.Width)
			}
			if got.Charts != 10 || len(got.Bad) > 0 {
				t.Errorf("%s: %d charts; %v", path, got.Charts, got.Bad)
			}
			accessible(t, b, path)
		}
		b.NoConsoleErrors()
	})
}
