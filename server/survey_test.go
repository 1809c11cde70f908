package server_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/mocks"
	"go.temporal.io/sdk/temporal"

	"github.com/caseflow/caseflow/actorsig"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/followup"
	"github.com/caseflow/caseflow/server"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
	"github.com/caseflow/caseflow/workflows"
)

// surveyAt is the tests' clock.
var surveyAt = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

// surveyStack is the API on a real store with a mocked Temporal, the
// log lines it wrote, and its metrics.
type surveyStack struct {
	h        http.Handler
	st       *store.Store
	temporal *mocks.Client
	keys     *actorsig.Keyring
	logs     *syncBuffer
	metrics  *prometheus.Registry
	now      time.Time
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newSurveyStack(t *testing.T) *surveyStack {
	st, err := store.Open(t.Context(), storetest.SQLite(t).URL)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	require.NoError(t, st.Migrate(t.Context()))
	keys, err := actorsig.Generate()
	require.NoError(t, err)
	s := &surveyStack{st: st, temporal: mocks.NewClient(t), keys: keys, logs: &syncBuffer{},
		metrics: prometheus.NewRegistry(), now: surveyAt}
	s.h = server.NewRouter(server.Deps{Store: st, Temporal: s.temporal, ActorKeys: keys, Metrics: s.metrics,
		Logger: slog.New(slog.NewJSONHandler(s.logs, nil)), Now: func() time.Time { return s.now }})
	return s
}

// followup registers a done post-close call of a registered case, its
// survey in state, and a link for token expiring at expires; it answers
// the follow-up's id and the case's number.
func (s *surveyStack) followup(t *testing.T, token, state string, expires time.Time) (string, string) {
	id := "f-" + token[:8]
	cs := complaint.Case{ID: "c-" + id, Stage: complaint.StageClosed, ReceivedAt: surveyAt, RegisteredAt: surveyAt,
		Register: complaint.Register{CustomerID: "C-1", CustomerName: "Acme", ContactName: "Li", Description: "leaks",
			Category: complaint.CategoryOther, Severity: complaint.SeverityMinor}}
	number, err := s.st.RegisterCase(t.Context(), cs,
		complaint.Event{Seq: 1, Kind: complaint.EventRegistered, OccurredAt: surveyAt})
	require.NoError(t, err)
	sent := surveyAt.Add(-time.Hour)
	f := complaint.Followup{ID: id, Kind: complaint.FollowupPostCloseCall, Stage: complaint.FollowupDone,
		CustomerID: "C-1", ComplaintID: cs.ID, OwnerDepartment: complaint.DepartmentAfterSales, DueAt: surveyAt,
		OpenedAt: sent, UpdatedAt: sent, AllowedSteps: []string{},
		Survey: &complaint.Survey{State: state, SentAt: &sent, ExpiresAt: &expires}}
	require.NoError(t, s.st.RegisterFollowup(t.Context(), f,
		complaint.Event{Seq: 1, Kind: complaint.EventFollowupOpened, OccurredAt: sent}))
	require.NoError(t, s.st.PutSurveyLink(t.Context(), id, hashOf(token), expires, sent))
	return id, number
}

func hashOf(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// visit sends one request to a survey link from addr; form, when not nil,
// is posted.
func (s *surveyStack) visit(target, addr, lang string, form url.Values) *httptest.ResponseRecorder {
	method, body := http.MethodGet, ""
	if form != nil {
		method, body = http.MethodPost, form.Encode()
	}
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.RemoteAddr = addr + ":40000"
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	return rec
}

// answers makes the mocked workflow answer the survey update of the
// follow-up id with the survey holding answer, or fail with err.
func (s *surveyStack) answers(t *testing.T, id, token string, answer *complaint.SurveyAnswerBody, err error) {
	s.now = s.now.Add(time.Minute) // each a minute after the last, within the link's rate
	handle := mocks.NewWorkflowUpdateHandle(t)
	call := handle.On("Get", mock.Anything, mock.Anything)
	if err != nil {
		call.Return(err)
	} else {
		at := s.now
		call.Run(func(args mock.Arguments) {
			res := args.Get(1).(*workflows.FollowupStepResult)
			res.Followup = complaint.Followup{ID: id, Survey: &complaint.Survey{State: complaint.SurveyAnswered,
				Answer: answer, AnsweredAt: &at}}
		}).Return(nil)
	}
	s.temporal.On("UpdateWorkflow", mock.Anything, mock.MatchedBy(func(o client.UpdateWorkflowOptions) bool {
		return o.WorkflowID == complaint.FollowupWorkflowID(id) && o.UpdateID == "survey-"+hashOf(token) &&
			o.UpdateName == workflows.UpdateSurveyAnswer.Name
	})).Return(handle, nil).Once()
}

const (
	openToken     = "tok-open-0123456789abcdef"
	answeredToken = "tok-answ-0123456789abcdef"
	expiredToken  = "tok-expd-0123456789abcdef"
	closedToken   = "tok-clsd-0123456789abcdef"
)

func validAnswer() url.Values {
	return url.Values{"satisfaction": {"4"}, "would_recommend": {"9"}, "comment": {"快, 好"}}
}

// TestSurveyPageStates: the page a customer gets for each state of the
// link, in their language, with the page's own security policy.
func TestSurveyPageStates(t *testing.T) {
	s := newSurveyStack(t)
	later := surveyAt.Add(30 * 24 * time.Hour)
	openID, number := s.followup(t, openToken, complaint.SurveySent, later)
	s.followup(t, answeredToken, complaint.SurveyAnswered, later)
	s.followup(t, expiredToken, complaint.SurveySent, surveyAt.Add(-time.Minute))
	s.followup(t, closedToken, complaint.SurveyExpired, later)

	for _, tc := range []struct {
		name, target, lang string
		status             int
		want               []string
	}{
		{"the form, in Chinese by Accept-Language", "/survey/" + openToken, "zh-CN,zh;q=0.9", 200,
			[]string{`lang="zh-CN"`, "客户满意度调查", "结案回访", "投诉单 " + number, `name="satisfaction"`,
				`name="would_recommend"`, `name="comment"`, `<form method="post"`,
				`<meta name="viewport" content="width=device-width, initial-scale=1">`}},
		{"the form, in English by ?lang", "/survey/" + openToken + "?lang=en", "zh-CN", 200,
			[]string{`lang="en"`, "How satisfied are you with our service?", "Case " + number, `href="?lang=zh"`}},
		{"an unknown token", "/survey/tok-none-0123456789abcdef?lang=zh", "", 404, []string{"此问卷链接无效"}},
		{"a token no link can have", "/survey/short", "", 404, []string{"This survey link is not valid"}},
		{"answered already", "/survey/" + answeredToken, "", 409, []string{"answered already"}},
		{"the link expired", "/survey/" + expiredToken, "zh", 410, []string{"此问卷已结束"}},
		{"the survey expired", "/survey/" + closedToken, "", 410, []string{"This survey has closed"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := s.visit(tc.target, "192.0.2.1", tc.lang, nil)
			require.Equal(t, tc.status, rec.Code, rec.Body.String())
			require.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
			require.Equal(t, "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "+
				"frame-ancestors 'none'", rec.Header().Get("Content-Security-Policy"))
			require.Equal(t, "no-referrer", rec.Header().Get("Referrer-Policy"))
			for _, w := range tc.want {
				require.Contains(t, rec.Body.String(), w)
			}
			require.NotContains(t, rec.Body.String(), "<script")
		})
	}

	t.Run("problems next to their fields, in the reader's language", func(t *testing.T) {
		rec := s.visit("/survey/"+openToken+"?lang=zh", "192.0.2.2", "",
			url.Values{"satisfaction": {"7"}, "comment": {strings.Repeat("好", 2001)}})
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
		body := rec.Body.String()
		require.Contains(t, body, "不能大于 5")
		require.Contains(t, body, "请选择一个答案")
		require.Contains(t, body, "最多 2000 个字符")
		require.Less(t, strings.Index(body, "不能大于 5"), strings.Index(body, `name="satisfaction"`))
		require.Less(t, strings.Index(body, "请选择一个答案"), strings.Index(body, `name="would_recommend"`))
		rec = s.visit("/survey/"+openToken+"?lang=en", "192.0.2.2", "", url.Values{"satisfaction": {"five"},
			"would_recommend": {"-1"}})
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
		require.Contains(t, rec.Body.String(), "must be a whole number")
		require.Contains(t, rec.Body.String(), "must be at least 0")
	})

	t.Run("an answer taken, signed for the customer", func(t *testing.T) {
		four, nine := 4, 9
		answer := &complaint.SurveyAnswerBody{Satisfaction: four, WouldRecommend: &nine, Comment: "快, 好"}
		s.answers(t, openID, openToken, answer, nil)
		rec := s.visit("/survey/"+openToken, "192.0.2.3", "en", validAnswer())
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		require.Contains(t, rec.Body.String(), "Thank you! We have received your answer.")
		call := s.temporal.Calls[len(s.temporal.Calls)-1]
		opts := call.Arguments.Get(1).(client.UpdateWorkflowOptions)
		req := opts.Args[0].(workflows.SurveyAnswerRequest)
		require.Equal(t, followup.SurveyActor(openID), req.Actor)
		require.Equal(t, *answer, req.Body)
		require.NoError(t, s.keys.Verify(req.Signature, opts.UpdateID, workflows.UpdateSurveyAnswer.Name, req.Actor, req.Body))
	})

	t.Run("another answer after the first", func(t *testing.T) {
		one, zero := 1, 0
		s.answers(t, openID, openToken, &complaint.SurveyAnswerBody{Satisfaction: one, WouldRecommend: &zero}, nil)
		rec := s.visit("/survey/"+openToken, "192.0.2.3", "en", validAnswer())
		require.Equal(t, http.StatusConflict, rec.Code)
		require.Contains(t, rec.Body.String(), "answered already")
	})

	t.Run("the workflow refuses a survey the store shows open", func(t *testing.T) {
		s.answers(t, openID, openToken, nil, temporal.NewApplicationError("this survey does not take an answer",
			workflows.ErrTypeWrongStage))
		rec := s.visit("/survey/"+openToken, "192.0.2.3", "zh", validAnswer())
		require.Equal(t, http.StatusGone, rec.Code, "the workflow knows it waits for no answer")
		require.Contains(t, rec.Body.String(), "此问卷已结束")
	})

	t.Run("a workflow that ended while the store shows the survey open", func(t *testing.T) {
		s.answers(t, openID, openToken, nil, serviceerror.NewFailedPrecondition("workflow execution already completed"))
		rec := s.visit("/survey/"+openToken, "192.0.2.3", "zh", validAnswer())
		require.Equal(t, http.StatusServiceUnavailable, rec.Code)
		require.Contains(t, rec.Body.String(), "暂时无法保存您的回答")
	})

	t.Run("no workflow behind the link", func(t *testing.T) {
		s.answers(t, openID, openToken, nil, serviceerror.NewNotFound("workflow not found"))
		rec := s.visit("/survey/"+openToken, "192.0.2.3", "en", validAnswer())
		require.Equal(t, http.StatusGone, rec.Code)
	})

	t.Run("the outcome is unknown", func(t *testing.T) {
		s.now = s.now.Add(time.Minute)
		s.temporal.On("UpdateWorkflow", mock.Anything, mock.Anything).
			Return(nil, serviceerror.NewUnavailable("connection refused")).Once()
		rec := s.visit("/survey/"+openToken, "192.0.2.3", "en", validAnswer())
		require.Equal(t, http.StatusServiceUnavailable, rec.Code)
		require.Equal(t, "5", rec.Header().Get("Retry-After"))
		require.Contains(t, rec.Body.String(), "Please try again in a few minutes.")
	})

	t.Run("the workflow finds a problem the form did not", func(t *testing.T) {
		s.answers(t, openID, openToken, nil, temporal.NewApplicationError("the answer has invalid fields",
			workflows.ErrTypeInvalid, complaint.FieldProblems{Fields: map[string]string{"comment": "is required"}}))
		rec := s.visit("/survey/"+openToken+"?lang=zh", "192.0.2.3", "", validAnswer())
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
		require.Contains(t, rec.Body.String(), "请选择一个答案")
	})
}

// TestSurveyRateLimits: a link is opened at most 10 times at once and once
// more every 30 s; an address at most 60 times at once and once a second.
func TestSurveyRateLimits(t *testing.T) {
	s := newSurveyStack(t)
	s.followup(t, openToken, complaint.SurveySent, surveyAt.Add(24*time.Hour))
	s.followup(t, answeredToken, complaint.SurveySent, surveyAt.Add(24*time.Hour))
	for i := range 10 {
		rec := s.visit("/survey/"+openToken, "198.51.100.1", "", nil)
		require.Equal(t, http.StatusOK, rec.Code, "visit %d", i)
	}
	rec := s.visit("/survey/"+openToken, "198.51.100.2", "zh", nil)
	require.Equal(t, http.StatusTooManyRequests, rec.Code)
	require.Equal(t, "30", rec.Header().Get("Retry-After"))
	require.Contains(t, rec.Body.String(), "尝试次数过多")
	s.now = s.now.Add(30 * time.Second)
	require.Equal(t, http.StatusOK, s.visit("/survey/"+openToken, "198.51.100.2", "", nil).Code)

	// One address trying tokens: 60, then one a second.
	for i := range 60 {
		rec := s.visit("/survey/tok-"+strings.Repeat("x", 12)+string(rune('a'+i%26))+string(rune('a'+i/26)),
			"203.0.113.9", "", nil)
		require.Equal(t, http.StatusNotFound, rec.Code, "try %d", i)
	}
	rec = s.visit("/survey/tok-yyyyyyyyyyyyyyyy", "203.0.113.9", "", nil)
	require.Equal(t, http.StatusTooManyRequests, rec.Code)
	require.Equal(t, "1", rec.Header().Get("Retry-After"))
	require.Equal(t, http.StatusOK, s.visit("/survey/"+answeredToken, "198.51.100.3", "", nil).Code,
		"another address is not limited")
}

// TestSurveyTokenIsRedacted: the token is in no log line, metric label or
// error answer, whatever the request comes to.
func TestSurveyTokenIsRedacted(t *testing.T) {
	s := newSurveyStack(t)
	s.followup(t, openToken, complaint.SurveySent, surveyAt.Add(24*time.Hour))
	s.temporal.On("UpdateWorkflow", mock.Anything, mock.Anything).
		Return(nil, serviceerror.NewUnavailable("connection refused")).Once()
	var answers []string
	for _, r := range []struct {
		target string
		form   url.Values
	}{
		{"/survey/" + openToken, nil},
		{"/survey/" + openToken, validAnswer()},
		{"/survey/" + openToken + "/more", nil},
		{"/SURVEY/" + openToken, nil},
		{"/survey/" + openToken + "x", nil},
	} {
		rec := s.visit(r.target, "192.0.2.7", "", r.form)
		answers = append(answers, rec.Body.String())
	}
	logs := s.logs.String()
	require.Contains(t, logs, `"path":"/survey/<redacted>"`)
	require.Contains(t, logs, "survey outcome unknown")
	require.NotContains(t, logs, openToken)
	require.NotContains(t, logs, openToken[4:])
	for _, a := range answers {
		require.NotContains(t, a, openToken)
	}
	families, err := s.metrics.Gather()
	require.NoError(t, err)
	var routes []string
	for _, f := range families {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				require.NotContains(t, l.GetValue(), openToken[4:], "metric %s", f.GetName())
				if l.GetName() == "route" {
					routes = append(routes, l.GetValue())
				}
			}
		}
	}
	require.Contains(t, routes, "/survey/:token")
}

// The survey's form is checked by the one validation, whose every rule
// has words (the JSON bodies' are checked by TestEveryBodyRouteIsListed).
func TestSurveyAnswerRulesAreWorded(t *testing.T) {
	require.Empty(t, complaint.UnwordedRules(complaint.SurveyAnswerBody{}))
}
