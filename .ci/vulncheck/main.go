// Command vulncheck reads `govulncheck -format json` on stdin, prints one
// line per vulnerability found, and fails when the code reaches one that has
// a fixed version: that one is to be fixed by moving to that version.
// Reachable findings without a fix, and findings in code that is imported
// but never called, are listed and do not fail. It lives under .ci, which
// `go ... ./...` does not see.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// message is one object of govulncheck's JSON stream; only findings matter here.
type message struct {
	Config  *struct{ ScannerVersion string } `json:"config"`
	OSV     *struct{ ID, Summary string }    `json:"osv"`
	Finding *finding                         `json:"finding"`
}

type finding struct {
	OSV          string  `json:"osv"`
	FixedVersion string  `json:"fixed_version"`
	Trace        []frame `json:"trace"`
}

type frame struct {
	Module   string `json:"module"`
	Version  string `json:"version"`
	Package  string `json:"package"`
	Function string `json:"function"`
}

// level is how close the code gets: 3 calls a vulnerable function, 2
// imports the package, 1 requires the module.
func (f finding) level() int {
	if len(f.Trace) == 0 {
		return 0
	}
	switch t := f.Trace[0]; {
	case t.Function != "":
		return 3
	case t.Package != "":
		return 2
	}
	return 1
}

type vuln struct {
	id, module, version, fixed string
	level                      int
}

func main() {
	failed, err := check(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "vulncheck:", err)
		os.Exit(2)
	}
	if failed {
		os.Exit(1)
	}
}

func check(in io.Reader, out io.Writer) (failed bool, err error) {
	vulns := map[string]*vuln{}
	summaries := map[string]string{}
	scanned := false
	dec := json.NewDecoder(in)
	for {
		var m message
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return false, fmt.Errorf("reading govulncheck's JSON: %w", err)
		}
		if m.Config != nil {
			scanned = true
		}
		if m.OSV != nil {
			summaries[m.OSV.ID] = m.OSV.Summary
		}
		f := m.Finding
		if f == nil || len(f.Trace) == 0 {
			continue
		}
		v, ok := vulns[f.OSV]
		if !ok {
			v = &vuln{id: f.OSV, module: f.Trace[0].Module, version: f.Trace[0].Version}
			vulns[f.OSV] = v
		}
		v.level = max(v.level, f.level())
		if f.FixedVersion != "" {
			v.fixed = f.FixedVersion
		}
	}
	if !scanned {
		return false, errors.New("no govulncheck output (its config message is missing)")
	}
	ids := make([]string, 0, len(vulns))
	for id := range vulns {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	where := map[int]string{3: "CALLED", 2: "imported, not called", 1: "required, not imported"}
	for _, id := range ids {
		v := vulns[id]
		fix := "no fix"
		if v.fixed != "" {
			fix = "fixed in " + v.fixed
		}
		verdict := ""
		if v.level == 3 && v.fixed != "" {
			verdict = "  <- FAIL: move " + v.module + " to " + v.fixed
			failed = true
		}
		fmt.Fprintf(out, "%s %s@%s: %s, %s: %s%s\n", v.id, v.module, v.version, where[v.level], fix,
			strings.TrimSpace(summaries[v.id]), verdict)
	}
	if len(ids) == 0 {
		fmt.Fprintln(out, "no vulnerabilities found")
	}
	return failed, nil
}
