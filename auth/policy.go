package auth

import (
	"fmt"
	"slices"
	"strings"

	"github.com/caseflow/caseflow/capa"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/feedback"
	"github.com/caseflow/caseflow/followup"
	"github.com/caseflow/caseflow/rma"
)

// Action is something a caller asks the API to do.
type Action string

const (
	RegisterComplaint Action = "complaint.register"
	ReadComplaints    Action = "complaint.read"
	StepContact       Action = "complaint." + complaint.StepContact
	StepConfirm       Action = "complaint." + complaint.StepConfirm
	StepAnalysis      Action = "complaint." + complaint.StepAnalysis
	StepProposal      Action = "complaint." + complaint.StepProposals
	StepAgreement     Action = "complaint." + complaint.StepAgreement
	StepApproval      Action = "complaint." + complaint.StepApprovals
	StepProgress      Action = "complaint." + complaint.StepProgress
	StepCorrective    Action = "complaint." + complaint.StepCorrectiveActions
	StepResolve       Action = "complaint." + complaint.StepResolve
	StepClose         Action = "complaint." + complaint.StepClose
	StepWithdraw      Action = "complaint." + complaint.StepWithdraw
	StepOnsite        Action = "complaint." + complaint.StepOnsite
	StepPause         Action = "complaint." + complaint.StepPause
	StepResume        Action = "complaint." + complaint.StepResume
	StepInterim       Action = "complaint." + complaint.StepInterim
	StepQuote         Action = "complaint." + complaint.StepQuote
	StepQuoteDecision Action = "complaint." + complaint.StepQuoteDecision
	StepWaiver        Action = "complaint." + complaint.StepWaiver
	StepCloseDeclined Action = "complaint." + complaint.StepCloseDeclined
	ReopenComplaint   Action = "complaint.reopen"
	ReadNotifications Action = "notification.read"
	ReadPolicies      Action = "sla_policy.read"
	ManagePolicies    Action = "sla_policy.manage"
	ReadCustomers     Action = "customer.read"
	ManageCustomers   Action = "customer.manage"
	ManageUsers       Action = "user.manage"
	ReadStock         Action = "stock.read"
	ManageStock       Action = "stock.manage"
	// Returns and exchanges (RMA): the request, the reads; each step is
	// ReturnAction(step).
	RequestReturn Action = "rma." + complaint.RMAStepRequest
	ReadReturns   Action = "rma.read"
	// Corrective actions (CAPA): opening one on its own, the reads; each
	// step is CapaAction(step).
	OpenCapa  Action = "capa." + complaint.CapaStepOpen
	ReadCapas Action = "capa.read"
	// Follow-ups: opening one by hand, the reads; each step is
	// FollowupAction(step).
	OpenFollowup  Action = "followup." + complaint.FollowupStepOpen
	ReadFollowups Action = "followup.read"
	// Enquiries, suggestions and praise: logging, the reads; answering is
	// FeedbackAction(complaint.FeedbackStepAnswer).
	LogFeedback  Action = "feedback." + complaint.FeedbackStepLog
	ReadFeedback Action = "feedback.read"
	// The monthly review: reading it, running it for a month, and a
	// department supervisor's accountability decision.
	ReadReviews          Action = "review.read"
	RunReview            Action = "review.run"
	DecideAccountability Action = "review.decide"

	// ReadAllNotifications reads everyone's notifications, not only one's own.
	ReadAllNotifications Action = "notification.read_all"

	// ViewBoard opens the console's supervisor board: every open case by
	// stage and department.
	ViewBoard Action = "board.read"
	// UseConsole opens the console's own pages that any signed-in user has
	// (my work, sign-out).
	UseConsole Action = "console.use"
	// UseCodec encodes and decodes workflow payloads through the codec
	// server, which is how the Temporal Web UI shows them in clear.
	UseCodec Action = "codec.use"
	// EraseCustomer erases a customer's personal data and destroys the
	// keys of its workflows' payloads: it cannot be undone.
	EraseCustomer Action = "customer.erase"
)

// StepAction is the action of a lifecycle step, by its update name: the
// Step* actions above are these.
func StepAction(step string) Action { return Action("complaint." + step) }

// ReturnAction is the action of an RMA's step, by its update name.
func ReturnAction(step string) Action { return Action("rma." + step) }

// CapaAction is the action of a corrective action's step, by its update name.
func CapaAction(step string) Action { return Action("capa." + step) }

// FollowupAction is the action of a follow-up's step, by its update name.
func FollowupAction(step string) Action { return Action("followup." + step) }

// FeedbackAction is the action of a feedback step, by its update name.
func FeedbackAction(step string) Action { return Action("feedback." + step) }

// Grant allows the listed roles in the listed departments; no departments
// means any department.
type Grant struct {
	Departments []Department
	Roles       []Role
}

// caseWorkers are the roles that work on cases (not admin, who manages users only).
var caseWorkers = []Role{Agent, Approver, Engineer, Supervisor}

