package complaint

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// ruleSample has one field per kind of rule; each row breaks one.
type ruleSample struct {
	Embedded
	Name        string    `json:"name" validate:"required,max=5"`
	Code        *string   `json:"code,omitempty" validate:"omitnil,min=1,max=3"`
	Long        string    `json:"long,omitempty" validate:"omitempty,min=3"`
	Confirmed   bool      `json:"confirmed" validate:"required"`
	Decision    Decision  `json:"decision" validate:"omitempty,enum=decision"`
	Comment     string    `json:"comment,omitempty" validate:"required_if=Decision reject"`
	Liability   Liability `json:"liability,omitempty"`
	Severity    *Severity `json:"severity,omitempty" validate:"omitnil,enum=severity"`
	Reason      string    `json:"reason,omitempty" validate:"required_unless=Liability company"`
	Both        string    `json:"both,omitempty" validate:"required_if=Decision reject Liability customer"`
	Score       *int      `json:"score,omitempty" validate:"omitnil,min=1,max=5"`
	Items       []string  `json:"items,omitempty" validate:"omitempty,min=1,max=2,unique,dive,required,max=4"`
	Departments []string  `json:"departments,omitempty" validate:"omitempty,dive,enum=department"`
	Due         string    `json:"due,omitempty" validate:"omitempty,datetime=2006-01-02"`
	Email       string    `json:"email,omitempty" validate:"omitempty,email"`
	URL         string    `json:"url,omitempty" validate:"omitempty,url"`
	Inner       inner     `json:"inner"`
	Extra       *inner    `json:"extra,omitempty" validate:"omitempty,excluded_unless=Decision approve"`
	Serial      string    `json:"serial,omitempty" validate:"required_without=Model,excluded_with=Model"`
	Model       string    `json:"model,omitempty"`
}

// Embedded fields answer at the top level, as in registerRequest.
type Embedded struct {
	Channel Channel `json:"channel,omitempty" validate:"omitempty,enum=channel"`
}

type inner struct {
	Label string `json:"label,omitempty" validate:"max=2"`
}

func TestBodyProblemsWordsEveryRule(t *testing.T) {
	valid := func() ruleSample {
		return ruleSample{Name: "ok", Confirmed: true, Liability: LiabilityCompany, Serial: "SN-1"}
	}
	cases := []struct {
		rule  string
		edit  func(*ruleSample)
		field string
		want  string
	}{
		{"required", func(s *ruleSample) { s.Name = "" }, "name", "is required"},
		{"required", func(s *ruleSample) { s.Confirmed = false }, "confirmed", "must be true"},
		{"required_if", func(s *ruleSample) { s.Decision = DecisionReject; s.Both = "x" }, "comment",
			"is required when decision is reject"},
		{"required_if", func(s *ruleSample) {
			s.Decision, s.Comment, s.Liability, s.Reason = DecisionReject, "x", LiabilityCustomer, "x"
		}, "both", "is required when decision is reject and liability is customer"},
		{"required_unless", func(s *ruleSample) { s.Liability = LiabilityCustomer }, "reason",
			"is required unless liability is company"},
		{"excluded_unless", func(s *ruleSample) { s.Extra = &inner{} }, "extra", "must be left out unless decision is approve"},
		{"required_without", func(s *ruleSample) { s.Serial = "" }, "serial", "is required when model is left out"},
		{"excluded_with", func(s *ruleSample) { s.Model = "M" }, "serial", "must be left out when model is given"},
		{"enum", func(s *ruleSample) { s.Decision = "maybe" }, "decision", "must be one of: approve, reject"},
		{"enum", func(s *ruleSample) { s.Severity = new(Severity("grave")) }, "severity",
			"must be one of: minor, severe"},
		{"enum", func(s *ruleSample) { s.Departments = []string{"sales", "hr"} }, "departments[1]",
			"must be one of: after_sales, sales, technical, production, quality, branch_office"},
		{"enum", func(s *ruleSample) { s.Channel = "fax" }, "channel",
			"must be one of: phone, letter, email, website, visit, branch_office"},
		{"min", func(s *ruleSample) { s.Code = new("") }, "code", "must not be empty"},
		{"min", func(s *ruleSample) { s.Long = "ab" }, "long", "must be at least 3 characters"},
		{"min", func(s *ruleSample) { s.Score = new(0) }, "score", "must be at least 1"},
		{"min", func(s *ruleSample) { s.Items = []string{} }, "items", "must not be empty"},
		{"max", func(s *ruleSample) { s.Name = "sixsix" }, "name", "must be at most 5 characters"},
		{"max", func(s *ruleSample) { s.Name = "五個字太長了" }, "name", "must be at most 5 characters"},
		{"max", func(s *ruleSample) { s.Score = new(6) }, "score", "must be at most 5"},
		{"max", func(s *ruleSample) { s.Items = []string{"a", "b", "c"} }, "items", "must have at most 2 items"},
		{"max", func(s *ruleSample) { s.Items = []string{"a", "bbbbb"} }, "items[1]", "must be at most 4 characters"},
		{"max", func(s *ruleSample) { s.Inner.Label = "abc" }, "inner.label", "must be at most 2 characters"},
		{"required", func(s *ruleSample) { s.Items = []string{""} }, "items[0]", "is required"},
		{"unique", func(s *ruleSample) { s.Items = []string{"a", "a"} }, "items", "must not repeat a value"},
		{"datetime", func(s *ruleSample) { s.Due = "31/12/2026" }, "due", "must be a date YYYY-MM-DD"},
		{"email", func(s *ruleSample) { s.Email = "li at example" }, "email", "must be an email address"},
		{"url", func(s *ruleSample) { s.URL = "not a url" }, "url", "must be a URL"},
		// The text rules: a control character says more than the length it also breaks.
		{"text", func(s *ruleSample) { s.Name = "a\x00bcdefg" }, "name", "must not contain control characters"},
	}
	require.Nil(t, BodyProblems(valid()), "the valid sample breaks no rule")
	covered := map[string]bool{}
	for _, c := range cases {
		t.Run(c.rule+" "+c.field, func(t *testing.T) {
			s := valid()
			c.edit(&s)
			require.Equal(t, map[string]string{c.field: c.want}, BodyProblems(s))
			require.Equal(t, map[string]string{c.field: c.want}, BodyProblems(&s), "a pointer is checked alike")
		})
		covered[c.rule] = true
	}
	for _, rule := range wordedRules {
		require.True(t, covered[rule], "no row words rule %s", rule)
	}
}

func TestEveryRuleIsWorded(t *testing.T) {
	bodies := []any{Register{}, ContactBody{}, ConfirmBody{}, AnalysisBody{}, ProposalBody{}, AgreementBody{},
		ApprovalBody{}, NoteBody{}, CorrectiveActionBody{}, CloseBody{}, OptionalNoteBody{}, PauseBody{},
		InterimBody{}, ReopenBody{}, ruleSample{}}
	for _, b := range bodies {
		require.Empty(t, UnwordedRules(b), "%T", b)
	}
	// The check fails where it should: a rule without words, a list without a name.
	type unworded struct {
		IP   string   `json:"ip" validate:"ip"`
		Kind []string `json:"kind" validate:"dive,enum=colour"`
	}
	require.Equal(t, []string{"IP: ip", "Kind: enum=colour names no list"}, UnwordedRules(unworded{}))
}
