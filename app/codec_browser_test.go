//go:build browser

package app_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/converter"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/payloadcrypt"
	"github.com/caseflow/caseflow/store"
)

// TestCodecBrowser: a case's workflow input is ciphertext in Temporal, and
// the embedded Temporal Web UI shows it in clear to a supervisor signed in
// to the console (the UI sends the session cookie to the API's codec
// server), but not to an engineer, whom the codec server refuses. It saves
// the pages in $CASEFLOW_SCREENSHOTS as codec-*.png.
//
//	go test -count=1 -tags browser -run '^TestCodecBrowser$' -v -timeout 10m ./app/
func TestCodecBrowser(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	b := startBrowser(t, ctx)
	stack := startStack(t, devConfig(t.TempDir(), nil))
	b.base = stack.APIURL()

	// A contact name no page shows unless it was decoded.
	const contact = "Qiao Codecbrowser"
	register := validComplaint()
	register["contact_name"] = contact
	status, created := agent(t, stack).do(http.MethodPost, "/api/v1/complaints", register, nil)
	require.Equal(t, http.StatusCreated, status, "%v", created)
	workflowID := complaint.WorkflowID(created["id"].(string))

	// What Temporal holds is ciphertext: read without the codec, the
	// workflow's input does not name the contact.
	input := rawInput(t, stack, workflowID)
	require.Equal(t, payloadcrypt.Encoding, string(input[0].GetMetadata()[converter.MetadataEncoding]))
	require.NotContains(t, string(input[0].GetData()), contact)

	page := stack.Temporal.UIURL() + "/namespaces/" + stack.Config.Namespace + "/workflows/" + workflowID
	admin := as(t, stack, "after_sales", "admin")
	supervisorID := userID(t, admin, "Demo after_sales supervisor")
	engineerID := userID(t, admin, "Demo technical engineer")

	// An engineer may not decode: the codec server answers the UI 403, and
	// the UI shows the input as it is stored, the ciphertext in base64.
	sealed := base64.StdEncoding.EncodeToString(input[0].GetData())
	answers := codecAnswers(b)
	b.signIn("Demo technical engineer")
	b.openUI(page)
	b.waitForCodec(answers, http.StatusForbidden)
	b.waitForText(sealed[:48])
	b.shot("codec-engineer")
	require.NotContains(t, b.pageText(), contact)
	require.Empty(t, decodesBy(t, stack.Store, engineerID), "the engineer's refused decodes leave no audit row")
	b.open("/console/")
	b.signOut()

	// A supervisor sees the input decoded; the codec server audited it.
	b.signIn("Demo after_sales supervisor")
	b.openUI(page)
	b.waitForCodec(answers, http.StatusOK)
	b.waitForText(contact)
	b.shot("codec-supervisor")
	require.NotContains(t, b.pageText(), sealed[:48])
	events := decodesBy(t, stack.Store, supervisorID)
	require.NotEmpty(t, events, "each decode is audited")
	for _, e := range events {
		require.Contains(t, e.Subject, "namespace "+stack.Config.Namespace)
		require.NotContains(t, e.Subject, contact, "the audit log names no payload's content")
	}
}

// openUI loads a page of the Web UI (not the API's origin).
func (b *browser) openUI(url string) {
	b.t.Helper()
	b.do(chromedp.Navigate(url))
}

// waitForText waits, without sleeping, until the page's text holds s.
func (b *browser) waitForText(s string) {
	b.t.Helper()
	quoted, err := json.Marshal(s)
	require.NoError(b.t, err)
	_, err = chromedp.Run(b.ctx, chromedp.Poll[bool](
		fmt.Sprintf(`document.body !== null && document.body.innerText.includes(%s)`, quoted),
		chromedp.WithPollingInterval(250*time.Millisecond), chromedp.WithPollingTimeout(90*time.Second)))
	require.NoError(b.t, err, "the page at %s never showed %q; it shows:\n%s", b.location(), s, b.pageText())
}

// codecAnswers reports the status of each answer the page gets from the
// codec server's /decode (preflights included).
func codecAnswers(b *browser) <-chan int {
	b.t.Helper()
	answers := make(chan int, 4096)
	require.NoError(b.t, chromedp.Listen(b.ctx, func(ev any) {
		if e, ok := ev.(*network.EventResponseReceived); ok && strings.Contains(e.Response.URL, "/codec/decode") {
			select {
			case answers <- int(e.Response.Status):
			default: // enough seen
			}
		}
	}))
	return answers
}

// waitForCodec waits until the page has had an answer with status from
// the codec server.
func (b *browser) waitForCodec(answers <-chan int, status int) {
	b.t.Helper()
	timeout := time.After(90 * time.Second)
	var seen []int
	for {
		select {
		case got := <-answers:
			if got == status {
				return
			}
			seen = append(seen, got)
		case <-timeout:
			b.t.Fatalf("the codec server never answered the page %d; it answered %v", status, seen)
		}
	}
}

// pageText is what the page shows, for assertions and failure messages.
func (b *browser) pageText() string {
	text, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if err != nil {
		return "(unknown: " + err.Error() + ")"
	}
	return text
}

// decodesBy are the codec server's decodes audited for a user.
func decodesBy(t *testing.T, st *store.Store, userID string) []store.AuditEvent {
	t.Helper()
	events, err := st.AuditEvents(t.Context(), "codec.decode")
	require.NoError(t, err)
	return slices.DeleteFunc(events, func(e store.AuditEvent) bool { return e.Actor != userID })
}