// Policy is the one table of who may do what. The API checks it on every
// route. The steps' rules are the case vocabulary's (complaint.StepGrants),
// which the workflow checks again together with what depends on the case
// (for example that an approval comes from a department the agreement
// requires).
var Policy = map[Action][]Grant{
	RegisterComplaint:                       {{Departments: []Department{AfterSales, BranchOffice}, Roles: []Role{Agent, Supervisor}}},
	ReadComplaints:                          {{Roles: caseWorkers}},
	StepContact:                             stepPolicy(complaint.StepContact),
	StepConfirm:                             stepPolicy(complaint.StepConfirm),
	StepAnalysis:                            stepPolicy(complaint.StepAnalysis),
	StepProposal:                            stepPolicy(complaint.StepProposals),
	StepAgreement:                           stepPolicy(complaint.StepAgreement),
	StepApproval:                            stepPolicy(complaint.StepApprovals),
	StepProgress:                            stepPolicy(complaint.StepProgress),
	StepCorrective:                          stepPolicy(complaint.StepCorrectiveActions),
	StepResolve:                             stepPolicy(complaint.StepResolve),
	StepClose:                               stepPolicy(complaint.StepClose),
	StepWithdraw:                            stepPolicy(complaint.StepWithdraw),
	StepOnsite:                              stepPolicy(complaint.StepOnsite),
	StepPause:                               stepPolicy(complaint.StepPause),
	StepResume:                              stepPolicy(complaint.StepResume),
	StepInterim:                             stepPolicy(complaint.StepInterim),
	StepQuote:                               stepPolicy(complaint.StepQuote),
	StepQuoteDecision:                       stepPolicy(complaint.StepQuoteDecision),
	StepWaiver:                              stepPolicy(complaint.StepWaiver),
	StepCloseDeclined:                       stepPolicy(complaint.StepCloseDeclined),
	StepAction(complaint.StepEngineers):     stepPolicy(complaint.StepEngineers),
	StepAction(complaint.StepVisits):        stepPolicy(complaint.StepVisits),
	StepAction(complaint.StepCheckIn):       stepPolicy(complaint.StepCheckIn),
	StepAction(complaint.StepCheckOut):      stepPolicy(complaint.StepCheckOut),
	StepAction(complaint.StepServiceRecord): stepPolicy(complaint.StepServiceRecord),
	StepAction(complaint.StepRecordWaiver):  stepPolicy(complaint.StepRecordWaiver),
	StepAction(complaint.StepLoanReturn):    stepPolicy(complaint.StepLoanReturn),
	StepAction(complaint.StepLoanConvert):   stepPolicy(complaint.StepLoanConvert),
	// A case whose workflow was ended outside the API is reopened by an
	// admin, who also answers for the Temporal cluster.
	ReopenComplaint:   {{Roles: []Role{Admin}}},
	ReadNotifications: {{Roles: caseWorkers}, {Roles: []Role{Admin}}},
	ReadPolicies:      {{Roles: caseWorkers}, {Roles: []Role{Admin}}},
	// Service levels are the after-sales department's promise; its
	// supervisors and the admins set them.
	ManagePolicies: {{Departments: []Department{AfterSales}, Roles: []Role{Supervisor}}, {Roles: []Role{Admin}}},
	ReadCustomers:  {{Roles: caseWorkers}},
	// After-sales and sales keep the archive; admins manage users only.
	ManageCustomers: {{Departments: []Department{AfterSales, Sales}, Roles: []Role{Agent, Supervisor}}},
	ManageUsers:     {{Roles: []Role{Admin}}},
	// Erasure cannot be undone and reaches every case of the customer: the
	// admins, who answer for the data, not the archive's keepers.
	EraseCustomer: {{Roles: []Role{Admin}}},
	// The spare-parts store is after-sales' [the backup-parts section];
	// everyone who works cases sees what is in it.
	ReadStock:   {{Roles: caseWorkers}},
	ManageStock: {{Departments: []Department{AfterSales}, Roles: []Role{Agent, Supervisor}}},
	// Returns and exchanges: who takes each step is the RMA rules' table
	// (rma.Grants); everyone who works cases reads them.
	RequestReturn:                           returnPolicy(complaint.RMAStepRequest),
	ReadReturns:                             {{Roles: caseWorkers}},
	ReturnAction(complaint.RMAStepApprove):  returnPolicy(complaint.RMAStepApprove),
	ReturnAction(complaint.RMAStepReject):   returnPolicy(complaint.RMAStepReject),
	ReturnAction(complaint.RMAStepReceive):  returnPolicy(complaint.RMAStepReceive),
	ReturnAction(complaint.RMAStepInspect):  returnPolicy(complaint.RMAStepInspect),
	ReturnAction(complaint.RMAStepComplete): returnPolicy(complaint.RMAStepComplete),
	// Corrective actions: who takes each step is the CAPA rules' table
	// (capa.Grants); everyone who works cases reads them.
	OpenCapa:                             capaPolicy(complaint.CapaStepOpen),
	ReadCapas:                            {{Roles: caseWorkers}},
	CapaAction(complaint.CapaStepDone):   capaPolicy(complaint.CapaStepDone),
	CapaAction(complaint.CapaStepVerify): capaPolicy(complaint.CapaStepVerify),
	// Follow-ups and feedback: who takes each step is their rules' tables
	// (followup.Grants, feedback.Grants); everyone who works cases reads
	// them. The workflows narrow a step to the owner (follow-ups) or the
	// department it is routed to (feedback).
	OpenFollowup:  followupPolicy(complaint.FollowupStepOpen),
	ReadFollowups: {{Roles: caseWorkers}},
	FollowupAction(complaint.FollowupStepDone):   followupPolicy(complaint.FollowupStepDone),
	FollowupAction(complaint.FollowupStepCancel): followupPolicy(complaint.FollowupStepCancel),
	LogFeedback:  feedbackPolicy(complaint.FeedbackStepLog),
	ReadFeedback: {{Roles: caseWorkers}},
	FeedbackAction(complaint.FeedbackStepAnswer): feedbackPolicy(complaint.FeedbackStepAnswer),
	// The monthly review is the departments' [3.(4)]: everyone who works
	// cases reads it; after-sales and quality supervisors run a month
	// again; each department's supervisor decides its own row (the handler
	// checks the department).
	ReadReviews:          {{Roles: caseWorkers}},
	RunReview:            {{Departments: []Department{AfterSales, Quality}, Roles: []Role{Supervisor}}},
	DecideAccountability: {{Roles: []Role{Supervisor}}},

	// Supervisors answer for escalations and admins for delivery, so they
	// see whose notifications failed.
	ReadAllNotifications: {{Roles: []Role{Supervisor, Admin}}},

	ViewBoard:  {{Roles: []Role{Supervisor}}},
	UseConsole: {{Roles: caseWorkers}, {Roles: []Role{Admin}}},
	// The codec server opens every workflow's payloads, customers'
	// personal data included: the people who answer for the cases and for
	// the cluster, not everyone who works cases.
	UseCodec: {{Roles: []Role{Supervisor, Admin}}},
}

