package workflows_test

import (
	"maps"
	"os"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
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

// TestANewRunAsksOneVersionGate reads the recorded history of a run from
// generation1 on: its first task records one version marker, for the
// generation, and upserts the search attributes once of its own beside the
// marker's, where a run before it recorded a marker (each with its own
// upsert) per change and upserted twice.
func TestANewRunAsksOneVersionGate(t *testing.T) {
	for _, tc := range []struct {
		path                     string
		versionMarkers, upserts  int
		generationMarkerRecorded bool
	}{
		{"testdata/registered-in-first-task.json", 3, 5, false},
		{"testdata/generation-gate.json", 1, 2, true},
		// generation2 takes the archive's change in the same one marker.
		{"testdata/paid-service-waived.json", 1, 2, true},
		{"testdata/field-service-visit.json", 1, 2, true},
		{"testdata/stock-on-steps.json", 1, 2, true},
		{"testdata/capa-opened.json", 1, 2, true},
		{"testdata/post-close-call.json", 1, 2, true},
	} {
		t.Run(tc.path, func(t *testing.T) {
			hist, err := client.HistoryFromJSON(openHistory(t, tc.path), client.HistoryJSONOptions{})
			require.NoError(t, err)
			markers, upserts, generation := 0, 0, false
			for _, ev := range hist.GetEvents() {
				switch ev.GetEventType() {
				case enumspb.EVENT_TYPE_MARKER_RECORDED:
					attrs := ev.GetMarkerRecordedEventAttributes()
					if attrs.GetMarkerName() == "Version" {
						markers++
						var id string
						require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(attrs.GetDetails()["change-id"], &id))
						generation = generation || id == "generation"
					}
				case enumspb.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
					upserts++
				case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED:
					require.Equal(t, tc.versionMarkers, markers, "version markers before registration answered")
					require.Equal(t, tc.upserts, upserts, "upserts before registration answered")
					require.Equal(t, tc.generationMarkerRecorded, generation)
					return
				}
			}
			t.Fatal("the registration update never completed")
		})
	}
}

// TestANewCaseDoesItsFirstWorkInItsFirstTask reads recorded histories:
// from generation7 on, a new case's notices (sales, dispatch) and its
// recurrence search run as local activities in its first task, beside its
// own write, where a run before scheduled an activity for each (and took
// another workflow task for their answers).
func TestANewCaseDoesItsFirstWorkInItsFirstTask(t *testing.T) {
	for _, tc := range []struct {
		path            string
		localActivities int
		activities      []string
	}{
		{sealedRecordPath("capa-opened"), 1, []string{"RecordNotifications", "FindRecurrence"}},
		{sealedRecordPath("first-task-work"), 4, []string{"DeliverNotifications"}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			hist, err := client.HistoryFromJSON(openHistory(t, tc.path), client.HistoryJSONOptions{})
			require.NoError(t, err)
			tasks, localActivities := 0, 0
			var activities []string
			for _, ev := range hist.GetEvents() {
				switch ev.GetEventType() {
				case enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
					tasks++
				case enumspb.EVENT_TYPE_MARKER_RECORDED:
					if tasks == 1 && ev.GetMarkerRecordedEventAttributes().GetMarkerName() == "LocalActivity" {
						localActivities++
					}
				case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
					if tasks == 1 {
						activities = append(activities, ev.GetActivityTaskScheduledEventAttributes().GetActivityType().GetName())
					}
				}
			}
			require.Equal(t, tc.localActivities, localActivities, "local activities in the first task")
			require.Equal(t, tc.activities, activities, "activities the first task scheduled")
		})
	}
}

// TestARecurrenceIsFinishedInTheFirstTask reads the recorded history of a
// case that repeats earlier ones on its part, from generation8 on: its first
// task finishes the recurrence (the search, the event's store write and the
// notice are local activities beside the case's own write and dispatch) and
// upserts the search attributes once of its own, the recurrence included.
// Nothing else is left for later: no timer for a coalesced write, no
// activity, no other workflow task until the next step arrives.
func TestARecurrenceIsFinishedInTheFirstTask(t *testing.T) {
	hist, err := client.HistoryFromJSON(openHistory(t, sealedRecordPath("recurrence-in-task")), client.HistoryJSONOptions{})
	require.NoError(t, err)
	tasks, updates, localActivities := 0, 0, 0
	var upserts [][]string
	for _, ev := range hist.GetEvents() {
		switch ev.GetEventType() {
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
			tasks++
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
			updates++
		case enumspb.EVENT_TYPE_MARKER_RECORDED:
			if tasks == 1 && ev.GetMarkerRecordedEventAttributes().GetMarkerName() == "LocalActivity" {
				localActivities++
			}
		case enumspb.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
			fields := ev.GetUpsertWorkflowSearchAttributesEventAttributes().GetSearchAttributes().GetIndexedFields()
			if _, ok := fields["TemporalChangeVersion"]; tasks == 1 && !ok {
				upserts = append(upserts, slices.Sorted(maps.Keys(fields)))
			}
		case enumspb.EVENT_TYPE_TIMER_STARTED, enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			require.Equal(t, 2, updates, "%s before the next step (the withdrawal) arrived", ev.GetEventType())
		}
		if updates == 2 {
			break
		}
	}
	require.Equal(t, 2, tasks, "the first task, then the withdrawal's")
	require.Equal(t, 5, localActivities, "the case's write, the dispatch, the search, the recurrence's write and its notice")
	require.Len(t, upserts, 1, "one upsert of the case's own in the first task")
	require.Contains(t, upserts[0], "Recurrence")
}
