package console

import (
	"net/http"
	"strings"

	"golang.org/x/text/language"
)

// Lang is a language the console speaks.
type Lang string

const (
	English Lang = "en"
	Chinese Lang = "zh-CN"
)

// Langs lists the console's languages, in catalog order.
var Langs = []Lang{English, Chinese}

var matcher = language.NewMatcher([]language.Tag{language.English, language.SimplifiedChinese})

// langCookie keeps the language a user switched to.
const langCookie = "caseflow_lang"

// langOf picks the language: the one the user switched to, else the best
// match of Accept-Language, else English.
func langOf(r *http.Request) Lang {
	if c, err := r.Cookie(langCookie); err == nil {
		if l, ok := parseLang(c.Value); ok {
			return l
		}
	}
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if _, i, conf := matcher.Match(tags...); conf != language.No && i == 1 {
		return Chinese
	}
	return English
}

func parseLang(s string) (Lang, bool) {
	switch strings.ToLower(s) {
	case "en":
		return English, true
	case "zh-cn", "zh":
		return Chinese, true
	}
	return "", false
}

// T translates a catalog key; a key missing from the catalog shows as
// itself, which TestEveryKeyIsTranslated prevents.
func (l Lang) T(key string) string {
	e, ok := catalog[key]
	if !ok {
		return key
	}
	if l == Chinese {
		return e[1]
	}
	return e[0]
}

// Enum translates a vocabulary value: list is the vocabulary's name
// ("stage", "department", …), as the enum tags name them.
func (l Lang) Enum(list, value string) string {
	if value == "" {
		return ""
	}
	return l.T(list + "." + value)
}
