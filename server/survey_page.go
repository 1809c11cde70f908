package server

import (
	"bytes"
	_ "embed"
	"html/template"
	"regexp"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/caseflow/caseflow/complaint"
)

// The customer's survey page: one column, big touch targets, no script,
// in Chinese or English (?lang=zh|en, else Accept-Language).

//go:embed survey.html
var surveyHTML string

var surveyTemplate = template.Must(template.New("survey").Parse(surveyHTML))

// surveyCSP lets the page use its own inline style sheet and post its
// form to itself, nothing else.
const surveyCSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; " +
	"frame-ancestors 'none'"

// Page states beyond the form, by their catalog key.
const (
	surveyThanks      = "thanks"
	surveyUnknown     = "unknown"
	surveyExpired     = "expired"
	surveyAnswered    = "answered"
	surveyLimited     = "limited"
	surveyUnavailable = "unavailable"
	surveyForbidden   = "forbidden"
	surveyBroken      = "broken"
)

// surveyCatalog holds the page's words in each language.
var surveyCatalog = map[string]map[string]string{
	"en": {
		"title": "Customer satisfaction survey", "other": "中文",
		"satisfaction":                     "How satisfied are you with our service?",
		"satisfaction_hint":                "1 = very dissatisfied, 5 = very satisfied",
		"recommend":                        "How likely are you to recommend us to a colleague?",
		"recommend_hint":                   "0 = not at all likely, 10 = extremely likely",
		"comment":                          "Anything else you would like to tell us? (optional)",
		"submit":                           "Send my answer",
		"fix":                              "Please check the answers marked below.",
		"case":                             "Case ",
		surveyThanks:                       "Thank you! We have received your answer.",
		surveyUnknown:                      "This survey link is not valid. Please open the whole link from the e-mail.",
		surveyExpired:                      "This survey has closed: the link has expired. Thank you all the same.",
		surveyAnswered:                     "This survey has been answered already. Thank you!",
		surveyLimited:                      "Too many attempts. Please try again in a minute.",
		surveyUnavailable:                  "We could not save your answer just now. Please try again in a few minutes.",
		surveyForbidden:                    "This link cannot answer this survey.",
		surveyBroken:                       "Something went wrong on our side. Please try again later.",
		complaint.FollowupDeliveryCall:     "Call after the delivery of your equipment",
		complaint.FollowupPostCloseCall:    "Follow-up after your case was closed",
		complaint.FollowupAnnualSurvey:     "Annual satisfaction survey",
		complaint.FollowupKeyCustomerVisit: "Key customer visit",
		complaint.FollowupRecoveryCall:     "Follow-up call",
	},
	"zh": {
		"title": "客户满意度调查", "other": "English",
		"satisfaction":                     "您对我们的服务满意吗？",
		"satisfaction_hint":                "1 = 非常不满意，5 = 非常满意",
		"recommend":                        "您向同行推荐我们的可能性有多大？",
		"recommend_hint":                   "0 = 完全不可能，10 = 非常可能",
		"comment":                          "还有什么想告诉我们的吗？（选填）",
		"submit":                           "提交",
		"fix":                              "请检查下面标出的回答。",
		"case":                             "投诉单 ",
		surveyThanks:                       "谢谢！我们已收到您的回答。",
		surveyUnknown:                      "此问卷链接无效。请打开邮件中的完整链接。",
		surveyExpired:                      "此问卷已结束：链接已过期。仍然感谢您！",
		surveyAnswered:                     "此问卷已经提交过了，谢谢！",
		surveyLimited:                      "尝试次数过多，请一分钟后再试。",
		surveyUnavailable:                  "暂时无法保存您的回答，请几分钟后再试。",
		surveyForbidden:                    "此链接不能用于回答该问卷。",
		surveyBroken:                       "系统出错，请稍后再试。",
		complaint.FollowupDeliveryCall:     "设备交付回访",
		complaint.FollowupPostCloseCall:    "结案回访",
		complaint.FollowupAnnualSurvey:     "年度满意度调查",
		complaint.FollowupKeyCustomerVisit: "重点客户拜访",
		complaint.FollowupRecoveryCall:     "回访",
	},
}

