package console

// stockCatalog is the catalog's part for the stock pages, {English,
// Chinese}, kept beside the pages it words; init adds it to catalog, and
// TestStockCatalogAgreesWithTheCatalog refuses a key both hold differently.
var stockCatalog = map[string][2]string{
	"nav.stock": {"Stock", "库存"},

	"stock.title":         {"Stock", "库存"},
	"stock.warehouse_any": {"All warehouses", "全部仓库"},
	"stock.below_only":    {"Below the reorder level only", "仅显示低于再订货点的"},
	"stock.below":         {"Below reorder level", "低于再订货点"},
	"stock.empty":         {"No stock items match.", "没有符合条件的库存物料。"},
	"stock.create":        {"Create a stock item", "新建库存物料"},
	"stock.create.help": {"The item starts with nothing on hand: post a receipt to bring stock in.",
		"新物料的在库数量为零：登记入库后才有库存。"},
	"stock.no_warehouse": {"No warehouse exists yet; one is created through the API (PUT /api/v1/stock/warehouses/{id}).",
		"尚无仓库；请通过 API 创建（PUT /api/v1/stock/warehouses/{id}）。"},
	"stock.created":     {"The stock item was created.", "库存物料已创建。"},
	"stock.moved":       {"The movement was posted.", "库存变动已登记。"},
	"stock.move":        {"Post a movement", "登记库存变动"},
	"stock.move.submit": {"Post the movement", "登记变动"},
	"stock.move.help": {"A receipt brings stock in, a reservation holds it for a case and a release gives it back; an issue takes it out (from the reserved stock when ticked), a return brings it back; an adjustment corrects the count, negative to take some away.",
		"入库增加库存，预留为案件保留库存，释放预留则归还；出库取出库存（勾选时从预留中出库），退回入库将其收回；盘点调整用于更正数量，负数表示减少。"},
	"stock.levels":        {"Levels by warehouse", "各仓库库存"},
	"stock.movements":     {"Movements, newest first", "库存变动记录（最新在前）"},
	"stock.no_movements":  {"No movements yet.", "暂无库存变动。"},
	"stock.shortage":      {"Not enough stock for this movement.", "库存不足，无法登记此变动。"},
	"stock.item_name":     {"Item name", "物料名称"},
	"stock.item_kind":     {"Item kind", "物料类型"},
	"stock.movement_kind": {"Movement", "变动类型"},

	"col.on_hand":        {"On hand", "在库"},
	"col.reserved":       {"Reserved", "已预留"},
	"col.available":      {"Available", "可用"},
	"col.updated":        {"Updated", "更新时间"},
	"col.actor":          {"By", "操作人"},
	"col.reference":      {"Reference", "关联单据"},
	"col.on_hand_after":  {"On hand after", "变动后在库"},
	"col.reserved_after": {"Reserved after", "变动后预留"},

	"field.warehouse":      {"Warehouse", "仓库"},
	"field.reorder_level":  {"Reorder level", "再订货点"},
	"field.from_reserved":  {"Issue from the reserved stock", "从预留库存中出库"},
	"field.reference.kind": {"Reference kind", "关联类型"},
	"field.reference.id":   {"Reference id", "关联编号"},

	"item_kind.spare_part":  {"Spare part", "备件"},
	"item_kind.backup_unit": {"Backup unit", "备用机"},

	"movement_kind.receive": {"Receipt", "入库"},
	"movement_kind.reserve": {"Reservation", "预留"},
	"movement_kind.release": {"Reservation released", "释放预留"},
	"movement_kind.issue":   {"Issue", "出库"},
	"movement_kind.return":  {"Return", "退回入库"},
	"movement_kind.adjust":  {"Adjustment", "盘点调整"},

	"reference_kind.case":  {"Case", "案件"},
	"reference_kind.visit": {"Visit", "上门服务"},
	"reference_kind.rma":   {"RMA", "退货返修单（RMA）"},
	"reference_kind.order": {"Purchase or delivery order", "采购或交货单"},
}

// init adds the stock's entries; one the catalog holds already keeps its
// wording (the test above says when the two differ).
func init() {
	for k, v := range stockCatalog {
		if _, ok := catalog[k]; !ok {
			catalog[k] = v
		}
	}
}
