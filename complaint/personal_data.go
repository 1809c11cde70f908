package complaint

import "strings"

// personalDataWorkflows are the processes whose workflows carry a
// customer's personal data (contacts, what the customer said, signatures,
// survey answers): each is sealed with a data key of its own, destroyed
// when the customer is erased.
var personalDataWorkflows = []string{
	WorkflowID(""),
	FollowupWorkflowID(""),
	FeedbackWorkflowID(""),
	RMAWorkflowID(""),
}

// CarriesPersonalData says whether a workflow id is one of those.
func CarriesPersonalData(workflowID string) bool {
	for _, prefix := range personalDataWorkflows {
		if strings.HasPrefix(workflowID, prefix) {
			return true
		}
	}
	return false
}
