//go:build browser

package app_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
)

// TestSurveyBrowser answers a customer's survey in a real browser (Debian's
// Chromium, headless, on a phone-sized screen) through the link the
// customer was mailed: the page in Chinese by default, the switch to
// English, a form sent without a score refused next to the field, the
// answer taken once, and the same link then saying it was used.
//
//	go test -count=1 -tags browser -run '^TestSurveyBrowser$' -v ./app/
func TestSurveyBrowser(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	b := startBrowser(t, ctx)
	mail := startReceivers(t)
	stack := followupStack(t, map[string]string{}, mail, "1h")
	b.base = stack.APIURL()
	customerWithEmail(t, stack, "C-FU-B", "survey@valve.example")
	due := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	status, f := agent(t, stack).do(http.MethodPost, "/api/v1/followups", map[string]any{
		"kind": complaint.FollowupAnnualSurvey, "customer_id": "C-FU-B", "due_at": due}, nil)
	require.Equal(t, http.StatusCreated, status, "%v", f)
	status, got := agent(t, stack).do(http.MethodPost, "/api/v1/followups/"+f["id"].(string)+"/done",
		map[string]any{"note": "sent the yearly survey", "send_survey": true}, nil)
	require.Equal(t, http.StatusOK, status, "%v", got)
	token := surveyToken(t, mail, "survey@valve.example", 1)

	b.do(chromedp.EmulateViewport(390, 844))
	b.open("/survey/" + token + "?lang=zh")
	b.waitVisible("form button[type=submit]")
	require.Contains(t, b.text("h1"), "满意度", "Chinese first")
	b.shot("survey-zh")
	b.open("/survey/" + token + "?lang=en")
	b.waitVisible("form button[type=submit]")
	require.Contains(t, b.text("h1"), "survey")

	require.Equal(t, http.StatusUnprocessableEntity, b.submit("form button[type=submit]"),
		"no score chosen")
	b.waitVisible("p.err")
	b.shot("survey-refused")

	b.click(`input[name=satisfaction][value="4"] + span`)
	b.click(`input[name=would_recommend][value="9"] + span`)
	b.typeIn("#comment", "quick and friendly")
	require.Equal(t, http.StatusOK, b.submit("form button[type=submit]"))
	b.waitVisible("p.msg")
	b.shot("survey-thanks")
	forms, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.forms.length`))
	require.NoError(t, err)
	require.Zero(t, forms, "no form once answered")

	eventually(t, func() bool {
		_, got := agent(t, stack).do(http.MethodGet, "/api/v1/followups/"+f["id"].(string), nil, nil)
		s, _ := got["survey"].(map[string]any)
		return s != nil && s["state"] == complaint.SurveyAnswered
	}, "the answer reaches the follow-up")

	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.base+"/survey/"+token+"?lang=en"))
	require.NoError(t, err)
	require.Equal(t, http.StatusConflict, int(resp.Status), "a used link says so")
	b.waitVisible("p.msg")
	require.Contains(t, b.text("p.msg"), "already")
	b.shot("survey-used")
}
