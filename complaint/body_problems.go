package complaint

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/go-playground/validator/v10"
)

// BodyProblems is the one place a request body's field rules are checked
// and worded, for the API (every body it decodes) and the workflow (every
// step it admits) alike, so both refuse a body with the same words. The rules
// are the `validate` struct tags (go-playground/validator syntax; enums with
// the `enum` tag, from the vocabulary) and the text rules of TextProblem. It
// returns problems keyed by JSON path ("comment", "evidence[0]"), nil when
// the body is valid. It is deterministic.
func BodyProblems(body any) map[string]string {
	problems := TextProblems(body)
	err := bodyValidator().Struct(body)
	if err == nil {
		return problems
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		// Only a body that is not a struct gets here: a programming error.
		return map[string]string{"body": "must be a JSON object"}
	}
	if problems == nil {
		problems = make(map[string]string, len(verrs))
	}
	root := reflect.TypeOf(body)
	for _, fe := range verrs {
		path := fieldPath(fe.Namespace())
		// A text problem (a NUL byte) says more than a rule it also breaks.
		if _, ok := problems[path]; !ok {
			problems[path] = problemText(fe, root)
		}
	}
	return problems
}

// bodyValidator checks the validate tags, naming fields by their JSON names.
var bodyValidator = sync.OnceValue(func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.SetTagName("validate")
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	if err := v.RegisterValidation("enum", func(fl validator.FieldLevel) bool {
		list, ok := enums[fl.Param()]
		return ok && slices.Contains(list(), fl.Field().String())
	}); err != nil {
		panic(err)
	}
	return v
})

// enums are the vocabulary's lists an enum tag names:
// `validate:"enum=category"`. The message lists the same values.
var enums = map[string]func() []string{
	"accountability_decision": AccountabilityDecisions,
	"agreement_type":          AgreementTypes,
	"category":                Categories,
	"channel":                 Channels,
	"currency":                Currencies,
	"customer_class":          CustomerClasses,
	"equipment_status":        EquipmentStatuses,
	"feedback_kind":           FeedbackKinds,
	"followup_department":     FollowupDepartments,
	"followup_kind":           FollowupKinds,
	"decision":                Decisions,
	"department":              Departments,
	"disposition":             Dispositions,
	"inspection_result":       InspectionResults,
	"interim_kind":            InterimKinds,
	"item_kind":               ItemKinds,
	"movement_kind":           MovementKinds,
	"reference_kind":          ReferenceKinds,
	"return_destination":      ReturnDestinations,
	"conversion":              Conversions,
	"liability":               Liabilities,
	"opinion":                 Opinions,
	"rma_kind":                RMAKinds,
	"role":                    Roles,
	"severity":                Severities,
	"verdict":                 Verdicts,
}

// EnumValues returns the values of the vocabulary an enum tag names
// ("department", "category", …), for forms that offer them; nil for an
// unknown name.
func EnumValues(name string) []string {
	if list, ok := enums[name]; ok {
		return list()
	}
	return nil
}

// problemText words a broken rule as the end of a sentence that starts with
// the field's name.
func problemText(fe validator.FieldError, root reflect.Type) string {
	kind := fe.Kind()
	switch fe.Tag() {
	case "required":
		if kind == reflect.Bool {
			return "must be true"
		}
		return "is required"
	case "required_if":
		return "is required when " + conditionText(fe, root)
	case "required_unless":
		return "is required unless " + conditionText(fe, root)
	case "excluded_unless":
		return "must be left out unless " + conditionText(fe, root)
	case "required_without":
		return "is required when " + jsonName(parentStruct(root, fe.StructNamespace()), fe.Param()) + " is left out"
	case "excluded_with":
		return "must be left out when " + jsonName(parentStruct(root, fe.StructNamespace()), fe.Param()) + " is given"
	case "enum":
		if list, ok := enums[fe.Param()]; ok {
			return "must be one of: " + strings.Join(list(), ", ")
		}
	case "min":
		if fe.Param() == "1" && unit(kind) != "" {
			return "must not be empty"
		}
		return limitText("at least", fe.Param(), kind)
	case "max":
		return limitText("at most", fe.Param(), kind)
	case "datetime":
		if fe.Param() == "2006-01-02" {
			return "must be a date YYYY-MM-DD"
		}
		return "must be a time like " + fe.Param()
	case "unique":
		return "must not repeat a value"
	case "email":
		return "must be an email address"
	case "url":
		return "must be a URL"
	}
	// Unreachable while TestEveryRuleIsWorded passes.
	return "breaks the rule " + fe.Tag()
}

