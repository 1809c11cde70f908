package notify

import (
	"fmt"
	"strings"
	"time"

	"github.com/caseflow/caseflow/complaint"
)

// followupText words the notices of follow-ups, surveys and feedback, in
// Chinese then English; ok is false for another kind. n.CaseNumber is the
// follow-up's id or the feedback's number; the rest are the facts of
// followup.Facts (followup, kind, due_at, customer_id, complaint_id,
// serial) or feedback.Facts (feedback, kind, routed_to, respond_by), ids
// and codes only. A low survey score may add the facts satisfaction (1–5),
// would_recommend (0–10) and recovery_followup (the recovery call it
// opened); the customer's comment is never a fact.
func followupText(n complaint.Notification) (subject, lead string, ok bool) {
	f := n.Facts
	id := n.CaseNumber
	switch n.Kind {
	case complaint.NotificationFollowupDueSoon, complaint.NotificationFollowupOverdue:
		kind := followupKindLabel(f["kind"])
		due := orDefault(f["due_at"], dueOf(n))
		if n.Kind == complaint.NotificationFollowupDueSoon {
			subject = fmt.Sprintf("[回访即将到期 follow-up due soon] %s %s须于 %s 前完成 / %s due %s",
				id, kind.zh, due, kind.en, due)
			lead = fmt.Sprintf("回访任务 %s（%s）须于 %s 前完成，请按时联系客户并在系统中记录结果。\n"+
				"Follow-up %s (%s) is due at %s: get in touch with the customer and record the outcome.",
				id, kind.zh, due, id, kind.en, due)
		} else {
			subject = fmt.Sprintf("[回访逾期 follow-up overdue] %s %s已超过 %s / %s past its due time %s",
				id, kind.zh, due, kind.en, due)
			lead = fmt.Sprintf("回访任务 %s（%s）已超过到期时间 %s 仍未完成，请督办。\n"+
				"Follow-up %s (%s) was due at %s and is not done: see that it is.",
				id, kind.zh, due, id, kind.en, due)
		}
		lead += factLines(f, followupFacts)
	case complaint.NotificationSurveyLowScore:
		kind := followupKindLabel(f["kind"])
		if s := f["satisfaction"]; s != "" {
			subject = fmt.Sprintf("[满意度低分 low survey score] %s 客户评分 %s/5 / the customer scored %s of 5", id, s, s)
			lead = fmt.Sprintf("客户对回访 %s（%s）的调查给出了 %s 分的满意度（满分 5 分）。"+
				"请安排挽回回访，了解客户不满意的原因并加以解决。\n"+
				"The customer answered the survey of follow-up %s (%s) with a satisfaction of %s of 5: "+
				"see that they get a recovery call to learn what went wrong and put it right.",
				id, kind.zh, s, id, kind.en, s)
		} else {
			subject = fmt.Sprintf("[满意度低分 low survey score] %s 客户不满意 / the customer is not satisfied", id)
			lead = fmt.Sprintf("客户对回访 %s（%s）的调查给出了低满意度。请安排挽回回访，了解客户不满意的原因并加以解决。\n"+
				"The customer answered the survey of follow-up %s (%s) with a low satisfaction: "+
				"see that they get a recovery call to learn what went wrong and put it right.",
				id, kind.zh, id, kind.en)
		}
		lead += factLines(f, surveyFacts)
	case complaint.NotificationFeedbackReceived:
		kind, dept := feedbackKindLabel(f["kind"]), departmentLabel(f["routed_to"])
		by := orDefault(f["respond_by"], dueOf(n))
		subject = fmt.Sprintf("[新%s new %s] %s 请于 %s 前答复 / please answer by %s", kind.zh, kind.en, id, by, by)
		lead = fmt.Sprintf("%s %s 已转交%s：请查阅内容并于 %s 前在系统中答复。\n"+
			"%s %s was routed to %s: read it and answer it by %s.",
			kind.zh, id, dept.zh, by, capitalize(kind.en), id, dept.en, by)
	case complaint.NotificationFeedbackOverdue:
		kind, dept := feedbackKindLabel(f["kind"]), departmentLabel(f["routed_to"])
		by := orDefault(f["respond_by"], dueOf(n))
		subject = fmt.Sprintf("[反馈逾期 feedback overdue] %s 超过答复期限 %s / not answered by %s", id, by, by)
		lead = fmt.Sprintf("%s %s（转交%s）应于 %s 前答复，至今未答复，请督办。\n"+
			"%s %s (routed to %s) was to be answered by %s and is not: see that it is.",
			kind.zh, id, dept.zh, by, capitalize(kind.en), id, dept.en, by)
	default:
		return "", "", false
	}
	return subject, lead, true
}

