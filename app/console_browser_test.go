//go:build browser

package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/accounts"
	"github.com/caseflow/caseflow/app"
)

// TestConsoleBrowser drives the web console in a real browser (Debian's
// Chromium, headless) against the embedded stack: the register form with its
// field errors, a severe quality complaint walked from registration to
// closure by the people each step needs (signing in as each on the dev
// sign-in page, the approvers finding the case on My work), the supervisor
// board with a case whose response clock is at risk, and the switch to
// Chinese. It saves a full-page PNG of every page it visits in
// $CASEFLOW_SCREENSHOTS (default: a temporary directory).
//
//	go test -count=1 -tags browser -run '^TestConsoleBrowser$' -v -timeout 10m ./app/
func TestConsoleBrowser(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	b := startBrowser(t, ctx)

	dataDir := t.TempDir()
	stack := startStack(t, devConfig(dataDir, nil))
	// The archive holds the customers the complaints name.
	for id, name := range map[string]string{"C-3001": "杭州市中心医院", "C-3002": "宁波眼科诊所"} {
		apiPost(t, stack, demoToken(t, dataDir, "sales", "agent"), "/api/v1/customers",
			map[string]any{"id": id, "name": name, "sla_policy": "standard"}, http.StatusCreated)
	}

	b.base = stack.APIURL()

	const (
		agentName       = "Demo after_sales agent"
		supervisorName  = "Demo after_sales supervisor"
		engineerName    = "Demo technical engineer"
		productionAgent = "Demo production agent"
		qualityApprover = "Demo quality approver"
		prodApprover    = "Demo production approver"
	)

	// 1. The after-sales agent registers: a bad form first, then a severe
	// quality complaint.
	b.signIn(agentName)
	b.shot("my-work-agent")
	b.open("/console/register")
	b.waitVisible("#form-main")
	resp := b.submit("#form-main button[type=submit]")
	require.Equal(t, http.StatusBadRequest, resp, "an empty register form is refused")
	for _, name := range []string{"customer_id", "customer_name", "contact_name", "description"} {
		field := fmt.Sprintf(`#form-main div.field[data-field=%q]`, name)
		b.waitVisible(field + " p.field-error")
		require.NotEmpty(t, b.text(field+" p.field-error"), "the error next to %s says what is wrong", name)
		require.Equal(t, "true", b.attr(field+" [name="+name+"]", "aria-invalid"), "%s is marked invalid", name)
	}
	require.NotEmpty(t, b.text("#form-main p.error"), "the form says why it was refused")
	b.shot("register-with-errors")

	b.typeIn("#f-customer_id", "C-3001")
	b.typeIn("#f-customer_name", "Hangzhou Central Hospital")
	b.typeIn("#f-contact_name", "Li Na")
	b.typeIn("#f-contact_phone", "+86 571 5555 0199")
	b.typeIn("#f-description", "the infusion pump alarms during operation")
	b.typeIn("#f-customer_demand", "replace the pump")
	b.choose("#f-category", "quality")
	b.choose("#f-severity", "severe")
	b.shot("register-filled")
	resp = b.submit("#form-main button[type=submit]")
	require.Equal(t, http.StatusOK, resp, "registered: %s", b.problems())
	require.Contains(t, b.location(), "/console/cases/")
	b.expectStage("confirm")
	caseID := b.attr("#case", "data-case")
	caseNumber := b.text("main h1")
	require.NotEmpty(t, caseID)
	require.NotEmpty(t, caseNumber)
	require.Contains(t, b.text(".flash"), caseNumber, "the case page says which number the case got")
	casePath := "/console/cases/" + caseID
	b.shot("case-registered")
	b.do(chromedp.EmulateViewport(390, 844))
	b.shot("case-registered-390px")
	b.do(chromedp.EmulateViewport(1280, 900))

	// 2. The agent contacts the customer and confirms the register.
	b.typeIn("#contact-note", "called the customer back")
	b.submitStep("contact")
	b.expectStage("confirm")
	b.typeIn("#confirm-note", "sales confirmed the order")
	// A quality complaint is confirmed with its order and part.
	b.typeIn("#confirm-order_number", "SO-2026-0042")
	b.typeIn("#confirm-part_number", "P-778")
	b.submitStep("confirm")
	b.expectStage("analyze")
	b.shot("case-analyze")
	b.signOut()

	// The technical department analyses a quality complaint, and proposes.
	b.signIn(engineerName)
	b.open(casePath)
	b.expectStage("analyze")
	b.typeIn("#analysis-root_cause", "worn seal in the pump head")
	b.choose("#analysis-responsible_department", "production")
	b.choose("#analysis-liability", "company")
	b.submitStep("analysis")
	b.expectStage("negotiate")
	b.typeIn("#proposals-measures", "redesign the seal seat")
	b.submitStep("proposals")
	b.expectStage("negotiate")
	b.signOut()

	b.signIn(productionAgent)
	b.open(casePath)
	b.expectStage("negotiate")
	b.typeIn("#proposals-measures", "replace the seal batch")
	b.submitStep("proposals")
	b.expectStage("negotiate")
	b.shot("case-negotiate")
	b.signOut()

	// After-sales agrees a replacement that quality and production approve.
	b.signIn(agentName)
	b.open(casePath)
	b.expectStage("negotiate")
	b.choose("#agreement-type", "replace")
	b.typeIn("#agreement-description", "a new pump, delivered within the week")
	b.click(`#form-agreement input[name=approving_departments][value=quality]`)
	b.click(`#form-agreement input[name=approving_departments][value=production]`)
	b.submitStep("agreement")
	b.expectStage("approve")
	b.shot("case-approve")
	b.signOut()

	// Each approver finds the case on My work and approves.
	for i, approver := range []string{qualityApprover, prodApprover} {
		b.signIn(approver)
		link := fmt.Sprintf(`tr[data-case=%q] a[href=%q]`, caseID, casePath)
		b.waitVisible(link)
		require.Equal(t, caseNumber, b.text(link), "My work links the case by its number")
		b.shot("my-work-" + strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(approver, "Demo "), " ", "-")))
		resp := b.submit(link)
		require.Equal(t, http.StatusOK, resp)
		b.expectStage("approve")
		b.choose("#approvals-decision", "approve")
		b.typeIn("#approvals-comment", "approved")
		b.submitStep("approvals")
		if i == 0 {
			b.expectStage("approve")
		} else {
			b.expectStage("remediate")
		}
		b.signOut()
	}

	// Remediation: the field engineer reports progress, after-sales
	// resolves and closes with the customer's confirmation.
	b.signIn(engineerName)
	b.open(casePath)
	b.expectStage("remediate")
	b.typeIn("#progress-note", "replacement pump shipped")
	b.submitStep("progress")
	b.expectStage("remediate")
	b.shot("case-remediate")
	b.signOut()

	b.signIn(agentName)
	b.open(casePath)
	b.typeIn("#resolve-note", "the customer runs the new pump")
	b.submitStep("resolve")
	b.expectStage("remediate")
	b.click("#close-customer_confirmed")
	b.typeIn("#close-satisfaction", "5")
	b.typeIn("#close-note", "thanks")
	b.submitStep("close")
	b.expectStage("closed")
	b.waitNotPresent("form.stepform")
	b.shot("case-closed")
	b.signOut()

	// 3. A case 15 minutes from its 2 h response deadline is at risk on the
	// supervisor board.
	agentToken := demoToken(t, dataDir, "after_sales", "agent")
	atRiskID := registerAtRisk(t, stack, agentToken)
	b.signIn(supervisorName)
	b.open("/console/board")
	row := fmt.Sprintf(`tr[data-case=%q]`, atRiskID)
	b.waitVisible(row)
	b.waitVisible(row + " .clock.state-at_risk")
	require.NotContains(t, b.html("main"), fmt.Sprintf(`data-case=%q`, caseID), "a closed case is not on the board")
	b.shot("board")

	// 4. The language switch shows Chinese.
	require.Equal(t, "中文", b.text(`.langs a[hreflang="zh-CN"]`))
	require.Equal(t, http.StatusOK, b.submit(`.langs a[hreflang="zh-CN"]`))
	b.waitVisible(`html[lang="zh-CN"]`)
	require.Contains(t, b.location(), "/console/board")
	require.Contains(t, b.text("main h1"), "主管看板")
	b.waitVisible(row + " .clock.state-at_risk")
	b.shot("board-zh-CN")
	b.open("/console/")
	b.waitVisible(`html[lang="zh-CN"]`)
	require.Contains(t, b.text("main h1"), "我的待办")
	b.shot("my-work-zh-CN")
	require.Equal(t, http.StatusOK, b.submit(`.langs a[hreflang="en"]`))
	b.waitVisible(`html[lang="en"]`)

	// 6. A step taken elsewhere (here through the API) appears on an open case
	// page without the user reloading it.
	b.open("/console/cases/" + atRiskID)
	b.waitVisible(`li[data-kind="registered"]`)
	apiPost(t, stack, agentToken, "/api/v1/complaints/"+atRiskID+"/contact",
		map[string]any{"note": "called the clinic back"}, http.StatusOK)
	b.waitVisible(`li[data-kind="contacted"]`)
	b.shot("case-updated-elsewhere")
	b.signOut()

	// 7. The engineer's visit, planned and worked through the API, is
	// signed by the customer on a phone-sized screen.
	engineerID := userID(t, as(t, stack, "after_sales", "admin"), engineerName)
	engineerToken := demoToken(t, dataDir, "technical", "engineer")
	visitStep := func(token, step string, body map[string]any) {
		apiPost(t, stack, token, "/api/v1/complaints/"+atRiskID+"/"+step, body, http.StatusOK)
	}
	visitStep(agentToken, "visits", map[string]any{"engineers": []string{engineerID},
		"planned_at": time.Now().UTC().Format(time.RFC3339)})
	visitStep(engineerToken, "check-in", map[string]any{"visit": "V1"})
	visitStep(engineerToken, "check-out", map[string]any{"visit": "V1", "work_done": "更换激光模块 replaced the laser module"})
	b.signIn(engineerName)
	b.do(chromedp.EmulateViewport(390, 844))
	b.open("/console/visits")
	b.waitVisible("a[data-sign]")
	b.shot("my-visits-390px")
	require.Equal(t, http.StatusOK, b.submit("a[data-sign]"))
	b.typeIn("#service-record-signer_name", "赵磊")
	b.click(`#form-service-record input[name=opinion][value=satisfied]`)
	b.waitVisible("#service-record-signature-canvas")
	b.do(chromedp.ScrollIntoView(chromedp.CSS("#service-record-signature-canvas")))
	box, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]float64](`(() => {
		const r = document.getElementById("service-record-signature-canvas").getBoundingClientRect();
		return [r.left, r.top, r.width, r.height]; })()`))
	require.NoError(t, err)
	x, y, w, h := box[0], box[1], box[2], box[3]
	strokes := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x+w*0.1, y+h*0.5,
		chromedp.ButtonLeft)}
	for i := 1; i <= 10; i++ {
		strokes = append(strokes, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x+w*(0.1+0.08*float64(i)),
			y+h*(0.5+0.3*float64(i%2*2-1)), chromedp.ButtonLeft))
	}
	b.do(append(strokes, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x+w*0.9, y+h*0.5, chromedp.ButtonLeft))...)
	require.True(t, strings.HasPrefix(b.value("#service-record-signature"), "data:image/png;base64,"),
		"the pad put the drawing in the form")
	b.shot("sign-390px")
	require.Equal(t, http.StatusOK, b.submit("#form-service-record button[type=submit]"), "%s", b.problems())
	require.Contains(t, b.location(), "/console/cases/"+atRiskID)
	b.waitVisible(`li[data-kind="service_record_filed"]`)
	b.shot("case-signed-390px")
	b.do(chromedp.EmulateViewport(1280, 900))
	b.signOut()
	b.shot("signin")
}

