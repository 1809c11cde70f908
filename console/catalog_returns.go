package console

// returnsCatalog is the catalog's part for the returns pages (returns.go,
// return_page.go, return_steps.go), {English, Chinese}; the RMA's
// vocabulary is catalog_rma.go's. init adds it to catalog, and
// TestReturnsCatalogAgreesWithTheCatalog refuses a key both hold
// differently.
var returnsCatalog = map[string][2]string{
	"nav.returns": {"Returns", "退换货"},

	"returns.title":     {"Returns and exchanges", "退换货"},
	"returns.stage_any": {"Any stage", "全部阶段"},
	"returns.empty":     {"No returns or exchanges match.", "没有符合条件的退换货。"},
	"returns.request":   {"Request a return or exchange", "申请退换货"},
	"returns.request.help": {"A branch office asks for the return of what its customer sent back, or after-sales does on the customer's call. The branch office defaults to the customer's in the archive, the warehouse the goods come into to the main one; list the units' serial numbers, one per line, no more than the quantity.",
		"办事处为客户退回的货物申请退换货，或售后部门应客户来电申请。办事处默认为客户档案中的办事处，收货仓库默认为主仓；如有序列号请逐行填写，个数不能超过数量。"},
	"returns.request.submit": {"Request", "提交申请"},
	"returns.requested":      {"%s was requested.", "已提交退换货申请 %s。"},
	"returns.wrong_stage":    {"This return or exchange is %s now: the step no longer applies.", "此退换货当前为“%s”，该步骤已不适用。"},
	"returns.receipt_due":    {"Goods due in by", "应到货时间"},
	"returns.overdue":        {"Goods overdue", "逾期未到货"},

	"col.rma":       {"RMA", "退换货单号"},
	"col.requested": {"Requested", "申请时间"},

	"rma.kind":                  {"Return or exchange", "退换类型"},
	"rma.request":               {"Request", "申请信息"},
	"rma.progress":              {"Progress", "处理进度"},
	"rma.requested":             {"Requested", "申请"},
	"rma.approval":              {"Approved", "批准"},
	"rma.rejection":             {"Rejected", "驳回"},
	"rma.receipt":               {"Goods received", "收货"},
	"rma.inspection":            {"Inspection", "检验"},
	"rma.completion":            {"Disposition", "处置"},
	"rma.movement":              {"Stock movement %d", "库存变动 %d"},
	"rma.none_yet":              {"Nothing decided yet.", "尚未处理。"},
	"rma.receipt_warehouse":     {"Warehouse the goods go into", "收货仓库"},
	"rma.replacement_warehouse": {"Warehouse the replacement is issued from", "更换品出库仓库"},

	"rma_help.approve": {"The goods may come back: they are due in three days after approval, and after-sales and the requesting branch office are reminded if they have not come by then.",
		"同意退回货物：应在批准后三天内到货，逾期未到将提醒售后部门和申请的办事处。"},
	"rma_help.reject": {"The goods may not come back; say why. The return or exchange ends.",
		"不同意退回货物，请说明原因。此退换货随即结束。"},
	"rma_help.receive": {"The goods came in: they are received into the warehouse (the request's by default) as a stock receipt. No more units than the request names, and only its serial numbers when it names them.",
		"货物已到：作为入库记入仓库（默认为申请中的仓库）。数量不能超过申请数量；申请列有序列号时只能收这些序列号。"},
	"rma_help.inspect": {"The quality department's finding on the returned goods.", "质量部门对退回货物的检验结论。"},
	"rma_help.complete": {"What becomes of the goods. A replacement issues as many units as were received from the warehouse chosen; the return or exchange ends.",
		"确定货物的处置方式。更换时从所选仓库出库与收货数量相同的更换品；此退换货随即结束。"},

	"case.returns":         {"Returns and exchanges", "退换货"},
	"case.returns.all":     {"All of this case's returns and exchanges", "本案的全部退换货"},
	"case.returns.request": {"Request a return or exchange for this case", "为本案申请退换货"},
}

// init adds the returns pages' entries; one the catalog holds already
// keeps its wording (the test says when the two differ).
func init() {
	for k, v := range returnsCatalog {
		if _, ok := catalog[k]; !ok {
			catalog[k] = v
		}
	}
}
