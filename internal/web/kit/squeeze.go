package kit

import "strings"

// SqueezeSpace drops the templates' indentation from a rendered page: a
// text between two tags that is only whitespace and holds a line break
// keeps its line breaks and loses its spaces and tabs. A browser shows
// such a text as one space wherever white-space collapses (normal,
// nowrap) and as the same line breaks where only spaces collapse
// (pre-line), so the page looks the same; whitespace within words,
// spaces alone between inline tags, attribute values, comments and the
// contents of pre, textarea, script and style are kept byte for byte. It
// would change a page whose stylesheet keeps spaces (white-space: pre,
// pre-wrap, break-spaces) on an element that holds other tags
// (TestSiteStylesheetKeepsNoSpaces). It is for pages rendered once and
// cached, the product page: it costs a pass over the page.
func SqueezeSpace(page string) string {
	var b strings.Builder
	b.Grow(len(page))
	i := 0
	for i < len(page) {
		if isTagStart(page, i) {
			end := tagEnd(page, i)
			b.WriteString(page[i:end])
			if name := rawElement(page[i:end]); name != "" {
				// Kept as it is up to its closing tag.
				j := strings.Index(strings.ToLower(page[end:]), "</"+name)
				if j < 0 {
					j = len(page) - end
				}
				b.WriteString(page[end : end+j])
				end += j
			}
			i = end
			continue
		}
		j := i + 1
		for j < len(page) && !isTagStart(page, j) {
			j++
		}
		text := page[i:j]
		if i > 0 && j < len(page) && strings.Contains(text, "\n") && strings.Trim(text, " \t\r\n\f") == "" {
			text = strings.Repeat("\n", strings.Count(text, "\n"))
		}
		b.WriteString(text)
		i = j
	}
	return b.String()
}

// isTagStart reports whether a tag, a closing tag, a comment or a doctype
// begins at page[i]; any other "<" is text (html/template writes it &lt;).
func isTagStart(page string, i int) bool {
	if page[i] != '<' || i+1 >= len(page) {
		return false
	}
	c := page[i+1]
	return c == '/' || c == '!' || c == '?' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// tagEnd is the index just after the tag that starts at page[i]: after
// "-->" for a comment, else after the first ">" outside quotes.
func tagEnd(page string, i int) int {
	if strings.HasPrefix(page[i:], "<!--") {
		if j := strings.Index(page[i+4:], "-->"); j >= 0 {
			return i + 4 + j + 3
		}
		return len(page)
	}
	var quote byte
	for j := i + 1; j < len(page); j++ {
		switch c := page[j]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return j + 1
		}
	}
	return len(page)
}

// rawElement is the name of the element tag opens when its contents must
// be kept as they are (pre, textarea, script, style), else "".
func rawElement(tag string) string {
	if len(tag) < 2 || tag[1] == '/' || tag[1] == '!' || tag[1] == '?' {
		return ""
	}
	n := 1
	for n < len(tag) && (tag[n] >= 'a' && tag[n] <= 'z' || tag[n] >= 'A' && tag[n] <= 'Z' || tag[n] >= '0' && tag[n] <= '9') {
		n++
	}
	switch name := strings.ToLower(tag[1:n]); name {
	case "pre", "textarea", "script", "style":
		return name
	}
	return ""
}
