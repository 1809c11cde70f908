// Package server is caseflow's HTTP API: it registers complaints (starting
// their workflows), carries human steps into them, and reads cases from the
// store.
package server

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"

	"github.com/caseflow/caseflow/actorsig"
	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/console"
	"github.com/caseflow/caseflow/imports"
	"github.com/caseflow/caseflow/notify"
	"github.com/caseflow/caseflow/payloadcrypt"
	"github.com/caseflow/caseflow/servicerecord"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// Deps are what the API needs.
type Deps struct {
	// ActorKeys sign each step's actor for the workflow (see actorsig).
	ActorKeys *actorsig.Keyring
	Temporal  client.Client
	Store     *store.Store
	TaskQueue string
	Logger    *slog.Logger
	Metrics   *prometheus.Registry
	Auth      *auth.Authenticator
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// WebhookTargets says which webhook URLs users may be given.
	WebhookTargets notify.WebhookTargets
	// MaxReceivedAge bounds how far in the past a complaint's received_at
	// may lie; zero means DefaultMaxReceivedAge.
	MaxReceivedAge time.Duration
	// WebUI is the Temporal Web UI served with the API, which /readyz
	// waits for; zero when there is none (the production server).
	WebUI WebUI
	// Console is the web console served beside the API; nil for none.
	Console *console.Console
	// ServiceRecords renders service records as PDF; nil when no CJK font
	// was found (the PDF answers 503 then). Company heads each record.
	ServiceRecords *servicerecord.Renderer
	Company        string
	// TimeZone is the company's: corrective actions' dates and the monthly
	// review's months; nil means complaint.DefaultTimeZone.
	TimeZone *time.Location
	// Payloads seals what the API sends Temporal and opens what it reads
	// back (memos, inputs); the codec server answers with it. Nil: plain.
	Payloads *payloadcrypt.Codec
	// CodecCORSOrigin is the Temporal Web UI's origin, the one origin
	// whose pages may call the codec server.
	CodecCORSOrigin string
}

// DefaultMaxReceivedAge: a complaint received more than a year ago is a
// typo or an attack on its clocks, not an intake.
const DefaultMaxReceivedAge = 365 * 24 * time.Hour

type handlers struct {
	actorKeys *actorsig.Keyring
	temporal  client.Client
	store     *store.Store
	taskQueue string
	logger    *slog.Logger
	auth      *auth.Authenticator
	now       func() time.Time
	webhooks  notify.WebhookTargets
	maxAge    time.Duration
	flights   *flights
	webUI     WebUI
	records   *servicerecord.Renderer
	company   string
	timeZone  *time.Location
	// surveyLimits bound the public survey page's requests.
	surveyLimits surveyLimits
	payloads     *payloadcrypt.Codec
	codecOrigin  string
	// console vouches for the codec server's callers by their session.
	console *console.Console
}

// NewRouter builds the whole HTTP API in one place.
func NewRouter(d Deps) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	h := &handlers{actorKeys: d.ActorKeys, temporal: d.Temporal, store: d.Store, taskQueue: d.TaskQueue, logger: d.Logger,
		auth: d.Auth, now: d.Now, maxAge: d.MaxReceivedAge, webUI: d.WebUI, records: d.ServiceRecords, company: d.Company}
	h.payloads, h.codecOrigin = d.Payloads, d.CodecCORSOrigin
	h.console = d.Console
	if h.now == nil {
		h.now = time.Now
	}
	h.timeZone = d.TimeZone
	if h.timeZone == nil {
		h.timeZone = complaint.DefaultLocation()
	}
	h.webhooks = d.WebhookTargets
	h.flights = newFlights(d.Metrics)
	d.Metrics.MustRegister(NewOpenCasesCollector(d.Store, d.Logger))
	h.surveyLimits = newSurveyLimits(h.now)
	if h.maxAge <= 0 {
		h.maxAge = DefaultMaxReceivedAge
	}

	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.Use(requestLog(d.Logger), recovery(d.Logger), securityHeaders, requestMetrics(d.Metrics))
	r.NoRoute(func(c *gin.Context) {
		abortWithError(c, http.StatusNotFound, CodeNotFound,
			"no such endpoint: "+c.Request.Method+" "+redactPath(c.Request.URL.Path), nil)
	})
	r.NoMethod(func(c *gin.Context) {
		abortWithError(c, http.StatusMethodNotAllowed, "method_not_allowed", c.Request.Method+" is not allowed here", nil)
	})

	for _, rt := range h.routes() {
		chain := []gin.HandlerFunc{h.authenticate, h.authorize(rt.Action), checkInput, rt.handle}
		switch {
		case strings.HasPrefix(rt.Path, codecPrefix) && rt.Action == "":
			// The browser's preflight carries no credentials.
			chain = []gin.HandlerFunc{h.codecCORS, checkInput, rt.handle}
		case strings.HasPrefix(rt.Path, codecPrefix):
			// The Web UI calls with the console's cookie, from its origin.
			chain = append([]gin.HandlerFunc{h.codecCORS, h.codecSession}, chain...)
		case strings.HasPrefix(rt.Path, surveyPrefix):
			// The customer's page checks its own input and answers every
			// refusal as a page in the reader's language.
			chain = []gin.HandlerFunc{rt.handle}
		case rt.Action == "":
			chain = []gin.HandlerFunc{checkInput, rt.handle}
		}
		r.Handle(rt.Method, rt.Path, chain...)
	}
	// The console's pages call the API above in-process, for the session's
	// user, so both answer to the one table (auth.Policy).
	if d.Console != nil {
		for _, rt := range d.Console.Routes() {
			r.Handle(rt.Method, rt.Path, d.Console.Handler(rt))
		}
		d.Console.UseAPI(r)
	}
	return r
}

