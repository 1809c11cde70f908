package payloadcrypt_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	historypb "go.temporal.io/api/history/v1"
	sdkpb "go.temporal.io/api/sdk/v1"

	"github.com/caseflow/caseflow/payloadcrypt"
)

func TestVisitPayloadsFindsThemInListsMapsAndNestedMessagesButNotSearchAttributes(t *testing.T) {
	p := func(s string) *commonpb.Payload { return &commonpb.Payload{Data: []byte(s)} }
	history := &historypb.History{Events: []*historypb.HistoryEvent{
		{Attributes: &historypb.HistoryEvent_WorkflowExecutionStartedEventAttributes{
			WorkflowExecutionStartedEventAttributes: &historypb.WorkflowExecutionStartedEventAttributes{
				Input:            &commonpb.Payloads{Payloads: []*commonpb.Payload{p("input")}},
				Memo:             &commonpb.Memo{Fields: map[string]*commonpb.Payload{"fingerprint": p("memo")}},
				SearchAttributes: &commonpb.SearchAttributes{IndexedFields: map[string]*commonpb.Payload{"CaseNumber": p("indexed")}},
			}},
			UserMetadata: &sdkpb.UserMetadata{Summary: p("summary")},
		},
		{Attributes: &historypb.HistoryEvent_ActivityTaskCompletedEventAttributes{
			ActivityTaskCompletedEventAttributes: &historypb.ActivityTaskCompletedEventAttributes{
				Result: &commonpb.Payloads{Payloads: []*commonpb.Payload{p("result")}},
			}}},
	}}
	var seen []string
	payloadcrypt.VisitPayloads(history, func(p *commonpb.Payload) { seen = append(seen, string(p.Data)) })
	require.ElementsMatch(t, []string{"input", "memo", "summary", "result"}, seen)
}