// wordedRules are the rule tags problemText words; the others are how tags
// are applied (omitempty, dive) rather than rules.
var wordedRules = []string{"required", "required_if", "required_unless", "excluded_unless", "required_without",
	"excluded_with", "enum", "min", "max",
	"datetime", "unique", "email", "url"}

var ruleModifiers = []string{"omitempty", "omitnil", "omitzero", "dive"}

func unit(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return " characters"
	case reflect.Slice, reflect.Array, reflect.Map:
		return " items"
	}
	return ""
}

// limitText words min and max: a text "must be at most 200 characters", a
// list "must have at most 50 items", a number "must be at most 5".
func limitText(bound, n string, k reflect.Kind) string {
	switch unit(k) {
	case " items":
		return "must have " + bound + " " + n + " items"
	case " characters":
		return "must be " + bound + " " + n + " characters"
	}
	return "must be " + bound + " " + n
}

// conditionText words a required_if/required_unless parameter ("Decision
// reject") with JSON names: "decision is reject".
func conditionText(fe validator.FieldError, root reflect.Type) string {
	params := strings.Fields(fe.Param())
	parent := parentStruct(root, fe.StructNamespace())
	var conds []string
	for i := 0; i+1 < len(params); i += 2 {
		conds = append(conds, fmt.Sprintf("%s is %s", jsonName(parent, params[i]), params[i+1]))
	}
	return strings.Join(conds, " and ")
}

// parentStruct finds the struct that holds the field a namespace
// ("ApprovalBody.Comment") ends in, starting from the body's type.
func parentStruct(root reflect.Type, namespace string) reflect.Type {
	t := elem(root)
	parts := strings.Split(namespace, ".")
	for _, p := range parts[1 : len(parts)-1] {
		p, _, _ = strings.Cut(p, "[")
		f, ok := t.FieldByName(p)
		if !ok {
			return t
		}
		t = elem(f.Type)
	}
	return t
}

func elem(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	return t
}

func jsonName(t reflect.Type, goName string) string {
	f, ok := t.FieldByName(goName)
	if !ok {
		return goName
	}
	if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
		return name
	}
	return goName
}

// fieldPath turns a validator namespace ("registerRequest.Register.channel")
// into the field's JSON path ("channel"): it drops the body's type and the
// Go names of embedded structs (JSON names here are all lower case).
func fieldPath(namespace string) string {
	parts := strings.Split(namespace, ".")[1:]
	kept := parts[:0]
	for _, p := range parts {
		if p != "" && !unicode.IsUpper(rune(p[0])) {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, ".")
}

// UnwordedRules lists the validate tags of body's type (and the structs it
// holds) that BodyProblems cannot word or that name no enum list, for tests
// to refuse: every rule a body has must have a message a person understands.
func UnwordedRules(body any) []string {
	var bad []string
	walkRules(reflect.TypeOf(body), "", func(path, tag, param string) {
		switch {
		case slices.Contains(ruleModifiers, tag):
		case !slices.Contains(wordedRules, tag):
			bad = append(bad, path+": "+tag)
		case tag == "enum" && enums[param] == nil:
			bad = append(bad, path+": enum="+param+" names no list")
		}
	})
	return bad
}

// walkRules calls fn for every rule of every validate tag reachable from t.
func walkRules(t reflect.Type, path string, fn func(path, tag, param string)) {
	t = elem(t)
	if t.Kind() != reflect.Struct {
		return
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := joinPath(path, f.Name)
		for rule := range strings.SplitSeq(f.Tag.Get("validate"), ",") {
			if rule == "" {
				continue
			}
			tag, param, _ := strings.Cut(rule, "=")
			fn(name, tag, param)
		}
		walkRules(f.Type, name, fn)
	}
}

// StageConflict details a WrongStage refusal: where the case stands and
// which steps it takes now.
type StageConflict struct {
	Stage        Stage    `json:"stage"`
	AllowedSteps []string `json:"allowed_steps"`
}

// FieldProblems details an InvalidStep refusal that a body field is to blame
// for, keyed by JSON field name like the API's error fields.
type FieldProblems struct {
	Fields map[string]string `json:"fields"`
}
