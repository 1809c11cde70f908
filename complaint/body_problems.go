package complaint

import (
	"errors"
	"reflect"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
)

// bodyValidator checks the binding tags as the API does, naming fields by
// their JSON names.
var bodyValidator = sync.OnceValue(func() *validator.Validate {
	v := validator.New()
	v.SetTagName("binding")
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	return v
})

// BodyProblems checks a step body's binding tags and text rules, so the workflow refuses
// what the API would, whoever sends the update. It returns problems keyed by
// JSON field name, nil when the body is valid. It is deterministic.
func BodyProblems(body any) map[string]string {
	problems := TextProblems(body)
	err := bodyValidator().Struct(body)
	if err == nil {
		return problems
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return map[string]string{"body": err.Error()}
	}
	if problems == nil {
		problems = make(map[string]string, len(verrs))
	}
	for _, fe := range verrs {
		if _, ok := problems[fe.Field()]; !ok {
			problems[fe.Field()] = problemText(fe)
		}
	}
	return problems
}

func problemText(fe validator.FieldError) string {
	unit := ""
	switch fe.Kind() {
	case reflect.String:
		unit = " characters"
	case reflect.Slice:
		unit = " items"
	}
	switch fe.Tag() {
	case "required", "required_if", "required_unless":
		if fe.Kind() == reflect.Bool {
			return "must be true"
		}
		return "is required"
	case "oneof":
		return "must be one of " + strings.ReplaceAll(fe.Param(), " ", ", ")
	case "min":
		return "must be at least " + fe.Param() + unit
	case "max":
		return "must be at most " + fe.Param() + unit
	case "datetime":
		return "must be a date YYYY-MM-DD"
	case "unique":
		return "must not repeat a value"
	}
	return "is invalid"
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
