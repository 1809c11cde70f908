package complaint

import (
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text rules for every string a client sends, in bodies, paths and queries:
// no control characters (PostgreSQL refuses NUL outright, and the others
// only hide text from the people reading it) and valid UTF-8. Free text
// (notes, descriptions) may hold tabs and line breaks; ids, names, numbers
// and enums may not. A struct field opts into free text with the tag
// `text:"multiline"`.

// TextProblem says what is wrong with s, or "" when it is acceptable.
// multiline allows \t, \n and \r.
func TextProblem(s string, multiline bool) string {
	// encoding/json turns invalid UTF-8 and lone surrogates into U+FFFD, so
	// that rune is how broken encoding reaches a decoded body.
	if !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) {
		return "must be valid UTF-8 text"
	}
	for _, r := range s {
		if !unicode.IsControl(r) {
			continue
		}
		if multiline && (r == '\t' || r == '\n' || r == '\r') {
			continue
		}
		if multiline {
			return "must not contain control characters other than tab and line breaks"
		}
		return "must not contain control characters"
	}
	return ""
}

// TextProblems checks every string reachable from v (structs, pointers,
// slices, maps) by TextProblem and returns problems keyed by JSON path
// ("evidence[1]", "calendar.time_zone"), nil when all are acceptable.
func TextProblems(v any) map[string]string {
	var problems map[string]string
	walkStrings(reflect.ValueOf(v), "", false, func(path string, s reflect.Value, multiline bool) {
		if p := TextProblem(s.String(), multiline); p != "" {
			if problems == nil {
				problems = map[string]string{}
			}
			problems[path] = p
		}
	})
	return problems
}

// BlankToEmpty empties every settable string of v that holds only white
// space, so that "required" refuses a blank field as it does a missing one.
// v must be a pointer.
func BlankToEmpty(v any) {
	walkStrings(reflect.ValueOf(v), "", false, func(_ string, s reflect.Value, _ bool) {
		if s.Len() > 0 && strings.TrimSpace(s.String()) == "" && s.CanSet() {
			s.SetString("")
		}
	})
}

func walkStrings(v reflect.Value, path string, multiline bool, fn func(string, reflect.Value, bool)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), path, multiline, fn)
		}
	case reflect.String:
		fn(path, v, multiline)
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkStrings(v.Index(i), path+"["+strconv.Itoa(i)+"]", multiline, fn)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			key := iter.Key()
			if key.Kind() == reflect.String {
				// Keys are read-only copies: checked, never blanked.
				fn(path, key, false)
			}
			walkStrings(iter.Value(), path+"["+key.String()+"]", multiline, fn)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			child := path
			if !f.Anonymous || name != "" {
				if name == "" {
					name = f.Name
				}
				child = joinPath(path, name)
			}
			walkStrings(v.Field(i), child, f.Tag.Get("text") == "multiline", fn)
		}
	}
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
