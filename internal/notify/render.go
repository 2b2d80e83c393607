package notify

import (
	htmltemplate "html/template"
	"io/fs"
	"strings"
	texttemplate "text/template"
)

// Translator gives a message in a language (i18n.Bundle implements it).
type Translator interface {
	T(lang, key string, data ...any) string
}

// Templates renders messages from frontend/templates/mail: message.html
// and message.txt, one layout for every kind, with the words from the
// message files (notify.<kind>.subject and .body, notify.field.<name>), so
// adding a kind needs messages, not templates.
type Templates struct {
	html *htmltemplate.Template
	text *texttemplate.Template
	msgs Translator
}

// LoadTemplates parses mail/message.html and mail/message.txt of fsys
// (frontend.Templates()); a broken template stops the program at start.
func LoadTemplates(fsys fs.FS, msgs Translator) (*Templates, error) {
	h, err := htmltemplate.ParseFS(fsys, "mail/message.html")
	if err != nil {
		return nil, err
	}
	t, err := texttemplate.ParseFS(fsys, "mail/message.txt")
	if err != nil {
		return nil, err
	}
	return &Templates{html: h, text: t, msgs: msgs}, nil
}

// mailView is the data of both templates.
type mailView struct {
	Lang, SiteName, SiteURL                   string
	Subject, Greeting, Body, Action, LinkHint string
	Fields                                    []fieldView
	Link, Unsubscribe, Settings               string
	Why, UnsubscribeLabel, SettingsLabel      string
}

type fieldView struct {
	Label, Value string
	URL          bool
}

// Rendered is a message in one language.
type Rendered struct {
	Subject, Text, HTML string
}

// Title is a notification's one-line title in lang: the subject of its e-mail.
func (t *Templates) Title(lang string, n Notification) string {
	return t.msgs.T(lang, "notify."+string(n.Kind)+".subject", n.Values())
}

// Body is a notification's sentence in lang.
func (t *Templates) Body(lang string, n Notification) string {
	return t.msgs.T(lang, "notify."+string(n.Kind)+".body", n.Values())
}

// Label is the label of a detail in lang.
func (t *Templates) Label(lang, name string) string { return t.msgs.T(lang, "notify.field."+name) }

// Render writes n for a recipient called name, in lang. baseURL makes the
// links absolute; unsubscribe is the signed one-click link.
func (t *Templates) Render(lang, name, baseURL string, n Notification, unsubscribe string) (Rendered, error) {
	v := mailView{Lang: lang, SiteName: t.msgs.T(lang, "site.name"), SiteURL: baseURL + "/",
		Subject: t.Title(lang, n), Greeting: t.msgs.T(lang, "notify.mail.greeting", "Name", name), Body: t.Body(lang, n),
		Action: t.msgs.T(lang, "notify.mail.action"), LinkHint: t.msgs.T(lang, "notify.mail.link_hint"),
		Link: baseURL + n.Link, Unsubscribe: unsubscribe, Settings: baseURL + "/account/notifications",
		Why:              t.msgs.T(lang, "notify.mail.why", "Kind", t.msgs.T(lang, "notify.kind."+string(n.Kind))),
		UnsubscribeLabel: t.msgs.T(lang, "notify.mail.unsubscribe"), SettingsLabel: t.msgs.T(lang, "notify.mail.settings")}
	for _, f := range t.Fields(lang, n) {
		v.Fields = append(v.Fields, fieldView{Label: f.Name, Value: f.Value, URL: f.URL})
	}
	var h, x strings.Builder
	if err := t.html.Execute(&h, v); err != nil {
		return Rendered{}, err
	}
	if err := t.text.Execute(&x, v); err != nil {
		return Rendered{}, err
	}
	return Rendered{Subject: v.Subject, HTML: h.String(), Text: x.String()}, nil
}

// valueKeys names the fields whose values are codes with a message of
// their own: an application's status, a payment issue's kind.
var valueKeys = map[string]string{"status": "registry.status.", "issue": "notify.issue."}

// ShownField is a detail ready to show: its label and value in a language.
type ShownField struct {
	Name  string `json:"name"`  // the translated label
	Value string `json:"value"` // coded values translated
	URL   bool   `json:"url"`   // Value is a link (https only)
}

// Fields are n's details in lang, labels and coded values translated.
func (t *Templates) Fields(lang string, n Notification) []ShownField {
	var out []ShownField
	for _, f := range n.Fields() {
		v := f.Value
		if prefix, ok := valueKeys[f.Name]; ok {
			v = t.msgs.T(lang, prefix+v)
		}
		out = append(out, ShownField{Name: t.Label(lang, f.Name), Value: v,
			URL: strings.HasSuffix(f.Name, "_url") && strings.HasPrefix(f.Value, "https://")})
	}
	return out
}
