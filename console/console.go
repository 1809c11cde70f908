// Package console is the web application for the people who work the
// cases: server-rendered pages in Chinese and English over the same API
// routes, called in-process for the signed-in user, so a page can never do
// what the API would refuse and a refused step shows the API's own field
// problems, translated.
package console

import (
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

//go:embed templates/*.html static/*
var assets embed.FS

// Deps are what the console needs.
type Deps struct {
	Store  *store.Store
	Logger *slog.Logger
	// DevSignIn offers the demo users to sign in as, with no password: set
	// only by caseflow dev, never by caseflow server.
	DevSignIn bool
	// OIDC signs users in at the identity provider; nil when none is set.
	OIDC *OIDC
	// Secure marks the cookies Secure (the console is served over TLS).
	Secure bool
	// SessionTTL is how long a session lasts; zero means DefaultSessionTTL.
	SessionTTL time.Duration
	// WebUIURL and Namespace link a case to its workflow in the Temporal Web UI.
	WebUIURL, Namespace string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// TimeZone is the company's (CASEFLOW_TIME_ZONE): the days and months
	// the console works out (a review's month, an action's due day, a
	// date filter) are its. Nil means complaint.DefaultTimeZone.
	TimeZone *time.Location
}

// DefaultSessionTTL: a working day, so a session started in the morning
// lasts the shift.
const DefaultSessionTTL = 12 * time.Hour

// Console serves the pages; API is the API's router, set by the server that
// mounts both (see UseAPI).
type Console struct {
	store      *store.Store
	logger     *slog.Logger
	dev        bool
	oidc       *OIDC
	secure     bool
	sessionTTL time.Duration
	webUIURL   string
	namespace  string
	now        func() time.Time
	zone       *time.Location
	pages      map[string]*template.Template
	api        http.Handler
}

// New builds the console.
func New(d Deps) (*Console, error) {
	c := &Console{store: d.Store, logger: d.Logger, dev: d.DevSignIn, oidc: d.OIDC, secure: d.Secure,
		sessionTTL: d.SessionTTL, webUIURL: d.WebUIURL, namespace: d.Namespace, now: d.Now, zone: d.TimeZone}
	if c.sessionTTL <= 0 {
		c.sessionTTL = DefaultSessionTTL
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.zone == nil {
		c.zone = complaint.DefaultLocation()
	}
	if c.logger == nil {
		c.logger = slog.Default()
	}
	var err error
	if c.pages, err = parsePages(); err != nil {
		return nil, err
	}
	return c, nil
}

// UseAPI gives the console the API it calls in-process.
func (c *Console) UseAPI(api http.Handler) { c.api = api }

// Access says who may reach a route: the public ones (signing in, assets)
// need no session; the others need a session whose principal the route's
// action allows.
type Access int

const (
	Signed Access = iota
	Public
)

// Route is one console page or form action and the action of the one
// authorization table it needs (auth.Policy).
type Route struct {
	Method, Path string
	Action       auth.Action
	Access       Access
	handle       func(*request)
}

// Routes lists every console route, for the router and the matrix test.
func (c *Console) Routes() []Route {
	routes := []Route{
		{http.MethodGet, "/", "", Public, c.home},
		{http.MethodGet, "/console/static/*file", "", Public, c.static},
		{http.MethodGet, "/console/lang", "", Public, c.switchLang},
		{http.MethodGet, "/console/signin", "", Public, c.signInPage},
		{http.MethodPost, "/console/signin/dev", "", Public, c.devSignIn},
		{http.MethodGet, "/console/oidc/login", "", Public, c.oidcLogin},
		{http.MethodGet, "/console/oidc/callback", "", Public, c.oidcCallback},
		{http.MethodPost, "/console/signout", auth.UseConsole, Signed, c.signOutAction},

		{http.MethodGet, "/console/", auth.UseConsole, Signed, c.myWork},
		{http.MethodGet, "/console/cases", auth.ReadComplaints, Signed, c.cases},
		{http.MethodGet, "/console/register", auth.RegisterComplaint, Signed, c.registerPage},
		{http.MethodPost, "/console/register", auth.RegisterComplaint, Signed, c.register},
		{http.MethodGet, "/console/cases/:id", auth.ReadComplaints, Signed, c.casePage},
		{http.MethodGet, "/console/cases/:id/version", auth.ReadComplaints, Signed, c.caseVersion},
		{http.MethodGet, "/console/visits", auth.ReadComplaints, Signed, c.myVisits},
		{http.MethodGet, "/console/cases/:id/visits/:visit/sign", auth.StepAction(complaint.StepServiceRecord), Signed, c.signPage},
		{http.MethodPost, "/console/cases/:id/visits/:visit/sign", auth.StepAction(complaint.StepServiceRecord), Signed, c.sign},
		{http.MethodGet, "/console/service-records/:number", auth.ReadComplaints, Signed, c.serviceRecordPDF},
		{http.MethodGet, "/console/customers", auth.ReadCustomers, Signed, c.customers},
		{http.MethodGet, "/console/customers/:id", auth.ReadCustomers, Signed, c.customer},
		{http.MethodGet, "/console/stock", auth.ReadStock, Signed, c.stock},
		{http.MethodPost, "/console/stock/items", auth.ManageStock, Signed, c.createStockItem},
		{http.MethodGet, "/console/stock/items/:id", auth.ReadStock, Signed, c.stockItem},
		{http.MethodPost, "/console/stock/items/:id/movements", auth.ManageStock, Signed, c.postMovement},
		{http.MethodGet, "/console/stock/units", auth.ReadStock, Signed, c.units},
		{http.MethodPost, "/console/stock/units", auth.ManageStock, Signed, c.registerUnit},
		{http.MethodPost, "/console/stock/units/:serial/repaired", auth.ManageStock, Signed, c.unitRepaired},
		{http.MethodGet, "/console/loans", auth.ReadStock, Signed, c.loans},
		{http.MethodPost, "/console/loans/:id/return", auth.StepAction(complaint.StepLoanReturn), Signed, c.returnLoan},
		{http.MethodGet, "/console/returns", auth.ReadReturns, Signed, c.returns},
		{http.MethodPost, "/console/returns", auth.RequestReturn, Signed, c.requestReturn},
		{http.MethodGet, "/console/returns/:id", auth.ReadReturns, Signed, c.returnPage},
		{http.MethodGet, "/console/capas", auth.ReadCapas, Signed, c.capas},
		{http.MethodPost, "/console/capas", auth.OpenCapa, Signed, c.openCapa},
		{http.MethodGet, "/console/capas/:id", auth.ReadCapas, Signed, c.capaPage},
		{http.MethodGet, "/console/followups", auth.ReadFollowups, Signed, c.followups},
		{http.MethodGet, "/console/followups/new", auth.OpenFollowup, Signed, c.followupNew},
		{http.MethodPost, "/console/followups", auth.OpenFollowup, Signed, c.openFollowup},
		{http.MethodGet, "/console/followups/:id", auth.ReadFollowups, Signed, c.followupPage},
		{http.MethodGet, "/console/feedback", auth.ReadFeedback, Signed, c.feedbackList},
		{http.MethodPost, "/console/feedback", auth.LogFeedback, Signed, c.logFeedbackPost},
		{http.MethodGet, "/console/feedback/:id", auth.ReadFeedback, Signed, c.feedbackItem},
		{http.MethodPost, "/console/feedback/:id/" + complaint.FeedbackStepAnswer,
			auth.FeedbackAction(complaint.FeedbackStepAnswer), Signed, c.answerFeedback},
		{http.MethodGet, "/console/reviews", auth.ReadReviews, Signed, c.reviews},
		{http.MethodPost, "/console/reviews", auth.RunReview, Signed, c.runReview},
		{http.MethodGet, "/console/reviews/:month", auth.ReadReviews, Signed, c.reviewPage},
		{http.MethodPost, "/console/reviews/:month/decision", auth.DecideAccountability, Signed, c.decide},
		{http.MethodGet, "/console/reviews/:month/print", auth.ReadReviews, Signed, c.reviewPrint},
		{http.MethodGet, "/console/reviews/:month/csv", auth.ReadReviews, Signed, c.reviewCSV},
		{http.MethodGet, "/console/board", auth.ViewBoard, Signed, c.board},
		{http.MethodGet, "/console/notifications", auth.ReadNotifications, Signed, c.notifications},
		{http.MethodGet, "/console/users", auth.ManageUsers, Signed, c.users},
		{http.MethodPost, "/console/users", auth.ManageUsers, Signed, c.createUser},
		{http.MethodPost, "/console/users/:id/tokens", auth.ManageUsers, Signed, c.issueToken},
		{http.MethodPost, "/console/tokens/:id/revoke", auth.ManageUsers, Signed, c.revokeToken},
	}
	// One form action per step, each needing that step's action.
	for _, st := range stepForms {
		routes = append(routes, Route{http.MethodPost, "/console/cases/:id/steps/" + st.name,
			auth.StepAction(st.name), Signed, c.takeStep(st)})
	}
	// And one per step of a return or exchange, each needing its action.
	for _, st := range returnStepForms {
		routes = append(routes, Route{http.MethodPost, "/console/returns/:id/steps/" + st.name,
			auth.ReturnAction(st.name), Signed, c.takeReturnStep(st)})
	}
	// And one per step of a corrective action, each needing its action.
	for _, st := range capaStepForms {
		routes = append(routes, Route{http.MethodPost, "/console/capas/:id/steps/" + st.name,
			auth.CapaAction(st.name), Signed, c.takeCapaStep(st)})
	}
	// And one per step of a follow-up, each needing its action.
	for _, step := range complaint.FollowupSteps() {
		routes = append(routes, Route{http.MethodPost, "/console/followups/:id/steps/" + step,
			auth.FollowupAction(step), Signed, c.takeFollowupStep(step)})
	}
	return routes
}

const pageCSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; " +
	"form-action 'self'; frame-ancestors 'none'"

// Handler is the gin chain of a route: language, then for a signed route
// the session, the authorization by the route's action and, for a form
// post, the CSRF token.
func (c *Console) Handler(rt Route) gin.HandlerFunc {
	return func(g *gin.Context) {
		// The pages load their own script and style, and nothing from
		// elsewhere (the API's policy allows nothing at all).
		g.Header("Content-Security-Policy", pageCSP)
		req := &request{Context: g, console: c, lang: langOf(g.Request)}
		if rt.Access == Signed {
			s, err := c.sessionOf(g.Request)
			switch {
			case errors.Is(err, errNoSession) && g.Request.Method == http.MethodGet:
				g.Redirect(http.StatusSeeOther, "/console/signin")
				return
			case errors.Is(err, errNoSession):
				req.fail(http.StatusUnauthorized, "session.expired")
				return
			case err != nil:
				c.logger.Error("console session", "err", err)
				req.fail(http.StatusServiceUnavailable, "error.unavailable")
				return
			}
			req.session = s
			// Authorization comes before the CSRF check, so that a
			// forbidden action reads as forbidden whatever the form holds.
			var forbidden *auth.ForbiddenError
			if err := auth.Authorize(s.principal, rt.Action); errors.As(err, &forbidden) {
				req.failf(http.StatusForbidden, "error.forbidden", forbidden.Need)
				return
			}
			if g.Request.Method != http.MethodGet && !validCSRF(g.Request, s) {
				req.fail(http.StatusForbidden, "error.csrf")
				return
			}
		}
		rt.handle(req)
	}
}