// surveyView is what the page shows.
type surveyView struct {
	HTMLLang, Other string
	T               map[string]string
	About, Case     string
	Message         string
	Form            bool
	Satisfaction    []surveyOption
	Recommend       []surveyOption
	Comment         string
	Problems        map[string]string
}

type surveyOption struct {
	Value   int
	Checked bool
}

// surveyForm is the form as the customer filled it (raw, to show it again).
type surveyForm struct {
	Satisfaction, WouldRecommend, Comment string
}

// newSurveyView is the page in lang about the follow-up's kind and case
// number ("" for none), showing message (a catalog key) or, with none,
// the form as filled with the problems found.
func newSurveyView(lang, kind, caseNumber, message string, form surveyForm, problems map[string]string) surveyView {
	t := surveyCatalog[lang]
	v := surveyView{HTMLLang: map[string]string{"zh": "zh-CN", "en": "en"}[lang],
		Other: map[string]string{"zh": "en", "en": "zh"}[lang], T: t, About: t[kind], Comment: form.Comment}
	if caseNumber != "" {
		v.Case = t["case"] + caseNumber
	}
	if message != "" {
		v.Message = t[message]
		return v
	}
	v.Form = true
	v.Satisfaction = surveyOptions(1, 5, form.Satisfaction)
	v.Recommend = surveyOptions(0, 10, form.WouldRecommend)
	if len(problems) > 0 {
		v.Problems = map[string]string{}
		for field, p := range problems {
			v.Problems[field] = surveyProblem(lang, p)
		}
	}
	return v
}

func surveyOptions(from, to int, chosen string) []surveyOption {
	var out []surveyOption
	for v := from; v <= to; v++ {
		out = append(out, surveyOption{Value: v, Checked: strconv.Itoa(v) == chosen})
	}
	return out
}

// surveyProblemWords word the answer's problems (complaint.BodyProblems'
// and the form's own) in Chinese; English keeps the API's words.
var surveyProblemWords = []struct {
	pattern *regexp.Regexp
	zh      string
}{
	{regexp.MustCompile(`^is required$`), "请选择一个答案"},
	{regexp.MustCompile(`^must be a whole number$`), "必须是整数"},
	{regexp.MustCompile(`^must be at least (-?\d+)$`), "不能小于 $1"},
	{regexp.MustCompile(`^must be at most (-?\d+)$`), "不能大于 $1"},
	{regexp.MustCompile(`^must be at most (\d+) characters$`), "最多 $1 个字符"},
	{regexp.MustCompile(`^must be valid UTF-8 text$`), "必须是有效的 UTF-8 文本"},
	{regexp.MustCompile(`^must not contain control characters other than tab and line breaks$`), "除制表符和换行外不能包含控制字符"},
	{regexp.MustCompile(`^must not contain control characters$`), "不能包含控制字符"},
}

func surveyProblem(lang, msg string) string {
	if lang != "zh" {
		return msg
	}
	for _, w := range surveyProblemWords {
		if w.pattern.MatchString(msg) {
			return w.pattern.ReplaceAllString(msg, w.zh)
		}
	}
	return msg
}

// renderSurvey answers the page with status.
func renderSurvey(c *gin.Context, status int, v surveyView) {
	var buf bytes.Buffer
	if err := surveyTemplate.Execute(&buf, v); err != nil {
		c.AbortWithStatus(500)
		return
	}
	c.Header("Content-Security-Policy", surveyCSP)
	c.Header("Content-Language", v.HTMLLang)
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
	c.Abort()
}

// surveyLang is the reader's language: ?lang=zh|en, else Accept-Language.
func surveyLang(c *gin.Context) string {
	switch c.Query("lang") {
	case "zh", "en":
		return c.Query("lang")
	}
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(c.GetHeader("Accept-Language"))), "zh") {
		return "zh"
	}
	return "en"
}
