package console

import "regexp"

// rmaCatalog is the catalog's part for returns and exchanges (RMA),
// {English, Chinese}: their vocabulary, their events on a case's timeline,
// the reminder's kind and their bodies' fields, for the pages and forms to
// come. init adds it to catalog; a key the catalog holds keeps its wording.
var rmaCatalog = map[string][2]string{
	"rma_kind.return":   {"Return", "退货"},
	"rma_kind.exchange": {"Exchange", "换货"},

	"rma_stage.requested": {"Requested", "已申请"},
	"rma_stage.approved":  {"Approved, awaiting the goods", "已批准，待收货"},
	"rma_stage.rejected":  {"Rejected", "已驳回"},
	"rma_stage.received":  {"Goods received", "已收货"},
	"rma_stage.inspected": {"Inspected", "已检验"},
	"rma_stage.completed": {"Completed", "已完成"},

	"rma_step.approve":  {"Approve", "批准"},
	"rma_step.reject":   {"Reject", "驳回"},
	"rma_step.receive":  {"Receive the goods", "收货入库"},
	"rma_step.inspect":  {"Record the inspection", "登记检验结果"},
	"rma_step.complete": {"Complete with a disposition", "确定处置并完成"},

	"inspection_result.defect_confirmed": {"Defect confirmed", "确认缺陷"},
	"inspection_result.no_fault_found":   {"No fault found", "未发现故障"},
	"inspection_result.customer_damage":  {"Damaged by the customer", "客户损坏"},

	"disposition.replace": {"Replace (issue from stock)", "更换（从库存出库）"},
	"disposition.refund":  {"Refund", "退款"},
	"disposition.repair":  {"Repair", "维修"},
	"disposition.scrap":   {"Scrap", "报废"},

	"event.rma_requested":       {"Return or exchange requested", "已申请退换货"},
	"event.rma_approved":        {"Return or exchange approved", "退换货已批准"},
	"event.rma_rejected":        {"Return or exchange rejected", "退换货已驳回"},
	"event.rma_received":        {"Returned goods received", "退回货物已入库"},
	"event.rma_inspected":       {"Returned goods inspected", "退回货物已检验"},
	"event.rma_completed":       {"Return or exchange completed", "退换货已完成"},
	"event.rma_receipt_overdue": {"Returned goods overdue", "退回货物逾期未到"},

	"notification_kind.rma_receipt_due": {"Returned goods overdue", "退回货物逾期未到"},

	"field.serials":      {"Serial numbers", "序列号"},
	"field.complaint_id": {"Complaint", "关联客诉"},
	"field.result":       {"Inspection result", "检验结果"},
	"field.disposition":  {"Disposition", "处置方式"},
}

// rmaProblemWords translate the RMA's own field problems
// (complaint/rma_vocabulary.go, rma/, server/returns.go).
var rmaProblemWords = []struct {
	pattern *regexp.Regexp
	zh      string
}{
	{regexp.MustCompile(`^names no customer in the archive$`), "客户档案中没有此客户"},
	{regexp.MustCompile(`^names no complaint$`), "没有此客诉"},
	{regexp.MustCompile(`^is a complaint of another customer$`), "是其他客户的客诉"},
	{regexp.MustCompile(`^must not have more items than quantity$`), "数量不能少于序列号个数"},
	{regexp.MustCompile(`^must be at most (\d+), the quantity of the RMA$`), "不能大于退换货数量 $1"},
	{regexp.MustCompile(`^is not a serial of the RMA$`), "不是本退换货单的序列号"},
}

func init() {
	for k, v := range rmaCatalog {
		if _, ok := catalog[k]; !ok {
			catalog[k] = v
		}
	}
	problemWords = append(problemWords, rmaProblemWords...)
}