// demoToken is the API token of the demo user of that department and role,
// as caseflow dev wrote it to dev-users.json.
func demoToken(t *testing.T, dataDir, department, role string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dataDir, app.DemoUsersFile))
	require.NoError(t, err)
	var users []accounts.DemoUser
	require.NoError(t, json.Unmarshal(raw, &users))
	i := slices.IndexFunc(users, func(u accounts.DemoUser) bool {
		return u.Department == department && slices.Equal(u.Roles, []string{role})
	})
	require.GreaterOrEqual(t, i, 0, "dev-users.json has the %s %s", department, role)
	return users[i].Token
}

// registerAtRisk registers, through the API, a case received 1 h 45 min ago,
// so that its 2 h response clock is 15 minutes from its deadline.
func registerAtRisk(t *testing.T, stack *app.Stack, token string) string {
	t.Helper()
	var created struct {
		ID string `json:"id"`
	}
	apiPost(t, stack, token, "/api/v1/complaints", map[string]any{
		"customer_id": "C-3002", "customer_name": "Ningbo Eye Clinic", "contact_name": "Zhao Lei",
		"description": "the laser does not start", "category": "quality", "severity": "severe",
		"order_number": "SO-2026-0077", "part_number": "LZ-300",
		"received_at": time.Now().Add(-105 * time.Minute).UTC().Format(time.RFC3339),
	}, http.StatusCreated, &created)
	require.NotEmpty(t, created.ID)
	return created.ID
}

