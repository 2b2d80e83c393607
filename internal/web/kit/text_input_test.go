package kit

import "testing"

// TestBadJSONFieldNamesThePath checks the JSON scanner on its own: the
// path it names, what it lets through, and that malformed JSON is left to
// the binder.
func TestBadJSONFieldNamesThePath(t *testing.T) {
	cases := []struct{ body, want string }{
		{`{"name":"Na Chi Lăng","note":"dòng 1\ndòng 2\tcột"}`, ""},
		{`{"name":"\u00e0 \ud83c\udf4a"}`, ""},
		{`{"name":"a\u0000b"}`, "name"},
		{`{"name":"a\bb"}`, "name"},
		{`{"name":"a\fb"}`, "name"},
		{`{"name":"a\u007fb"}`, "name"}, // DEL: nobody types it
		{"{\"name\":\"a\xffb\"}", "name"},
		{"{\"na\xffme\":\"x\"}", "na\uFFFDme"}, // the name as decoded; printableName cleans it for display
		{`{"a\u0000":"x"}`, "a\x00"},
		{`{"variants":[{"name":"ok"},{"name":"x\u0001"}]}`, "variants[1].name"},
		{`{"a":{"b":[1,true,null,{"c":"\u0000"}]}}`, "a.b[3].c"},
		{`{"a":[[],["ok","\u0002"]]}`, "a[1][1]"},
		{`["ok","\u0000"]`, "[1]"},
		{`"\u0000"`, "body"},
		{`{"a":"x"} {"b":"\u0000"}`, "b"}, // trailing data is the binder's 400; the NUL is found first anyway
		{`{"a":"\u0000`, ""},              // unterminated: the binder answers "not valid JSON"
		{`{"a": nope, "b":"\u0000"}`, ""}, // malformed before it: the binder says so
	}
	for _, tc := range cases {
		if got := badJSONField([]byte(tc.body)); got != tc.want {
			t.Errorf("badJSONField(%q) = %q, want %q", tc.body, got, tc.want)
		}
	}
}

func TestPrintableNameIsSafeToShow(t *testing.T) {
	for in, want := range map[string]string{"name": "name", "a\x00b": "a?b", "a\xffb": "a?b", "": "body"} {
		if got := printableName(in); got != want {
			t.Errorf("printableName(%q) = %q, want %q", in, got, want)
		}
	}
}
