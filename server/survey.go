package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/followup"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// The survey link a follow-up's done step sends the customer,
// <public URL>/survey/<token>: public, the token its only credential. The
// store keeps the token's SHA-256 alone; the token is in no log line (the
// access log writes /survey/<redacted>), metric label (the route's
// pattern) or error message, nor in Temporal (the update id derives from
// the hash).

// surveyTimeout bounds how long an answer waits for the follow-up's workflow.
const surveyTimeout = 15 * time.Second

// maxSurveyForm bounds the form: 2,000 characters of comment, each at
// most four bytes of UTF-8 written as three characters each, and the rest.
const maxSurveyForm = 32 << 10

// surveyPrefix starts every survey path.
const surveyPrefix = "/survey/"

// surveyTokenPattern is what a token can look like; anything else is an
// unknown link, without a store read.
var surveyTokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{16,128}$`)

// surveyLimits bound how often one link and one client address may open or
// answer a survey: a customer who corrects an answer a few times is never
// refused, someone trying tokens soon is. The address is the connection's
// peer (a forwarded-for header is anyone's to forge).
type surveyLimits struct{ byToken, byAddress *keyedLimiter }

func newSurveyLimits(now func() time.Time) surveyLimits {
	return surveyLimits{byToken: newKeyedLimiter(30*time.Second, 10, now),
		byAddress: newKeyedLimiter(time.Second, 60, now)}
}

// surveyVisit is one request to a survey link: the reader's language, the
// token's hash and, once found and open, the link and its case number.
type surveyVisit struct {
	lang, hash string
	link       store.SurveyLink
	caseNumber string
}

func (v surveyVisit) page(message string, form surveyForm, problems map[string]string) surveyView {
	return newSurveyView(v.lang, v.link.Followup.Kind, v.caseNumber, message, form, problems)
}

// surveyPage answers the survey's form, or why it takes no answer.
func (h *handlers) surveyPage(c *gin.Context) {
	if v, ok := h.openSurvey(c); ok {
		renderSurvey(c, http.StatusOK, v.page("", surveyForm{}, nil))
	}
}

// answerSurvey takes the form (satisfaction, would_recommend, comment),
// checks it by the one validation (422 with the form and its problems),
// and sends it to the follow-up's workflow signed for the customer, with
// an update id from the token's hash: a double submission is applied once.
func (h *handlers) answerSurvey(c *gin.Context) {
	v, ok := h.openSurvey(c)
	if !ok {
		return
	}
	raw, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxSurveyForm))
	values, _ := url.ParseQuery(string(raw))
	form, body, problems := parseSurveyForm(values)
	if err != nil {
		problems["comment"] = "must be at most 2000 characters"
	}
	if len(problems) > 0 {
		renderSurvey(c, http.StatusUnprocessableEntity, v.page("", form, problems))
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), surveyTimeout)
	defer cancel()
	res, err := h.sendSurveyAnswer(ctx, v, body)
	var unsigned errSigning
	var appErr *temporal.ApplicationError
	var fields complaint.FieldProblems
	switch {
	case err == nil && sameAnswer(res.Survey, body):
		renderSurvey(c, http.StatusOK, v.page(surveyThanks, form, nil))
	case err == nil:
		renderSurvey(c, http.StatusConflict, v.page(surveyAnswered, form, nil))
	case errors.As(err, &unsigned):
		h.logger.Error("survey answer not signed", "path", c.FullPath(), "followup_id", v.link.FollowupID, "err", err)
		renderSurvey(c, http.StatusInternalServerError, v.page(surveyBroken, form, nil))
	case errors.As(err, &appErr) && appErr.Type() == workflows.ErrTypeInvalid &&
		appErr.Details(&fields) == nil && len(fields.Fields) > 0:
		renderSurvey(c, http.StatusUnprocessableEntity, v.page("", form, fields.Fields))
	case errors.As(err, &appErr) && appErr.Type() == workflows.ErrTypeForbidden:
		renderSurvey(c, http.StatusForbidden, v.page(surveyForbidden, form, nil))
	default:
		h.surveyGone(c, v, form, err)
	}
}

// openSurvey answers everything but an open link: too many requests
// (429), a token no link has (404), a closed survey (409, 410), a store
// that does not answer (503). ok is true for an open link.
func (h *handlers) openSurvey(c *gin.Context) (surveyVisit, bool) {
	token := c.Param("token")
	v := surveyVisit{lang: surveyLang(c), hash: followup.TokenHash(token)}
	ok, wait := h.surveyLimits.byAddress.allow(c.RemoteIP())
	if ok {
		ok, wait = h.surveyLimits.byToken.allow(v.hash)
	}
	if !ok {
		c.Header("Retry-After", strconv.Itoa(retryAfterSeconds(wait)))
		renderSurvey(c, http.StatusTooManyRequests, v.page(surveyLimited, surveyForm{}, nil))
		return v, false
	}
	if !surveyTokenPattern.MatchString(token) {
		renderSurvey(c, http.StatusNotFound, v.page(surveyUnknown, surveyForm{}, nil))
		return v, false
	}
	link, err := h.store.SurveyLinkByHash(c.Request.Context(), v.hash)
	if errors.Is(err, store.ErrNotFound) {
		renderSurvey(c, http.StatusNotFound, v.page(surveyUnknown, surveyForm{}, nil))
		return v, false
	}
	if err != nil {
		h.surveyUnavailable(c, v, surveyForm{}, err)
		return v, false
	}
	v.link = link
	if f := link.Followup; f.ComplaintID != "" {
		if cs, err := h.store.GetCase(c.Request.Context(), f.ComplaintID); err == nil {
			v.caseNumber = cs.CaseNumber
		}
	}
	if status, message := surveyClosed(link, h.now()); status != 0 {
		renderSurvey(c, status, v.page(message, surveyForm{}, nil))
		return v, false
	}
	return v, true
}

// surveyClosed says why a link takes no answer (its status and message),
// 0 when it takes one. A survey the store does not show yet (its sending
// is still being recorded) takes one: the workflow decides.
func surveyClosed(link store.SurveyLink, now time.Time) (int, string) {
	s := link.Followup.Survey
	switch {
	case s != nil && s.State == complaint.SurveyAnswered:
		return http.StatusConflict, surveyAnswered
	case !now.Before(link.ExpiresAt), s != nil && s.State != complaint.SurveySent,
		s != nil && s.ExpiresAt != nil && !now.Before(*s.ExpiresAt):
		return http.StatusGone, surveyExpired
	}
	return 0, ""
}

// parseSurveyForm reads the form into the answer's body, with what keeps
// it from being one: a number that is not one, and every problem of the
// one validation (complaint.BodyProblems).
func parseSurveyForm(values url.Values) (surveyForm, complaint.SurveyAnswerBody, map[string]string) {
	form := surveyForm{Satisfaction: strings.TrimSpace(values.Get("satisfaction")),
		WouldRecommend: strings.TrimSpace(values.Get("would_recommend")), Comment: values.Get("comment")}
	b := complaint.SurveyAnswerBody{Comment: form.Comment}
	problems := map[string]string{}
	if form.Satisfaction != "" {
		n, err := strconv.Atoi(form.Satisfaction)
		if err != nil {
			problems["satisfaction"] = "must be a whole number"
		}
		b.Satisfaction = n
	}
	if form.WouldRecommend != "" {
		n, err := strconv.Atoi(form.WouldRecommend)
		if err != nil {
			problems["would_recommend"] = "must be a whole number"
		}
		b.WouldRecommend = &n
	}
	complaint.BlankToEmpty(&b)
	for field, p := range complaint.BodyProblems(&b) {
		if _, ok := problems[field]; !ok {
			problems[field] = p
		}
	}
	return form, b, problems
}

// sendSurveyAnswer sends the answer signed for the survey's customer;
// concurrent submissions of one link become one call.
func (h *handlers) sendSurveyAnswer(ctx context.Context, v surveyVisit, b complaint.SurveyAnswerBody) (workflows.FollowupStepResult, error) {
	id := v.link.FollowupID
	updateID := "survey-" + v.hash
	req, err := workflows.SurveyAnswerRequest{Actor: followup.SurveyActor(id), Body: b}.
		Signed(h.actorKeys, updateID, workflows.UpdateSurveyAnswer.Name)
	if err != nil {
		return workflows.FollowupStepResult{}, errSigning{err}
	}
	opts := client.UpdateWorkflowOptions{WorkflowID: complaint.FollowupWorkflowID(id), UpdateID: updateID,
		WaitForStage: client.WorkflowUpdateStageCompleted}
	return collapse(ctx, h.flights, "survey-answer", updateID, surveyTimeout,
		func(ctx context.Context) (workflows.FollowupStepResult, error) {
			return workflows.UpdateSurveyAnswer.Send(ctx, h.temporal, opts, req)
		})
}

// sameAnswer reports whether the survey holds the answer b: a link's
// update id answers a second submission with the first one's outcome.
func sameAnswer(s *complaint.Survey, b complaint.SurveyAnswerBody) bool {
	if s == nil || s.Answer == nil || s.Answer.WouldRecommend == nil || b.WouldRecommend == nil {
		return false
	}
	a := s.Answer
	return a.Satisfaction == b.Satisfaction && *a.WouldRecommend == *b.WouldRecommend && a.Comment == b.Comment
}

// surveyGone answers an answer the workflow did not take for where the
// survey stands (a wrong stage, a workflow that has ended or was never
// there): 409 when the store shows it answered, 410 when it shows it
// closed or the workflow refused it (it waits for no answer); a workflow
// that ended while the store still shows the survey open is 503.
func (h *handlers) surveyGone(c *gin.Context, v surveyVisit, form surveyForm, err error) {
	var appErr *temporal.ApplicationError
	var notFound *serviceerror.NotFound
	var precondition *serviceerror.FailedPrecondition
	refused := errors.As(err, &notFound) || errors.As(err, &appErr) &&
		(appErr.Type() == workflows.ErrTypeWrongStage || appErr.Type() == acceptedUpdateCompletedWorkflow)
	if !refused && !errors.As(err, &precondition) {
		h.surveyUnavailable(c, v, form, err)
		return
	}
	link, gerr := h.store.SurveyLinkByHash(c.Request.Context(), v.hash)
	if gerr != nil {
		h.surveyUnavailable(c, v, form, err)
		return
	}
	if status, message := surveyClosed(link, h.now()); status != 0 {
		renderSurvey(c, status, v.page(message, form, nil))
		return
	}
	if refused {
		renderSurvey(c, http.StatusGone, v.page(surveyExpired, form, nil))
		return
	}
	h.surveyUnavailable(c, v, form, err)
}

// surveyUnavailable answers 503 with Retry-After: the answer may or may
// not have been taken, and sending the form again is safe.
func (h *handlers) surveyUnavailable(c *gin.Context, v surveyVisit, form surveyForm, err error) {
	retryAfter, expected := retryDelay(err)
	level := slog.LevelWarn
	if !expected {
		level = slog.LevelError
	}
	h.logger.Log(c.Request.Context(), level, "survey outcome unknown", "method", c.Request.Method,
		"path", c.FullPath(), "followup_id", v.link.FollowupID, "err", err)
	c.Header("Retry-After", strconv.Itoa(int(retryAfter/time.Second)))
	renderSurvey(c, http.StatusServiceUnavailable, v.page(surveyUnavailable, form, nil))
}

// redactPath keeps survey tokens out of what is logged: every path under
// /survey (whatever its case) is /survey/<redacted>.
func redactPath(path string) string {
	if strings.HasPrefix(strings.ToLower(path), strings.TrimSuffix(surveyPrefix, "/")) {
		return surveyPrefix + "<redacted>"
	}
	return path
}
