package kit

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/chocop/ocop/frontend"
)

// TestSqueezeSpaceDropsOnlyIndentation: whitespace between tags that holds
// a line break keeps its line breaks alone; anything a browser could show
// differently is kept byte for byte.
func TestSqueezeSpaceDropsOnlyIndentation(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"indentation between tags", "<ul>\n  <li>a</li>\n    <li>b</li>\n</ul>", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"},
		{"blank lines keep their count (pre-line)", "<p>\n  \n\t</p>", "<p>\n\n</p>"},
		{"CR LF", "<p>a</p>\r\n  <p>b</p>", "<p>a</p>\n<p>b</p>"},
		{"spaces alone between inline tags", "<a>x</a> <span>y</span>", "<a>x</a> <span>y</span>"},
		{"text with line breaks", "<p>một\n   hai  </p>\n  <p> ba\n</p>", "<p>một\n   hai  </p>\n<p> ba\n</p>"},
		{"before the first tag and after the last", "  \n<p>a</p>\n  ", "  \n<p>a</p>\n  "},
		{"attribute values", "<a title='x >\n  <b'>t</a>\n  <i title=\"a>\n <\">u</i>", "<a title='x >\n  <b'>t</a>\n<i title=\"a>\n <\">u</i>"},
		{"comments", "<!-- a >\n   < b -->\n  <p>", "<!-- a >\n   < b -->\n<p>"},
		{"a < that starts no tag", "<p>a <\n  b</p>", "<p>a <\n  b</p>"},
		{"pre", "<div>\n  <pre>\n  <b>x</b>\n    y\n</pre>\n  </div>", "<div>\n<pre>\n  <b>x</b>\n    y\n</pre>\n</div>"},
		{"textarea", "<TEXTAREA name=t>\n  <p>\n  </p></textarea>\n <p>", "<TEXTAREA name=t>\n  <p>\n  </p></textarea>\n<p>"},
		{"script", "<script type=\"application/ld+json\">{\"a\": \"<b>\n  </b>\"}</script>\n  <p>", "<script type=\"application/ld+json\">{\"a\": \"<b>\n  </b>\"}</script>\n<p>"},
		{"style", "<style>\n  a > b {\n  }\n</style>", "<style>\n  a > b {\n  }\n</style>"},
		{"an element left open", "<pre>\n  x", "<pre>\n  x"},
		{"empty", "", ""},
	} {
		if got := SqueezeSpace(c.in); got != c.want {
			t.Errorf("%s: SqueezeSpace(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

// TestSqueezeSpaceKeepsTheDocument parses a page with the constructs of
// the product page before and after and finds the same document: the same
// elements, attributes and text, whitespace-only texts differing only in
// spaces and tabs.
func TestSqueezeSpaceKeepsTheDocument(t *testing.T) {
	page := `<!doctype html>
<html lang="vi">
<head>
  <title>Na · Chợ OCOP</title>
  <script type="application/ld+json">{"name":"a\u003cb"}</script>
</head>
<body>
  <main>
    <table class="variants">
      <tbody>
      <tr>
        <td>Gói <span class="muted">(500 g)</span></td>
      </tr>
      <tr><td><form method="post"><input type="hidden" name="_csrf" value="T"><label for="q">Số lượng</label></form></td></tr>
      </tbody>
    </table>
    <template id="stepper"><button type="button">−</button></template>
    <p class="review-body">Ngon.
Sẽ mua lại.</p>
    <pre>
  keep   this
</pre>
  </main>
</body>
</html>`
	before, after := parse(t, page), parse(t, SqueezeSpace(page))
	if before != after {
		t.Errorf("the squeezed page parses to another document:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if len(SqueezeSpace(page)) >= len(page)-40 {
		t.Errorf("squeezed %d bytes to %d: the indentation is still there", len(page), len(SqueezeSpace(page)))
	}
}

// parse renders the document tree of page as text, a whitespace-only text
// node as its line breaks.
func parse(t *testing.T, page string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		b.WriteString(strings.Repeat(" ", depth))
		switch n.Type {
		case html.TextNode:
			d := n.Data
			if strings.TrimSpace(d) == "" {
				d = strings.Repeat(`\n`, strings.Count(d, "\n"))
			}
			b.WriteString("text " + strings.ReplaceAll(d, "\n", `\n`))
		case html.ElementNode:
			b.WriteString("<" + n.Data)
			for _, a := range n.Attr {
				b.WriteString(" " + a.Key + "=" + a.Val)
			}
		default:
			b.WriteString("node " + n.Data)
		}
		b.WriteString("\n")
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(doc, 0)
	return b.String()
}

// TestSiteStylesheetKeepsNoSpaces: SqueezeSpace drops spaces that only a
// stylesheet keeping them (white-space: pre, pre-wrap, break-spaces) would
// show; none of the stylesheets every page links does (pre-line, which
// keeps line breaks only, is fine).
func TestSiteStylesheetKeepsNoSpaces(t *testing.T) {
	keeps := regexp.MustCompile(`white-space:\s*(pre|pre-wrap|break-spaces)\s*[;}]`)
	for _, name := range frontend.SiteCSSParts() {
		css, err := fs.ReadFile(frontend.Static(), name)
		if err != nil {
			t.Fatal(err)
		}
		if m := keeps.Find(css); m != nil {
			t.Errorf("%s sets %q: the product page, sent squeezed (kit.SqueezeSpace), could look different", name, m)
		}
	}
}
