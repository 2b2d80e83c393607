// Package i18n translates the interface: Vietnamese first, English second.
// Messages live in frontend/i18n as flat JSON files named AREA.LANG.json
// (core.vi.json, registry.en.json...), so each area keeps its own file.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Languages the site speaks, the default first.
var Languages = []string{"vi", "en"}

// Default is the language of a visitor who has not chosen one.
const Default = "vi"

// Bundle holds every message in every language.
type Bundle struct {
	localizers map[string]*goi18n.Localizer
}

// Load reads all *.json message files from fsys. A file whose language is
// not one of Languages is a start-up error.
func Load(fsys fs.FS) (*Bundle, error) {
	b := goi18n.NewBundle(language.Vietnamese)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	keys := map[string]map[string]bool{}
	files, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("i18n: no message files")
	}
	for _, f := range files {
		parts := strings.Split(path.Base(f), ".")
		if len(parts) < 3 || !Supported(parts[len(parts)-2]) {
			return nil, fmt.Errorf("i18n: %s: name must be AREA.LANG.json with LANG in %v", f, Languages)
		}
		raw, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		mf, err := b.ParseMessageFileBytes(raw, f)
		if err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", f, err)
		}
		lang := parts[len(parts)-2]
		if keys[lang] == nil {
			keys[lang] = map[string]bool{}
		}
		for _, m := range mf.Messages {
			if keys[lang][m.ID] {
				return nil, fmt.Errorf("i18n: %s: message %q is defined twice", f, m.ID)
			}
			keys[lang][m.ID] = true
		}
	}
	l := map[string]*goi18n.Localizer{}
	for _, lang := range Languages {
		l[lang] = goi18n.NewLocalizer(b, lang)
	}
	return &Bundle{localizers: l}, nil
}

// Supported reports whether lang is a language of the site.
func Supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// T translates key into lang. data fills {{.Name}} placeholders. A missing
// key returns the key itself, so a gap shows on the page instead of breaking it;
// the test of message files makes sure no key is missing in any language.
func (b *Bundle) T(lang, key string, data ...any) string {
	loc, ok := b.localizers[lang]
	if !ok {
		loc = b.localizers[Default]
	}
	cfg := &goi18n.LocalizeConfig{MessageID: key}
	if len(data) == 1 {
		cfg.TemplateData = data[0]
	} else if len(data) > 1 {
		m := map[string]any{}
		for i := 0; i+1 < len(data); i += 2 {
			m[fmt.Sprint(data[i])] = data[i+1]
		}
		cfg.TemplateData = m
	}
	s, err := loc.Localize(cfg)
	if err != nil || s == "" {
		return key
	}
	return s
}
