package console

import (
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/caseflow/caseflow/auth"
)

// pageNames are the templates under templates/, each drawn in layout.html.
var pageNames = []string{"signin", "error", "mywork", "cases", "register", "case", "board", "notifications", "users",
	"customers", "customer", "visits", "sign", "stock", "stock_item",
	"loans", "units", "returns", "return", "capas", "capa", "reviews", "review",
	"followups", "followup", "followup_new", "feedback_list", "feedback"}

func parsePages() (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(assets, "templates/layout.html",
			"templates/form.html", "templates/"+name+".html")
		if err != nil {
			return nil, err
		}
		pages[name] = t
	}
	return pages, nil
}

var funcs = template.FuncMap{
	"t":    func(l Lang, key string) string { return l.T(key) },
	"enum": func(l Lang, list, value string) string { return l.Enum(list, value) },
	"when": func(l Lang, t time.Time) string { return formatTime(l, t) },
	"iso":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	// whenText shows an RFC 3339 time the API keeps as text (a record's
	// signed_at) as "when" does; other text shows as it is.
	"whenText": func(l Lang, s string) string {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return s
		}
		return formatTime(l, t)
	},
	// withLang hands a shared template its data and the language.
	"withLang": func(l Lang, data any) any {
		return struct {
			Lang Lang
			Data any
		}{l, data}
	},
	"join":  strings.Join,
	"money": formatAmount,
	"rows": func(l Lang, rows []caseRow, webUI string) any {
		return struct {
			Lang  Lang
			Rows  []caseRow
			WebUI string
		}{l, rows, webUI}
	},
	"rowclocks": func(l Lang, clocks []clockView) any {
		return struct {
			Lang   Lang
			Clocks []clockView
		}{l, clocks}
	},
}

// formatTime shows a time in the server's zone (time.Local), which the
// browser's script rewrites into the user's own; without the script the
// page and its datetime inputs (localInput, rfc3339Of) agree on it.
func formatTime(l Lang, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	if l == Chinese {
		return t.Local().Format("2006年1月2日 15:04")
	}
	return t.Local().Format("2 Jan 2006 15:04")
}

// formatAmount shows a quote's amount with its thousands grouped and the
// currency's minor unit: none for the yen, cents for the others.
func formatAmount(amount float64, currency string) string {
	decimals := 2
	if currency == "JPY" {
		decimals = 0
	}
	s := strconv.FormatFloat(amount, 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	sign := ""
	if strings.HasPrefix(whole, "-") {
		sign, whole = "-", whole[1:]
	}
	var b strings.Builder
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	if frac != "" {
		return sign + b.String() + "." + frac
	}
	return sign + b.String()
}

// nav lists the pages the user may open: the same table decides.
func (c *Console) nav(r *request) []navItem {
	items := []struct {
		href, key string
		action    auth.Action
		role      auth.Role // only for this role, when set
	}{
		{"/console/", "nav.mywork", auth.UseConsole, ""},
		{"/console/visits", "nav.visits", auth.ReadComplaints, auth.Engineer},
		{"/console/cases", "nav.cases", auth.ReadComplaints, ""},
		{"/console/register", "nav.register", auth.RegisterComplaint, ""},
		{"/console/customers", "nav.customers", auth.ReadCustomers, ""},
		{"/console/stock", "nav.stock", auth.ReadStock, ""},
		{"/console/loans", "nav.loans", auth.ReadStock, ""},
		{"/console/returns", "nav.returns", auth.ReadReturns, ""},
		{"/console/capas", "nav.capas", auth.ReadCapas, ""},
		{"/console/followups", "nav.followups", auth.ReadFollowups, ""},
		{"/console/feedback", "nav.feedback", auth.ReadFeedback, ""},
		{"/console/reviews", "nav.reviews", auth.ReadReviews, ""},
		{"/console/board", "nav.board", auth.ViewBoard, ""},
		{"/console/notifications", "nav.notifications", auth.ReadNotifications, ""},
		{"/console/users", "nav.users", auth.ManageUsers, ""},
	}
	var out []navItem
	for _, it := range items {
		if auth.Authorize(r.session.principal, it.action) == nil && (it.role == "" || r.session.principal.Has(it.role)) {
			out = append(out, navItem{Href: it.href, Label: r.lang.T(it.key), Current: r.Request.URL.Path == it.href})
		}
	}
	return out
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// localPath keeps a redirect target on this site: a path, not a URL.
func localPath(s string) string {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") {
		return "/console/"
	}
	return s
}

// flashText is the message a redirect after a form left in the query.
func flashText(r *request) string {
	done := r.Query("done")
	if done == "" {
		return ""
	}
	if _, ok := catalog["step."+done]; ok {
		return fmt.Sprintf(r.lang.T("case.step.done"), r.lang.T("step."+done))
	}
	return ""
}

func (c *Console) home(r *request) { r.seeOther("/console/") }

var staticFiles, _ = fs.Sub(assets, "static")

func (c *Console) static(r *request) {
	r.Header("Cache-Control", "public, max-age=3600")
	r.FileFromFS(strings.TrimPrefix(r.Param("file"), "/"), http.FS(staticFiles))
}

// switchLang keeps the chosen language in a cookie and goes back.
func (c *Console) switchLang(r *request) {
	l, ok := parseLang(r.Query("to"))
	if !ok {
		l = English
	}
	http.SetCookie(r.Writer, &http.Cookie{Name: langCookie, Value: string(l), Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: c.secure, MaxAge: 365 * 24 * 3600})
	r.seeOther(localPath(r.Query("back")))
}