// apiPost posts a JSON body to the API with a bearer token and expects the
// status; out, if given, receives the answer.
func apiPost(t *testing.T, stack *app.Stack, token, path string, body any, status int, out ...any) {
	t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, stack.APIURL()+path, bytes.NewReader(raw))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, status, resp.StatusCode)
	for _, o := range out {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(o))
	}
}

// browser is one tab of the test's browser on the stack's console.
type browser struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string
	n     int
}

// waitFor bounds one wait, so that a page that never shows what the test
// expects fails with what it shows instead.
const waitFor = 30 * time.Second

func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	require.NoError(b.t, chromedp.Do(b.ctx, actions...), "on %s", b.location())
}

func (b *browser) open(path string) {
	b.t.Helper()
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.base+path))
	require.NoError(b.t, err, "open %s", path)
	require.Equal(b.t, http.StatusOK, int(resp.Status), "open %s: %s", path, b.problems())
}

// submit clicks what sel selects (a submit button or a link), waits for
// the page it leads to and answers that page's HTTP status.
func (b *browser) submit(sel string) int {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	require.NoError(b.t, err, "click %s on %s", sel, b.location())
	require.NotNil(b.t, resp, "click %s loads a page", sel)
	return int(resp.Status)
}

// submitStep submits a case page's step form and expects the case page
// again, with the step done.
func (b *browser) submitStep(step string) {
	b.t.Helper()
	resp := b.submit("#form-" + step + " button[type=submit]")
	require.Equal(b.t, http.StatusOK, resp, "step %s: %s", step, b.problems())
	require.Contains(b.t, b.location(), "done="+step, "step %s: %s", step, b.problems())
}

