package kit

import (
	"reflect"
	"time"
)

// Sizer is a cached value that knows its own size in bytes, which SizeOf
// then takes instead of walking the value.
type Sizer interface {
	CacheSize() int64
}

// SizeOf estimates the memory a value holds: its own size plus what its
// strings, slices, maps and pointers reach. Shared pointees are counted
// once per reference, so the estimate errs on the large side, which is the
// safe side for a bound. Strings and byte slices, the common cached values,
// cost no reflection.
func SizeOf(v any) int64 {
	switch x := v.(type) {
	case nil:
		return 0
	case string:
		return 16 + int64(len(x))
	case []byte:
		return 24 + int64(cap(x))
	case Sizer:
		return x.CacheSize()
	}
	rv := reflect.ValueOf(v)
	return int64(rv.Type().Size()) + reached(rv, 0)
}

// maxDepth stops the walk of a value with cycles; nothing cached is that deep.
const maxDepth = 32

var timeType = reflect.TypeFor[time.Time]()

// reached is what v points to, beyond v's own inline size.
func reached(v reflect.Value, depth int) int64 {
	if depth > maxDepth {
		return 0
	}
	switch v.Kind() {
	case reflect.String:
		return int64(v.Len())
	case reflect.Slice:
		if v.IsNil() {
			return 0
		}
		n := int64(v.Cap()) * int64(v.Type().Elem().Size())
		for i := range v.Len() {
			n += reached(v.Index(i), depth+1)
		}
		return n
	case reflect.Array:
		var n int64
		for i := range v.Len() {
			n += reached(v.Index(i), depth+1)
		}
		return n
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return 0
		}
		e := v.Elem()
		return int64(e.Type().Size()) + reached(e, depth+1)
	case reflect.Struct:
		if v.Type() == timeType { // its *Location is shared by every time
			return 0
		}
		var n int64
		for i := range v.NumField() {
			n += reached(v.Field(i), depth+1)
		}
		return n
	case reflect.Map:
		t := v.Type()
		// Go maps take about twice their entries' size in slots.
		n := 2 * int64(v.Len()) * int64(t.Key().Size()+t.Elem().Size())
		it := v.MapRange()
		for it.Next() {
			n += reached(it.Key(), depth+1) + reached(it.Value(), depth+1)
		}
		return n
	}
	return 0
}
