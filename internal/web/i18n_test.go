package web_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/chocop/ocop/frontend"
	"github.com/chocop/ocop/internal/web/webtest"
	"github.com/chocop/ocop/seed"
)

var paramRe = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

// TestMessagesInBothLanguages proves every message key of every
// frontend/i18n file exists in Vietnamese and English, is not empty, and uses
// the same template parameters in both.
func TestMessagesInBothLanguages(t *testing.T) {
	all := loadMessages(t)
	for _, pair := range [][2]string{{"vi", "en"}, {"en", "vi"}} {
		var missing []string
		for k := range all[pair[0]] {
			if _, ok := all[pair[1]][k]; !ok {
				missing = append(missing, k)
			}
		}
		sort.Strings(missing)
		for _, k := range missing {
			t.Errorf("key %q exists in %s but not in %s", k, pair[0], pair[1])
		}
	}
	for k, vi := range all["vi"] {
		en, ok := all["en"][k]
		if !ok {
			continue
		}
		if a, b := params(vi), params(en); a != b {
			t.Errorf("key %q: parameters differ: vi %s, en %s", k, a, b)
		}
	}
}

// loadMessages reads every message file (lang → key → text), failing on a
// badly named or malformed file, an empty text or a key defined twice.
func loadMessages(t *testing.T) map[string]map[string]string {
	t.Helper()
	files, err := fs.Glob(frontend.Messages(), "*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no message files (%v)", err)
	}
	all := map[string]map[string]string{"vi": {}, "en": {}}
	for _, f := range files {
		parts := strings.Split(strings.TrimSuffix(path.Base(f), ".json"), ".")
		if len(parts) != 2 || (parts[1] != "vi" && parts[1] != "en") {
			t.Errorf("%s: name must be <area>.vi.json or <area>.en.json", f)
			continue
		}
		raw, err := fs.ReadFile(frontend.Messages(), f)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Errorf("%s: not a flat JSON object of strings: %v", f, err)
			continue
		}
		for k, v := range m {
			if _, dup := all[parts[1]][k]; dup {
				t.Errorf("%s: key %q is also defined in another file", f, k)
			}
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: key %q is empty", f, k)
			}
			all[parts[1]][k] = v
		}
	}
	return all
}

func params(s string) string {
	var ps []string
	for _, m := range paramRe.FindAllStringSubmatch(s, -1) {
		ps = append(ps, m[1])
	}
	sort.Strings(ps)
	return strings.Join(ps, ",")
}

// keyRe matches what a message key looks like ("nav.login", "error.404.title").
var keyRe = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$`)

// rawKeys returns the words of the page's visible text and human-facing
// attributes that look like message keys of a known namespace ("nav.",
// "error."...), which means a translation is missing.
func rawKeys(t *testing.T, body []byte) []string {
	t.Helper()
	namespaces := map[string]bool{}
	for _, m := range loadMessages(t) {
		for k := range m {
			namespaces[strings.SplitN(k, ".", 2)[0]] = true
		}
	}
	var found []string
	check := func(s string) {
		for _, w := range strings.Fields(s) {
			w = strings.Trim(w, ".,:;!?()«»\"'“”")
			if keyRe.MatchString(w) && namespaces[strings.SplitN(w, ".", 2)[0]] {
				found = append(found, w)
			}
		}
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	skip := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return found
		case html.TextToken:
			if !skip {
				check(string(z.Text()))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			// <code> holds identifiers shown as such (webhook event kinds, vouchers), not prose.
			skip = string(name) == "script" || string(name) == "style" || string(name) == "code"
			// A checkbox's or radio's value is sent, never shown: only the
			// value of a box the visitor reads is text to check.
			attrs := map[string]string{}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				attrs[string(k)] = string(v)
			}
			for k, v := range attrs {
				switch k {
				case "alt", "title", "placeholder", "aria-label", "content":
					check(v)
				case "value":
					if typ := attrs["type"]; typ != "checkbox" && typ != "radio" && typ != "hidden" {
						check(v)
					}
				}
			}
		case html.EndTagToken:
			skip = false
		}
	}
}

// TestPagesShowNoRawKeys opens every page of every role (pageVisits: the
// GET page routes of Echo's table, with samples from the seed) in both
// languages and fails on any message key left untranslated, on a page not
// rendered in the visitor's language, and on a page that does not open.
func TestPagesShowNoRawKeys(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		visits := pageVisits(t, app, walkSetup(t, app))
		visits = append(visits, visit{Route: "(none)", As: "", Path: "/no-such-page"}, visit{Route: "/admin", As: "shopper@example.com", Path: "/admin"})
		for _, lang := range []string{"vi", "en"} {
			browsers := map[string]*webtest.Browser{}
			for _, p := range visits {
				b, ok := browsers[p.As]
				if !ok {
					b = app.Browser()
					if p.As != "" {
						b.Login(p.As)
					}
					b.Get("/lang/" + lang)
					browsers[p.As] = b
				}
				res := b.Get(p.Path)
				if want := expectedStatus(p); res.StatusCode != want {
					t.Errorf("%s %s as %q: status %d, want %d", lang, p.Path, p.As, res.StatusCode, want)
				}
				want := lang
				if l, ok := fixedLanguage[p.Path]; ok {
					want = l // a page whose address names its language
				}
				if !bytes.Contains(res.Body, []byte(`<html lang="`+want+`"`)) {
					t.Errorf("%s %s as %q: not rendered in %s", lang, p.Path, p.As, lang)
				}
				if keys := rawKeys(t, res.Body); len(keys) > 0 {
					t.Errorf("%s %s as %q shows raw message keys: %v", lang, p.Path, p.As, keys)
				}
			}
			// Forms with errors show messages from other keys.
			b := app.Browser()
			b.Get("/lang/" + lang)
			for _, form := range []url.Values{
				{"email": {"shopper@example.com"}, "password": {"wrong-password"}},
			} {
				res := b.Post("/login", "/login", form)
				if keys := rawKeys(t, res.Body); len(keys) > 0 {
					t.Errorf("%s failed sign-in page shows raw message keys: %v", lang, keys)
				}
			}
			res := b.Post("/register", "/register", url.Values{"email": {"bad"}, "password": {"x"}})
			if keys := rawKeys(t, res.Body); len(keys) > 0 {
				t.Errorf("%s invalid registration shows raw message keys: %v", lang, keys)
			}
			res = b.Post("/register", "/register", url.Values{"name": {"D"}, "email": {seed.DemoAccounts[0].Email}, "password": {"longenough"}})
			if keys := rawKeys(t, res.Body); len(keys) > 0 || res.StatusCode != 409 {
				t.Errorf("%s duplicate registration (%d) shows raw message keys: %v", lang, res.StatusCode, keys)
			}
		}
	}, withBankSecret)
}
