package workflows_test

import "github.com/caseflow/caseflow/activities"

// mocked names activities in OnActivity by method reference, so renaming an
// activity breaks the build of its mocks instead of leaving it unmocked.
var mocked *activities.Activities
