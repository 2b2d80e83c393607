package webtest

import "testing"

// Step is one named part of a journey through the app: a subtest that
// builds on what the steps before it did.
type Step struct {
	Name string
	Run  func(t *testing.T)
}

// RunSteps runs the steps in order, each as a subtest. A step that stops
// (t.Fatal, t.FailNow) ends the journey, since the steps after it build on
// what it did; a step that only reports errors (t.Error) lets it go on.
func RunSteps(t *testing.T, steps []Step) {
	t.Helper()
	for _, s := range steps {
		finished := false
		t.Run(s.Name, func(t *testing.T) {
			s.Run(t)
			finished = true
		})
		if !finished {
			t.Fatalf("step %q stopped; the steps after it build on it", s.Name)
		}
	}
}
