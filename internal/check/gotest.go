package check

import (
	"encoding/json"
	"strings"

	"github.com/go-concurrency-workbook/workbook/internal/runner"
)

// goTestEvent is one line of the output of `go test -json`, as far as the checks read it.
type goTestEvent struct {
	Action  string `json:"Action"`
	Package string `json:"Package"`
	Test    string `json:"Test"`
	Output  string `json:"Output"`
}

// packages decodes the output of `go test -json` into each package's verdict: pass,
// fail, or skip (no test files). A package that reported nothing is missing.
func packages(out string) map[string]runner.TestStatus {
	pkgs := map[string]runner.TestStatus{}
	for _, line := range strings.Split(out, "\n") {
		var ev goTestEvent
		if json.Unmarshal([]byte(line), &ev) != nil || ev.Package == "" || ev.Test != "" {
			continue
		}
		switch ev.Action {
		case "pass", "fail", "skip":
			pkgs[ev.Package] = runner.TestStatus(ev.Action)
		case "build-fail":
			pkgs[ev.Package] = runner.TestFail
		}
	}
	return pkgs
}

// packageOutput returns what one package printed, from the output of `go test -json`.
func packageOutput(out, pkg string) string {
	var b strings.Builder
	for _, line := range strings.Split(out, "\n") {
		var ev goTestEvent
		if json.Unmarshal([]byte(line), &ev) == nil && ev.Package == pkg && ev.Action == "output" {
			b.WriteString(ev.Output)
		}
	}
	return b.String()
}