// Route is one endpoint of the API and the action it needs ("" for the
// public operations endpoints).
type Route struct {
	Method, Path string
	Action       auth.Action
	handle       gin.HandlerFunc
}

func (h *handlers) routes() []Route {
	return []Route{
		{http.MethodGet, "/healthz", "", h.healthz},
		{http.MethodGet, "/readyz", "", h.readyz},
		{http.MethodGet, "/openapi.yaml", "", h.openAPI},
		// The customer's survey page: public, its token the credential.
		{http.MethodGet, "/survey/:token", "", h.surveyPage},
		{http.MethodPost, "/survey/:token", "", h.answerSurvey},

		{http.MethodPost, "/api/v1/complaints", auth.RegisterComplaint, h.registerComplaint},
		{http.MethodGet, "/api/v1/complaints", auth.ReadComplaints, h.listComplaints},
		{http.MethodGet, "/api/v1/complaints/:id", auth.ReadComplaints, h.getComplaint},
		{http.MethodGet, "/api/v1/complaints/:id/timeline", auth.ReadComplaints, h.getTimeline},
		{http.MethodPost, "/api/v1/complaints/:id/contact", auth.StepContact, step[complaint.ContactBody](h, workflows.UpdateContact)},
		{http.MethodPost, "/api/v1/complaints/:id/confirm", auth.StepConfirm, step(h, workflows.UpdateConfirm, h.checkAssignedEngineer)},
		{http.MethodPost, "/api/v1/complaints/:id/analysis", auth.StepAnalysis, step[complaint.AnalysisBody](h, workflows.UpdateAnalysis)},
		{http.MethodPost, "/api/v1/complaints/:id/proposals", auth.StepProposal, step[complaint.ProposalBody](h, workflows.UpdateProposals)},
		{http.MethodPost, "/api/v1/complaints/:id/agreement", auth.StepAgreement, step[complaint.AgreementBody](h, workflows.UpdateAgreement)},
		{http.MethodPost, "/api/v1/complaints/:id/approvals", auth.StepApproval, step[complaint.ApprovalBody](h, workflows.UpdateApprovals)},
		{http.MethodPost, "/api/v1/complaints/:id/progress", auth.StepProgress, step[complaint.NoteBody](h, workflows.UpdateProgress)},
		{http.MethodPost, "/api/v1/complaints/:id/corrective-actions", auth.StepCorrective, step[complaint.CorrectiveActionBody](h, workflows.UpdateCorrectiveActions)},
		{http.MethodPost, "/api/v1/complaints/:id/resolve", auth.StepResolve, step[complaint.NoteBody](h, workflows.UpdateResolve)},
		{http.MethodPost, "/api/v1/complaints/:id/close", auth.StepClose, step[complaint.CloseBody](h, workflows.UpdateClose)},
		{http.MethodPost, "/api/v1/complaints/:id/withdraw", auth.StepWithdraw, step[complaint.NoteBody](h, workflows.UpdateWithdraw)},
		{http.MethodPost, "/api/v1/complaints/:id/onsite", auth.StepOnsite, step[complaint.OptionalNoteBody](h, workflows.UpdateOnsite)},
		{http.MethodPost, "/api/v1/complaints/:id/pause", auth.StepPause, step[complaint.PauseBody](h, workflows.UpdatePause)},
		{http.MethodPost, "/api/v1/complaints/:id/resume", auth.StepResume, step[complaint.OptionalNoteBody](h, workflows.UpdateResume)},
		{http.MethodPost, "/api/v1/complaints/:id/interim", auth.StepInterim, step[complaint.InterimBody](h, workflows.UpdateInterim)},
		{http.MethodPost, "/api/v1/complaints/:id/quote", auth.StepQuote, step[complaint.QuoteBody](h, workflows.UpdateQuote)},
		{http.MethodPost, "/api/v1/complaints/:id/quote-decision", auth.StepQuoteDecision, step[complaint.QuoteDecisionBody](h, workflows.UpdateQuoteDecision)},
		{http.MethodPost, "/api/v1/complaints/:id/waiver", auth.StepWaiver, step[complaint.NoteBody](h, workflows.UpdateWaiver)},
		{http.MethodPost, "/api/v1/complaints/:id/close-declined", auth.StepCloseDeclined, step[complaint.NoteBody](h, workflows.UpdateCloseDeclined)},
		{http.MethodPost, "/api/v1/complaints/:id/engineers", auth.StepAction(complaint.StepEngineers), step(h, workflows.UpdateEngineers, h.checkCaseEngineers)},
		{http.MethodPost, "/api/v1/complaints/:id/visits", auth.StepAction(complaint.StepVisits), step(h, workflows.UpdateVisits, h.checkVisitEngineers)},
		{http.MethodGet, "/api/v1/complaints/:id/visits", auth.ReadComplaints, h.getVisits},
		{http.MethodPost, "/api/v1/complaints/:id/check-in", auth.StepAction(complaint.StepCheckIn), step[complaint.CheckInBody](h, workflows.UpdateCheckIn)},
		{http.MethodPost, "/api/v1/complaints/:id/check-out", auth.StepAction(complaint.StepCheckOut), step[complaint.CheckOutBody](h, workflows.UpdateCheckOut)},
		{http.MethodPost, "/api/v1/complaints/:id/service-record", auth.StepAction(complaint.StepServiceRecord), h.fileServiceRecord},
		{http.MethodPost, "/api/v1/complaints/:id/record-waiver", auth.StepAction(complaint.StepRecordWaiver), step[complaint.RecordWaiverBody](h, workflows.UpdateRecordWaiver)},
		{http.MethodPost, "/api/v1/complaints/:id/loan-return", auth.StepAction(complaint.StepLoanReturn), step[complaint.LoanReturnBody](h, workflows.UpdateLoanReturn)},
		{http.MethodPost, "/api/v1/complaints/:id/loan-convert", auth.StepAction(complaint.StepLoanConvert), step[complaint.LoanConvertBody](h, workflows.UpdateLoanConvert)},
		{http.MethodPost, "/api/v1/loans/:id/return", auth.StepAction(complaint.StepLoanReturn), h.returnLoan},
		{http.MethodGet, "/api/v1/service-records/:number", auth.ReadComplaints, h.getServiceRecord},
		{http.MethodGet, "/api/v1/me/visits", auth.ReadComplaints, h.myVisits},
		{http.MethodGet, "/api/v1/stock/warehouses", auth.ReadStock, h.listWarehouses},
		{http.MethodPut, "/api/v1/stock/warehouses/:warehouse", auth.ManageStock, h.putWarehouse},
		{http.MethodGet, "/api/v1/stock/items", auth.ReadStock, h.listStockItems},
		{http.MethodPost, "/api/v1/stock/items", auth.ManageStock, h.createStockItem},
		{http.MethodGet, "/api/v1/stock/items/:part_number", auth.ReadStock, h.getStockItem},
		{http.MethodPost, "/api/v1/stock/movements", auth.ManageStock, h.postMovement},
		{http.MethodGet, "/api/v1/stock/units", auth.ReadStock, h.listUnits},
		{http.MethodPost, "/api/v1/stock/units", auth.ManageStock, h.registerUnit},
		{http.MethodPost, "/api/v1/stock/units/:serial/repaired", auth.ManageStock, h.unitRepaired},
		{http.MethodGet, "/api/v1/loans", auth.ReadStock, h.listLoans},
		{http.MethodGet, "/api/v1/loans/:id", auth.ReadStock, h.getLoan},
		{http.MethodPost, "/api/v1/capas", auth.OpenCapa, h.openCapa},
		{http.MethodGet, "/api/v1/capas", auth.ReadCapas, h.listCapas},
		{http.MethodGet, "/api/v1/capas/:id", auth.ReadCapas, h.getCapa},
		{http.MethodGet, "/api/v1/capas/:id/timeline", auth.ReadCapas, h.getCapaTimeline},
		{http.MethodPost, "/api/v1/capas/:id/done", auth.CapaAction(complaint.CapaStepDone), capaStep(h, workflows.UpdateCapaDone)},
		{http.MethodPost, "/api/v1/capas/:id/verify", auth.CapaAction(complaint.CapaStepVerify), capaStep(h, workflows.UpdateCapaVerify)},
		{http.MethodPost, "/api/v1/followups", auth.OpenFollowup, h.openFollowup},
		{http.MethodGet, "/api/v1/followups", auth.ReadFollowups, h.listFollowups},
		{http.MethodGet, "/api/v1/followups/:id", auth.ReadFollowups, h.getFollowup},
		{http.MethodGet, "/api/v1/followups/:id/timeline", auth.ReadFollowups, h.getFollowupTimeline},
		{http.MethodPost, "/api/v1/followups/:id/done", auth.FollowupAction(complaint.FollowupStepDone), followupStep(h, workflows.UpdateFollowupDone, checkDone, h.raiseComplaint)},
		{http.MethodPost, "/api/v1/followups/:id/cancel", auth.FollowupAction(complaint.FollowupStepCancel), followupStep(h, workflows.UpdateFollowupCancel, nil, nil)},
		{http.MethodPost, "/api/v1/feedback", auth.LogFeedback, h.logFeedback},
		{http.MethodGet, "/api/v1/feedback", auth.ReadFeedback, h.listFeedback},
		{http.MethodGet, "/api/v1/feedback/:id", auth.ReadFeedback, h.getFeedback},
		{http.MethodGet, "/api/v1/feedback/:id/timeline", auth.ReadFeedback, h.getFeedbackTimeline},
		{http.MethodPost, "/api/v1/feedback/:id/answer", auth.FeedbackAction(complaint.FeedbackStepAnswer), h.answerFeedback},
		{http.MethodGet, "/api/v1/reviews", auth.ReadReviews, h.listReviews},
		{http.MethodGet, "/api/v1/reviews/:month", auth.ReadReviews, h.getReview},
		{http.MethodPost, "/api/v1/reviews/:month/run", auth.RunReview, h.runReview},
		{http.MethodPut, "/api/v1/reviews/:month/departments/:department", auth.DecideAccountability, h.decideAccountability},
		{http.MethodPost, "/api/v1/returns", auth.RequestReturn, h.requestReturn},
		{http.MethodGet, "/api/v1/returns", auth.ReadReturns, h.listReturns},
		{http.MethodGet, "/api/v1/returns/:id", auth.ReadReturns, h.getReturn},
		{http.MethodGet, "/api/v1/returns/:id/timeline", auth.ReadReturns, h.getReturnTimeline},
		{http.MethodPost, "/api/v1/returns/:id/approve", auth.ReturnAction(complaint.RMAStepApprove), rmaStep[complaint.RMANoteBody](h, workflows.UpdateRMAApprove)},
		{http.MethodPost, "/api/v1/returns/:id/reject", auth.ReturnAction(complaint.RMAStepReject), rmaStep[complaint.RMARejectBody](h, workflows.UpdateRMAReject)},
		{http.MethodPost, "/api/v1/returns/:id/receive", auth.ReturnAction(complaint.RMAStepReceive), rmaStep(h, workflows.UpdateRMAReceive, h.checkReceiptWarehouse)},
		{http.MethodPost, "/api/v1/returns/:id/inspect", auth.ReturnAction(complaint.RMAStepInspect), rmaStep[complaint.RMAInspectBody](h, workflows.UpdateRMAInspect)},
		{http.MethodPost, "/api/v1/returns/:id/complete", auth.ReturnAction(complaint.RMAStepComplete), rmaStep(h, workflows.UpdateRMAComplete, h.checkReplacementWarehouse)},
		{http.MethodPost, "/api/v1/complaints/:id/reopen", auth.ReopenComplaint, h.reopenComplaint},

		{http.MethodGet, "/api/v1/notifications", auth.ReadNotifications, h.listNotifications},
		{http.MethodGet, "/api/v1/sla-policies", auth.ReadPolicies, h.listPolicies},
		{http.MethodGet, "/api/v1/sla-policies/:name", auth.ReadPolicies, h.getPolicy},
		{http.MethodPut, "/api/v1/sla-policies/:name", auth.ManagePolicies, h.putPolicy},
		{http.MethodGet, "/api/v1/customers", auth.ReadCustomers, h.listCustomers},
		{http.MethodPost, "/api/v1/customers", auth.ManageCustomers, h.createCustomer},
		{http.MethodGet, "/api/v1/customers/:id", auth.ReadCustomers, h.getCustomer},
		{http.MethodPut, "/api/v1/customers/:id", auth.ManageCustomers, h.putCustomer},
		{http.MethodPatch, "/api/v1/customers/:id", auth.ManageCustomers, h.patchCustomer},
		{http.MethodGet, "/api/v1/customers/:id/equipment", auth.ReadCustomers, h.listCustomerEquipment},
		{http.MethodPost, "/api/v1/customers/:id/erase", auth.EraseCustomer, h.eraseCustomer},
		{http.MethodGet, "/api/v1/equipment", auth.ReadCustomers, h.listEquipment},
		{http.MethodPost, "/api/v1/equipment", auth.ManageCustomers, h.createEquipment},
		{http.MethodGet, "/api/v1/equipment/:serial", auth.ReadCustomers, h.getEquipment},
		{http.MethodPut, "/api/v1/equipment/:serial", auth.ManageCustomers, h.putEquipment},
		{http.MethodPost, "/api/v1/imports/customers", auth.ManageCustomers, h.importFile(imports.Customers)},
		{http.MethodPost, "/api/v1/imports/equipment", auth.ManageCustomers, h.importFile(imports.Equipment)},
		{http.MethodPut, "/api/v1/contracts/:number", auth.ManageCustomers, h.putContract},

		// The codec server, for the Temporal Web UI and CLI.
		{http.MethodOptions, "/codec/encode", "", h.codecPreflight},
		{http.MethodOptions, "/codec/decode", "", h.codecPreflight},
		{http.MethodPost, "/codec/encode", auth.UseCodec, h.encodePayloads},
		{http.MethodPost, "/codec/decode", auth.UseCodec, h.decodePayloads},

		{http.MethodGet, "/api/v1/admin/users", auth.ManageUsers, h.listUsers},
		{http.MethodPost, "/api/v1/admin/users", auth.ManageUsers, h.createUser},
		{http.MethodGet, "/api/v1/admin/users/:id/tokens", auth.ManageUsers, h.listTokens},
		{http.MethodPost, "/api/v1/admin/users/:id/tokens", auth.ManageUsers, h.issueToken},
		{http.MethodDelete, "/api/v1/admin/tokens/:id", auth.ManageUsers, h.revokeToken},
	}
}