// ForbiddenError says what the caller would need.
type ForbiddenError struct {
	Action Action
	Need   string
}

func (e *ForbiddenError) Error() string {
	return fmt.Sprintf("%s needs %s", e.Action, e.Need)
}

// Authorize checks p against the policy for action.
func Authorize(p Principal, action Action) error {
	grants, ok := Policy[action]
	if !ok {
		// An action missing from the table is a programming error; refuse it.
		return &ForbiddenError{Action: action, Need: "a rule in the policy table"}
	}
	for _, g := range grants {
		if g.allows(p) {
			return nil
		}
	}
	return &ForbiddenError{Action: action, Need: describe(grants)}
}

func (g Grant) allows(p Principal) bool {
	if len(g.Departments) > 0 && !slices.Contains(g.Departments, p.Department) {
		return false
	}
	return slices.ContainsFunc(g.Roles, p.Has)
}

// describe renders grants as "role agent or supervisor in department after_sales; or role engineer".
func describe(grants []Grant) string {
	parts := make([]string, len(grants))
	for i, g := range grants {
		roles := make([]string, len(g.Roles))
		for j, r := range g.Roles {
			roles[j] = string(r)
		}
		s := "role " + strings.Join(roles, " or ")
		if len(g.Departments) > 0 {
			deps := make([]string, len(g.Departments))
			for j, d := range g.Departments {
				deps[j] = string(d)
			}
			s += " in department " + strings.Join(deps, " or ")
		}
		parts[i] = s
	}
	return strings.Join(parts, "; or ")
}

// stepPolicy is a step's rule, from the case vocabulary's table.
func stepPolicy(step string) []Grant { return grantsOf(complaint.StepGrants(step)) }

// returnPolicy is an RMA step's rule, from the RMA rules' table.
func returnPolicy(step string) []Grant { return grantsOf(rma.Grants(step)) }

// capaPolicy is a corrective action step's rule, from the CAPA rules' table.
func capaPolicy(step string) []Grant { return grantsOf(capa.Grants(step)) }

// followupPolicy is a follow-up step's rule, from the follow-up rules' table.
func followupPolicy(step string) []Grant { return grantsOf(followup.Grants(step)) }

// feedbackPolicy is a feedback step's rule, from the feedback rules' table.
func feedbackPolicy(step string) []Grant { return grantsOf(feedback.Grants(step)) }

func grantsOf(grants []complaint.Grant) []Grant {
	out := make([]Grant, len(grants))
	for i, g := range grants {
		for _, d := range g.Departments {
			out[i].Departments = append(out[i].Departments, Department(d))
		}
		for _, r := range g.Roles {
			out[i].Roles = append(out[i].Roles, Role(r))
		}
	}
	return out
}
