package console

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
)

// request is one console request: the gin context, the user's language and,
// on a signed route, the session.
type request struct {
	*gin.Context
	console *Console
	lang    Lang
	session session
}

// page is what every template gets.
type page struct {
	Lang      Lang
	Title     string
	Signed    bool
	User      string
	CSRF      string
	Nav       []navItem
	Path      string
	Flash     string
	Error     string
	Dev       bool
	Data      any
	LangLinks []langLink
}

type navItem struct {
	Href, Label string
	Current     bool
}

type langLink struct {
	Href, Label string
	Current     bool
}

// render writes a page with the layout.
func (r *request) render(status int, name, titleKey string, data any) {
	p := r.page(titleKey)
	p.Data = data
	r.renderPage(status, name, p)
}

func (r *request) renderPage(status int, name string, p page) {
	t, ok := r.console.pages[name]
	if !ok {
		panic("console: no page " + name)
	}
	r.Header("Content-Type", "text/html; charset=utf-8")
	r.Header("Cache-Control", "no-store")
	r.Status(status)
	if err := t.ExecuteTemplate(r.Writer, "layout", p); err != nil {
		r.console.logger.Error("console render", "page", name, "err", err)
	}
}

// page fills what the layout needs.
func (r *request) page(titleKey string) page {
	p := page{Lang: r.lang, Title: r.lang.T(titleKey), Path: r.Request.URL.Path, Dev: r.console.dev,
		Flash: flashText(r), LangLinks: r.langLinks()}
	if r.session.principal.UserID != "" {
		p.Signed = true
		p.User = r.session.principal.Name
		if p.User == "" {
			p.User = r.session.principal.UserID
		}
		p.CSRF = r.session.csrf
		p.Nav = r.console.nav(r)
	}
	return p
}

// fail answers an error page (or, for a script, the status alone).
func (r *request) fail(status int, key string) {
	r.failf(status, key)
}

func (r *request) failf(status int, key string, args ...any) {
	msg := r.lang.T(key)
	if len(args) > 0 {
		msg = fmt.Sprintf(msg, args...)
	}
	p := r.page("error.title")
	p.Error = msg
	r.renderPage(status, "error", p)
	r.Abort()
}

// seeOther redirects after a form post (post, redirect, get).
func (r *request) seeOther(path string) {
	r.Redirect(http.StatusSeeOther, path)
}

func (r *request) langLinks() []langLink {
	back := r.Request.URL.RequestURI()
	out := make([]langLink, 0, len(Langs))
	for _, l := range Langs {
		out = append(out, langLink{Href: "/console/lang?to=" + string(l) + "&back=" + urlQueryEscape(back),
			Label: l.T("lang." + string(l)), Current: l == r.lang})
	}
	return out
}
