package app

import (
	"fmt"
	"io"
	"net/url"
	"reflect"
	"runtime"
	"strings"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/workflows"
)

// SupervisorView is a ready-made list of cases in the Temporal Web UI. The
// UI keeps saved views per browser only, so caseflow hands out links with
// the visibility query in them.
type SupervisorView struct {
	NameZH, NameEN string
	// Query is the visibility query, built only from caseflow's search
	// attributes, WorkflowType and ExecutionStatus.
	Query string
	URL   string
}

// DueWithin is the window of the "due within an hour" view.
const DueWithin = time.Hour

// SupervisorViews returns the supervisors' views of the Web UI at uiBase
// for namespace. Visibility queries have no "now", so the "due within an
// hour" view holds the hour from now on as fixed times.
func SupervisorViews(uiBase, namespace string, now time.Time) []SupervisorView {
	open := fmt.Sprintf("WorkflowType = '%s' AND ExecutionStatus = 'Running'", complaintWorkflowType())
	from, until := now.UTC().Truncate(time.Second), now.UTC().Add(DueWithin).Truncate(time.Second)
	var due []string
	for _, key := range []string{workflows.ResponseDueAtKey.GetName(), workflows.OnsiteDueAtKey.GetName(), workflows.ResolveDueAtKey.GetName()} {
		due = append(due, fmt.Sprintf("%s BETWEEN '%s' AND '%s'", key, from.Format(time.RFC3339), until.Format(time.RFC3339)))
	}
	breached, atRisk := workflows.SLABreachedKey.GetName(), workflows.AtRiskKey.GetName()
	views := []SupervisorView{
		{NameZH: "已超时案件", NameEN: "Breached cases",
			Query: fmt.Sprintf("%s AND %s = true", open, breached)},
		{NameZH: "有风险案件（已预警、未超时）", NameEN: "At risk (warned, not breached)",
			Query: fmt.Sprintf("%s AND %s = true AND %s = false", open, atRisk, breached)},
		{NameZH: "一小时内到期（自 " + from.Format("15:04") + " UTC 起）", NameEN: "Due within an hour (from " + from.Format("15:04") + " UTC)",
			Query: fmt.Sprintf("%s AND (%s)", open, strings.Join(due, " OR "))},
	}
	for _, d := range complaint.Departments() {
		label := departmentLabels[d]
		views = append(views, SupervisorView{NameZH: "责任部门：" + label[0], NameEN: "Responsible department: " + label[1],
			Query: fmt.Sprintf("%s AND %s = '%s'", open, workflows.ResponsibleDepartmentKey.GetName(), d)})
	}
	for i := range views {
		views[i].URL = viewURL(uiBase, namespace, views[i].Query)
	}
	return views
}

// departmentLabels name the departments {Chinese, English} as the console
// does (console/catalog.go).
var departmentLabels = map[string][2]string{
	complaint.DepartmentAfterSales:   {"售后服务部", "After-sales"},
	complaint.DepartmentSales:        {"销售部", "Sales"},
	complaint.DepartmentTechnical:    {"技术部", "Technical"},
	complaint.DepartmentProduction:   {"生产部", "Production"},
	complaint.DepartmentQuality:      {"质量部", "Quality"},
	complaint.DepartmentBranchOffice: {"办事处", "Branch office"},
}

// viewURL is the Web UI's workflow list filtered by query; spaces are %20,
// not +, so the link survives tools that do not read + as a space.
func viewURL(uiBase, namespace, query string) string {
	return fmt.Sprintf("%s/namespaces/%s/workflows?query=%s", strings.TrimRight(uiBase, "/"),
		url.PathEscape(namespace), strings.ReplaceAll(url.QueryEscape(query), "+", "%20"))
}

// complaintWorkflowType is the type name the worker registers
// ComplaintWorkflow under: the SDK's, its function's name.
func complaintWorkflowType() string {
	name := runtime.FuncForPC(reflect.ValueOf(workflows.ComplaintWorkflow).Pointer()).Name()
	return name[strings.LastIndex(name, ".")+1:]
}

// printSupervisorViews lists the views, each name over its link.
func printSupervisorViews(w io.Writer, views []SupervisorView) {
	fmt.Fprintln(w, "\n主管视图 Supervisors' views in the Temporal Web UI (the UI saves views per browser only;")
	fmt.Fprintln(w, "\"due within an hour\" holds the hour from now as fixed times: edit them in the UI's query later):")
	for _, v := range views {
		fmt.Fprintf(w, "  %s · %s\n    %s\n", v.NameZH, v.NameEN, v.URL)
	}
}
