package workflows_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
)

// TestRegistrationAnswersFromTheFirstTask reads a recorded history (made on
// a real server by TestRecordHistories): the case is recorded by a local
// activity and the registration update completes within the workflow's
// first task, before any activity task is scheduled.
func TestRegistrationAnswersFromTheFirstTask(t *testing.T) {
	hist, err := client.HistoryFromJSON(openHistory(t, "testdata/registered-in-first-task.json"), client.HistoryJSONOptions{})
	require.NoError(t, err)
	tasks, localActivities := 0, 0
	for _, ev := range hist.GetEvents() {
		switch ev.GetEventType() {
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
			tasks++
		case enumspb.EVENT_TYPE_MARKER_RECORDED:
			if ev.GetMarkerRecordedEventAttributes().GetMarkerName() == "LocalActivity" {
				localActivities++
			}
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			t.Fatalf("an activity was scheduled before registration answered: %s",
				ev.GetActivityTaskScheduledEventAttributes().GetActivityType().GetName())
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED:
			require.Equal(t, 1, tasks, "registration answered after %d workflow tasks", tasks)
			require.Equal(t, 1, localActivities, "the case is recorded by one local activity")
			return
		}
	}
	t.Fatal("the registration update never completed")
}

func openHistory(t *testing.T, path string) *os.File {
	f, err := os.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = f.Close() })
	return f
}