func (b *browser) waitVisible(sel string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitFor)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		b.t.Fatalf("%s never showed: %v\n%s", sel, err, b.problems())
	}
}

func (b *browser) waitNotPresent(sel string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitFor)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitNotPresent(chromedp.CSS(sel))); err != nil {
		b.t.Fatalf("%s is still there: %v\n%s", sel, err, b.problems())
	}
}

// expectStage waits until the case page shows the stage; the page reloads
// itself when the case changes.
func (b *browser) expectStage(stage string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitFor)
	defer cancel()
	sel := fmt.Sprintf(`#stage[data-stage=%q]`, stage)
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		shown, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](
			`(document.getElementById("stage") || {dataset: {}}).dataset.stage || "(none)"`))
		b.t.Fatalf("the case never reached stage %s (it shows %s): %v\n%s", stage, shown, err, b.problems())
	}
}

func (b *browser) typeIn(sel, text string) {
	b.t.Helper()
	b.do(chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), text))
	require.Equal(b.t, text, b.value(sel), "typed into %s", sel)
}

func (b *browser) choose(sel, value string) {
	b.t.Helper()
	b.do(chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.SetValue(chromedp.CSS(sel), value))
	require.Equal(b.t, value, b.value(sel), "%s offers %s", sel, value)
}

func (b *browser) click(sel string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

func (b *browser) value(sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS(sel)))
	require.NoError(b.t, err, "value of %s", sel)
	return v
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeReady))
	require.NoError(b.t, err, "text of %s", sel)
	return strings.TrimSpace(v)
}

func (b *browser) html(sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.OuterHTML(chromedp.CSS(sel)))
	require.NoError(b.t, err, "html of %s", sel)
	return v
}

func (b *browser) attr(sel, name string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	require.NoError(b.t, err, "attribute %s of %s", name, sel)
	return v.Value
}

func (b *browser) location() string {
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		return "(unknown: " + err.Error() + ")"
	}
	return loc
}

// problems describes what the page shows that went wrong: its address, its
// messages and its field errors.
func (b *browser) problems() string {
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`[location.href,
		...Array.from(document.querySelectorAll("p.error, p.flash, .field-error"), e => {
			const f = e.closest("[data-field]");
			return (f ? f.dataset.field + ": " : "") + e.textContent.trim();
		})].join("\n  ")`))
	if err != nil {
		return "page: (unreadable: " + err.Error() + ")"
	}
	return "page: " + got
}

// shot saves a full-page PNG of the page, numbered in the order of the walk.
func (b *browser) shot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	require.NoError(b.t, err, "screenshot %s", name)
	b.n++
	path := filepath.Join(b.shots, fmt.Sprintf("%02d-%s.png", b.n, name))
	require.NoError(b.t, os.WriteFile(path, png, 0o644))
}

// signIn signs in on the dev sign-in page as the demo user of that name
// and lands on My work.
func (b *browser) signIn(name string) {
	b.t.Helper()
	b.open("/console/signin")
	quoted, err := json.Marshal("Sign in as " + name)
	require.NoError(b.t, err)
	id, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](fmt.Sprintf(`(() => {
		const b = Array.from(document.querySelectorAll("button[data-user]")).find(b => b.textContent.trim() === %s);
		return b ? b.dataset.user : "";
	})()`, quoted)))
	require.NoError(b.t, err)
	require.NotEmpty(b.t, id, "the sign-in page offers %q", name)
	resp := b.submit(fmt.Sprintf(`button[data-user=%q]`, id))
	require.Equal(b.t, http.StatusOK, resp, "sign in as %s: %s", name, b.problems())
	require.True(b.t, strings.HasSuffix(b.location(), "/console/"), "signing in lands on My work, not %s", b.location())
	require.Equal(b.t, name, b.text(".who"), "the page names who is signed in")
}

func (b *browser) signOut() {
	b.t.Helper()
	resp := b.submit("#signout")
	require.Equal(b.t, http.StatusOK, resp)
	require.Contains(b.t, b.location(), "/console/signin", "signing out lands on the sign-in page")
}