// Routes lists every endpoint with the action it needs, for tests that
// check each route's authorization and the OpenAPI document.
func Routes() []Route { return (&handlers{}).routes() }

// requestLog logs one line per request; it never logs headers or query
// strings, and a survey link's path only as /survey/<redacted>, so tokens
// stay out of logs.
func requestLog(logger *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		level := slog.LevelInfo
		if c.Writer.Status() >= 500 {
			level = slog.LevelError
		}
		logger.Log(c.Request.Context(), level, "http request",
			"method", c.Request.Method, "path", redactPath(c.Request.URL.Path), "status", c.Writer.Status(),
			"duration_ms", time.Since(start).Milliseconds())
	}
}

// recovery turns a panic into a JSON 500 instead of a dropped connection.
func recovery(logger *slog.Logger) gin.HandlerFunc {
	return gin.CustomRecoveryWithWriter(nil, func(c *gin.Context, err any) {
		logger.Error("panic in handler", "path", redactPath(c.Request.URL.Path), "panic", err)
		abortWithError(c, http.StatusInternalServerError, CodeInternal, "internal error", nil)
	})
}

func requestMetrics(reg prometheus.Registerer) gin.HandlerFunc {
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "caseflow_http_request_duration_seconds",
		Help:    "HTTP request latency by route and status.",
		Buckets: prometheus.DefBuckets,
	}, []string{"method", "route", "status"})
	reg.MustRegister(duration)
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		duration.WithLabelValues(c.Request.Method, route, strconv.Itoa(c.Writer.Status())).
			Observe(time.Since(start).Seconds())
	}
}
