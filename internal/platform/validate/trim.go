package validate

import (
	"reflect"
	"strings"
)

// Trim removes leading and trailing white space (Unicode's, so a no-break
// space too) from every string the struct s points to holds: fields,
// nested structs, slices and pointers. Struct.Struct calls it first, so
// "required" and "max" judge what will be stored: a name of spaces is
// empty, and refused. A field tagged trim:"-" is kept as typed (a password
// may begin or end with a space).
func Trim(s any) {
	v := reflect.ValueOf(s)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return // a value cannot be changed; the caller validates it as it is
	}
	trimValue(v.Elem())
}

func trimValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			v.SetString(strings.TrimSpace(v.String()))
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			trimValue(v.Elem())
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			trimValue(v.Index(i))
		}
	case reflect.Struct:
		t := v.Type()
		for i := range v.NumField() {
			f := t.Field(i)
			if !f.IsExported() || f.Tag.Get("trim") == "-" {
				continue
			}
			trimValue(v.Field(i))
		}
	}
}
