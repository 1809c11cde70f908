package console

// loansCatalog is the catalog's part for backup units on loan [4.(6)]: the
// loan steps and events, the loans and units pages, {English, Chinese};
// init adds it to catalog, and TestLoansCatalogAgreesWithTheCatalog
// refuses a key both hold differently.
var loansCatalog = map[string][2]string{
	"nav.loans": {"Loans", "备用机借用"},

	"step.loan-return":  {"Return a lent backup unit", "归还借用的备用机"},
	"step.loan-convert": {"Convert a loan: the customer keeps the unit", "借用转换：客户留用备用机"},
	"help.interim": {"Backup equipment lends the customer a backup unit from stock: choose an available unit, or a model to take any available unit of it (from the warehouse chosen, the main one when none), and the date it is due back. A workaround needs none of these.",
		"备用设备将从库存借给客户一台备用机：选择一台可用的备用机，或选择型号以借出该型号的任一可用机（从所选仓库，未选则为主仓），并填写应归还日期。临时解决办法无需填写这些内容。"},
	"help.loan-return": {"The unit came back from the customer: to stock it is available again, into repair it stays out of stock until it is marked repaired.",
		"备用机已从客户处收回：归还入库后即可再次借出；送修则在标记修复前不计入库存。"},
	"help.loan-convert": {"An approver lets the customer keep the lent unit, sold or as a permanent replacement; say why.",
		"审批人同意客户留用借出的备用机（转为销售或永久替换）；请说明原因。"},

	"event.unit_lent":      {"Backup unit lent", "已借出备用机"},
	"event.unit_returned":  {"Backup unit returned", "备用机已归还"},
	"event.loan_converted": {"Loan converted", "借用已转换"},
	"event.loan_overdue":   {"Loan overdue", "借用已逾期"},
	"event.loan_escalated": {"Overdue loan escalated", "逾期借用已升级"},

	"clock.loan": {"Loan due back", "备用机归还期限"},

	"field.loan":             {"Loan", "借用单"},
	"field.to":               {"The unit goes", "备用机去向"},
	"field.conversion":       {"Conversion", "转换方式"},
	"field.backup":           {"Backup unit", "备用机"},
	"field.backup.serial":    {"Backup unit (serial)", "备用机（序列号）"},
	"field.backup.model":     {"Or any available unit of the model", "或该型号的任一可用备用机"},
	"field.backup.warehouse": {"Warehouse of the backup unit", "备用机所在仓库"},
	"field.backup.due_back":  {"Due back on", "应归还日期"},
	"field.due_back":         {"Due back on", "应归还日期"},
	"field.parts_warehouse":  {"Warehouse the parts are taken from", "备件出库仓库"},

	"loan_state.on_loan":   {"On loan", "借出中"},
	"loan_state.returned":  {"Returned", "已归还"},
	"loan_state.converted": {"Converted", "已转换"},

	"unit_state.available": {"Available", "可用"},
	"unit_state.on_loan":   {"On loan", "借出中"},
	"unit_state.in_repair": {"In repair", "维修中"},
	"unit_state.sold":      {"Sold", "已售出"},
	"unit_state.replaced":  {"Kept as a permanent replacement", "已作为永久替换"},

	"return_destination.stock":  {"Back to stock", "归还入库"},
	"return_destination.repair": {"Into repair", "送修"},

	"conversion.sale":        {"Sale", "转为销售"},
	"conversion.replacement": {"Permanent replacement", "转为永久替换"},

	"case.loans":     {"Backup units on loan", "备用机借用"},
	"case.lent":      {"Lent", "借出"},
	"case.returned":  {"Returned", "归还"},
	"case.converted": {"Converted", "转换"},

	"loans.title":         {"Backup units on loan", "备用机借用"},
	"loans.state_any":     {"Any state", "全部状态"},
	"loans.overdue_only":  {"Overdue only", "仅显示逾期"},
	"loans.overdue":       {"Overdue", "已逾期"},
	"loans.empty":         {"No loans match.", "没有符合条件的借用。"},
	"loans.return":        {"Return the unit", "归还备用机"},
	"loans.return.submit": {"Return", "归还"},
	"loans.returned":      {"The unit was returned.", "备用机已归还。"},
	"loans.notfound":      {"There is no such loan.", "没有此借用单。"},
	"loans.units":         {"Backup units", "备用机"},

	"units.title":     {"Backup units", "备用机"},
	"units.state_any": {"Any state", "全部状态"},
	"units.empty":     {"No backup units match.", "没有符合条件的备用机。"},
	"units.register":  {"Register a backup unit", "登记备用机"},
	"units.register.help": {"The unit comes into stock available. Its model is the part number of a stock item of kind backup unit in the warehouse.",
		"登记后备用机即入库可用。型号须为该仓库中类型为“备用机”的库存物料的零件号。"},
	"units.registered":      {"The backup unit was registered.", "备用机已登记。"},
	"units.repaired":        {"The unit is back in stock from repair.", "备用机已修复并入库。"},
	"units.repaired.submit": {"Repaired: back to stock", "已修复：入库"},
	"units.loans":           {"Loans", "借用记录"},

	"col.loan":     {"Loan", "借用单"},
	"col.serial":   {"Serial", "序列号"},
	"col.model":    {"Model", "型号"},
	"col.due_back": {"Due back", "应归还日期"},
	"col.lent":     {"Lent", "借出"},
	"col.outcome":  {"Returned or converted", "归还或转换"},
}

// init adds the loans' entries; one the catalog holds already keeps its
// wording (the test above says when the two differ).
func init() {
	for k, v := range loansCatalog {
		if _, ok := catalog[k]; !ok {
			catalog[k] = v
		}
	}
}
