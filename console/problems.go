package console

import "regexp"

// problemWords translate the API's field problems (complaint.BodyProblems'
// wording and the decoder's) into Chinese, pattern by pattern; the English
// is the API's own. TestEveryWordedProblemTranslates keeps them in step.
var problemWords = []struct {
	pattern *regexp.Regexp
	zh      string
}{
	{regexp.MustCompile(`^is required$`), "必填"},
	{regexp.MustCompile(`^must be true$`), "必须勾选"},
	// The conditions between two fields of one object (a backup unit by
	// serial or by model), before the general "required when".
	{regexp.MustCompile(`^is required when (\S+) is left out$`), "未填写 $1 时必填"},
	{regexp.MustCompile(`^must be left out when (\S+) is given$`), "填写了 $1 时不能填写"},
	{regexp.MustCompile(`^must be left out unless (.+)$`), "除非 $1，否则不能填写"},
	// An RMA's branch office (server/returns.go, rma/), before the general
	// "required when", which would keep its English.
	{regexp.MustCompile(`^is required when the customer has none in the archive$`), "客户档案中未登记办事处时必填"},
	{regexp.MustCompile(`^is required when kind is backup_equipment$`), "提供备用设备时必填"},
	{regexp.MustCompile(`^is required when (.+)$`), "当 $1 时必填"},
	{regexp.MustCompile(`^is required unless (.+)$`), "除非 $1，否则必填"},
	{regexp.MustCompile(`^must be one of: (.+)$`), "必须是以下之一：$1"},
	{regexp.MustCompile(`^must not be empty$`), "不能为空"},
	{regexp.MustCompile(`^must be at least (\d+) characters$`), "至少 $1 个字符"},
	{regexp.MustCompile(`^must be at most (\d+) characters$`), "最多 $1 个字符"},
	{regexp.MustCompile(`^must have at least (\d+) items$`), "至少 $1 项"},
	{regexp.MustCompile(`^must have at most (\d+) items$`), "最多 $1 项"},
	{regexp.MustCompile(`^must be at least (-?\d+(?:\.\d+)?)$`), "不能小于 $1"},
	{regexp.MustCompile(`^must be at most (-?\d+(?:\.\d+)?)$`), "不能大于 $1"},
	{regexp.MustCompile(`^must be a date YYYY-MM-DD$`), "必须是日期（YYYY-MM-DD）"},
	{regexp.MustCompile(`^must be a time like (.+)$`), "时间格式必须类似 $1"},
	{regexp.MustCompile(`^must not repeat a value$`), "不能有重复值"},
	{regexp.MustCompile(`^must be an email address$`), "必须是电子邮件地址"},
	{regexp.MustCompile(`^must be a URL$`), "必须是网址"},
	{regexp.MustCompile(`^must be valid UTF-8 text$`), "必须是有效的 UTF-8 文本"},
	{regexp.MustCompile(`^must not contain control characters other than tab and line breaks$`), "除制表符和换行外不能包含控制字符"},
	{regexp.MustCompile(`^must not contain control characters$`), "不能包含控制字符"},
	{regexp.MustCompile(`^must be an integer$`), "必须是整数"},
	{regexp.MustCompile(`^must be a number$`), "必须是数字"},
	{regexp.MustCompile(`^must be a string$`), "必须是文本"},
	{regexp.MustCompile(`^must be true or false$`), "必须是“是”或“否”"},
	{regexp.MustCompile(`^must be a list$`), "必须是列表"},
	{regexp.MustCompile(`^must not be in the future$`), "不能晚于当前时间"},
	{regexp.MustCompile(`^names no user$`), "没有此用户"},
	{regexp.MustCompile(`^names a user who is not an engineer$`), "该用户不是工程师"},
	{regexp.MustCompile(`^names no contract of customer (.+)$`), "客户 $1 没有此合同"},
	{regexp.MustCompile(`^names no visit of this case$`), "不是本案的上门服务"},
	{regexp.MustCompile(`^must be an RFC 3339 time$`), "必须是 RFC 3339 格式的时间"},
	{regexp.MustCompile(`^must be a PNG image of at most (\d+) KB$`), "必须是不超过 $1 KB 的 PNG 图片"},
	{regexp.MustCompile(`^must be a PNG image in base64$`), "必须是 base64 编码的 PNG 图片"},
	{regexp.MustCompile(`^must be a PNG image$`), "必须是 PNG 图片"},
	// The stock's (server/stock.go, complaint/stock_vocabulary.go).
	{regexp.MustCompile(`^only (-?\d+) available$`), "仅有 $1 可用"},
	{regexp.MustCompile(`^must be positive unless kind is adjust$`), "除盘点调整外必须为正数"},
	{regexp.MustCompile(`^applies to an issue only$`), "仅适用于出库"},
	{regexp.MustCompile(`^names no warehouse$`), "没有此仓库"},
	{regexp.MustCompile(`^is not kept in warehouse (.+)$`), "仓库 $1 中没有此物料"},
	{regexp.MustCompile(`^is taken in warehouse (.+)$`), "仓库 $1 中已有此零件号"},
	// Backup units and their loans (store/loans.go, complaint/rules/loans.go).
	{regexp.MustCompile(`^must not be in the past$`), "不能早于今天"},
	{regexp.MustCompile(`^is not a loan of this case$`), "不是本案的借用单"},
	{regexp.MustCompile(`^is not taken by a case registered before loans: describe the equipment instead$`),
		"借用功能上线前登记的投诉不借出备用机：请在说明中写明设备"},
	{regexp.MustCompile(`^is not a backup unit$`), "不是备用机"},
	{regexp.MustCompile(`^is not a backup unit kept in warehouse (.+)$`), "仓库 $1 中没有此型号的备用机"},
	{regexp.MustCompile(`^is a (\S+), not a backup unit$`), "是 $1，不是备用机"},
	{regexp.MustCompile(`^is not a warehouse$`), "不是仓库"},
	{regexp.MustCompile(`^does not hold unit (\S+) \(it is in warehouse (.+)\)$`), "没有备用机 $1（它在仓库 $2）"},
	{regexp.MustCompile(`^is registered already, as a (\S+) in warehouse (.+)$`), "已登记过：型号 $1，仓库 $2"},
	{regexp.MustCompile(`^is not stocked in warehouse (.+)$`), "仓库 $1 中没有此备件"},
	// Follow-ups (followup/, server's follow-up routes).
	{regexp.MustCompile(`^is required for a key-customer visit$`), "重点客户拜访必须填写"},
	{regexp.MustCompile(`^is required for a delivery call$`), "交付回访必须填写"},
	{regexp.MustCompile(`^is required for a post-close call$`), "结案回访必须填写"},
	{regexp.MustCompile(`^only a post-close call or an annual survey sends a survey$`), "只有结案回访和年度满意度调查可以发送问卷"},
	{regexp.MustCompile(`^needs issues_found to be true$`), "须先勾选“发现问题”"},
	{regexp.MustCompile(`^names no equipment in the installed base$`), "在用设备中没有此序列号"},
	{regexp.MustCompile(`^is a complaint of another customer$`), "是其他客户的客诉"},
	{regexp.MustCompile(`^is set by the server from raise_complaint, never by the client$`),
		"由系统根据 raise_complaint 填写，不能由客户端提交"},
	{regexp.MustCompile(`^must be an RFC 3339 time, e\.g\. (.+)$`), "必须是 RFC 3339 格式的时间，例如 $1"},
}

// translateProblem words an API field problem in the user's language; one
// with no pattern stays in English rather than vanish.
func translateProblem(l Lang, msg string) string {
	if l != Chinese {
		return msg
	}
	for _, w := range problemWords {
		if w.pattern.MatchString(msg) {
			return w.pattern.ReplaceAllString(msg, w.zh)
		}
	}
	return msg
}

// translated reports whether msg has a Chinese wording, for the test.
func translated(msg string) bool { return translateProblem(Chinese, msg) != msg }