// SurveyInvitation is the e-mail that brings the customer the survey link
// of follow-up f, Chinese first, then English: what the survey is about (a
// post-close call's case, numbered caseNumber, or the yearly satisfaction
// survey), that it takes a minute, and that the link works once and
// expires on f.Survey.ExpiresAt's date (in the zone it carries; without
// one, after complaint.DefaultSurveyDays days). It names no one and shows
// nothing of f but its purpose: the caller sends it and never keeps it,
// the link being the customer's secret.
func SurveyInvitation(link string, f complaint.Followup, caseNumber string) (subject, text string) {
	caseNumber = oneLine(caseNumber)
	var aboutZH, aboutEN string
	switch {
	case f.Kind == complaint.FollowupPostCloseCall && caseNumber != "":
		subject = fmt.Sprintf("请评价我们对投诉 %s 的处理 / How did we handle case %s?", caseNumber, caseNumber)
		aboutZH = fmt.Sprintf("您的投诉 %s 已处理完毕，我们近期就此回访过您。我们想知道您对这次处理是否满意。", caseNumber)
		aboutEN = fmt.Sprintf("Your case %s is closed, and we recently called you about it. We would like to know how satisfied you are with how we handled it.", caseNumber)
	case f.Kind == complaint.FollowupPostCloseCall:
		subject = "请评价我们对您投诉的处理 / How did we handle your case?"
		aboutZH = "您的投诉已处理完毕，我们近期就此回访过您。我们想知道您对这次处理是否满意。"
		aboutEN = "Your case is closed, and we recently called you about it. We would like to know how satisfied you are with how we handled it."
	case f.Kind == complaint.FollowupAnnualSurvey:
		subject = "年度客户满意度调查 / Our yearly customer satisfaction survey"
		aboutZH = "这是我们一年一度的客户满意度调查。我们想知道过去一年您对我们的产品和服务是否满意。"
		aboutEN = "This is our yearly customer satisfaction survey. We would like to know how satisfied you have been with our products and service over the past year."
	default:
		subject = "客户满意度调查 / How satisfied are you with our service?"
		aboutZH = "我们最近与您联系过。我们想知道您对我们的服务是否满意。"
		aboutEN = "We were in touch with you recently. We would like to know how satisfied you are with our service."
	}
	expiresZH := fmt.Sprintf("该链接只能使用一次，%d 天后失效。", complaint.DefaultSurveyDays)
	expiresEN := fmt.Sprintf("The link works once and expires after %d days.", complaint.DefaultSurveyDays)
	if f.Survey != nil && f.Survey.ExpiresAt != nil && !f.Survey.ExpiresAt.IsZero() {
		date := f.Survey.ExpiresAt.Format(time.DateOnly)
		expiresZH = fmt.Sprintf("该链接只能使用一次，有效期至 %s。", date)
		expiresEN = fmt.Sprintf("The link works once and expires on %s.", date)
	}

	var b strings.Builder
	fmt.Fprintf(&b, "尊敬的客户：\n\n%s\n完成调查只需约一分钟。请点击以下链接作答：\n\n%s\n\n%s\n感谢您的支持！\n\n",
		aboutZH, link, expiresZH)
	b.WriteString("----------------------------------------\n\n")
	fmt.Fprintf(&b, "Dear customer,\n\n%s\nThe survey takes about a minute. Please answer it here:\n\n%s\n\n%s\nThank you!",
		aboutEN, link, expiresEN)
	return subject, b.String()
}

// bilingual is one word in Chinese and in English.
type bilingual struct{ zh, en string }

var followupKindLabels = map[string]bilingual{
	complaint.FollowupDeliveryCall:     {"交货回访", "delivery call"},
	complaint.FollowupPostCloseCall:    {"结案回访", "post-close call"},
	complaint.FollowupAnnualSurvey:     {"年度满意度调查", "annual satisfaction survey"},
	complaint.FollowupKeyCustomerVisit: {"重点客户拜访", "key-customer visit"},
	complaint.FollowupRecoveryCall:     {"挽回回访", "recovery call"},
}

var feedbackKindLabels = map[string]bilingual{
	complaint.FeedbackEnquiry:    {"咨询", "enquiry"},
	complaint.FeedbackSuggestion: {"建议", "suggestion"},
	complaint.FeedbackPraise:     {"表扬", "praise"},
}

// departmentLabels are the console's words for the departments.
var departmentLabels = map[string]bilingual{
	complaint.DepartmentAfterSales:   {"售后服务部", "after-sales"},
	complaint.DepartmentSales:        {"销售部", "sales"},
	complaint.DepartmentTechnical:    {"技术部", "the technical center"},
	complaint.DepartmentProduction:   {"生产部", "production"},
	complaint.DepartmentQuality:      {"质量部", "quality control"},
	complaint.DepartmentBranchOffice: {"办事处", "the branch office"},
}

// followupKindLabel names a follow-up kind; an unknown one (newer than
// this file) shows as its code in both languages.
func followupKindLabel(kind string) bilingual {
	return labelOf(followupKindLabels, kind, "回访", "follow-up")
}

func feedbackKindLabel(kind string) bilingual {
	return labelOf(feedbackKindLabels, kind, "反馈", "feedback")
}

func departmentLabel(d string) bilingual {
	return labelOf(departmentLabels, d, "相关部门", "the department")
}

func labelOf(m map[string]bilingual, key, zh, en string) bilingual {
	if l, ok := m[key]; ok {
		return l
	}
	if key != "" {
		return bilingual{key, key}
	}
	return bilingual{zh, en}
}

// followupFacts and surveyFacts are the facts a follow-up's notices list
// under their lead (the serial shows among Render's rows), with their
// labels in Chinese and English.
var (
	followupFacts = []struct{ key, zh, en string }{
		{"followup", "回访编号", "Follow-up"}, {"customer_id", "客户编号", "Customer ID"},
		{"complaint_id", "投诉编号", "Complaint ID"},
	}
	surveyFacts = append([]struct{ key, zh, en string }{
		{"satisfaction", "满意度（1–5）", "Satisfaction (1–5)"},
		{"would_recommend", "推荐意愿（0–10）", "Would recommend (0–10)"},
		{"recovery_followup", "挽回回访", "Recovery call"},
	}, followupFacts...)
)

func factLines(f map[string]string, keys []struct{ key, zh, en string }) string {
	var b strings.Builder
	for _, k := range keys {
		if v := f[k.key]; v != "" {
			fmt.Fprintf(&b, "\n%s / %s: %s", k.zh, k.en, v)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return "\n" + b.String()
}

func dueOf(n complaint.Notification) string {
	if n.DueAt.IsZero() {
		return ""
	}
	return n.DueAt.Format(time.RFC3339)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
