package explain

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// VetAnalyzers are the analyzers of go vet that know concurrency mistakes: `go test`
// runs only a few of them, and `workbook run` runs these on the learner's package.
var VetAnalyzers = []string{"copylocks", "lostcancel", "waitgroup", "defers", "atomic", "testinggoroutine"}

// VetArgs are the arguments of the go command that runs VetAnalyzers on pkg, with
// output as JSON (its exit status is 0 whatever it finds).
func VetArgs(pkg string) []string {
	args := []string{"vet", "-json"}
	for _, a := range VetAnalyzers {
		args = append(args, "-"+a)
	}
	return append(args, pkg)
}

// VetReport reads the JSON output of go vet (VetArgs) and returns a report of what it
// found in the exercise's own files, if anything: it comes before every test's report,
// because it names the mistake and the line before any test had to catch it.
func VetReport(e *manifest.Exercise, vetJSON string) (Report, bool) {
	type finding struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	}
	var lines []string
	var first string
	rest := vetJSON
	for {
		// One JSON object a package: package → analyzer → findings, between lines that
		// are not JSON (# headers).
		i := strings.Index(rest, "\n{")
		if strings.HasPrefix(rest, "{") {
			i = -1
		} else if i < 0 {
			break
		}
		rest = rest[i+1:]
		dec := json.NewDecoder(strings.NewReader(rest))
		var pkgs map[string]map[string]json.RawMessage
		if dec.Decode(&pkgs) != nil {
			break
		}
		rest = rest[dec.InputOffset():]
		for _, analyzers := range pkgs {
			for _, name := range VetAnalyzers {
				var fs []finding
				if json.Unmarshal(analyzers[name], &fs) != nil {
					continue
				}
				for _, f := range fs {
					loc, ok := exerciseLoc(e, f.Posn)
					if !ok {
						continue
					}
					line := fmt.Sprintf(vetLineText, loc, f.Message, vetTexts[name])
					if !slices.Contains(lines, line) {
						lines = append(lines, line)
						if first == "" {
							first = fmt.Sprintf("%s: %s", loc, f.Message)
						}
					}
				}
			}
		}
	}
	if len(lines) == 0 {
		return Report{}, false
	}
	ki := info(Vet)
	return Report{Kind: Vet, Title: ki.Title, Message: strings.Join(lines, "\n"), Headline: first,
		Text: ki.Text, Read: guideRef(e, ki.Section), Hint: 1}, true
}

// exerciseLoc returns posn (file:line:col) as exercises/NN/file.go:line when it lies in
// one of the exercise's files.
func exerciseLoc(e *manifest.Exercise, posn string) (string, bool) {
	file, rest, _ := strings.Cut(filepath.ToSlash(posn), ".go:")
	file += ".go"
	line, _, _ := strings.Cut(rest, ":")
	rel := relTree(file)
	for _, f := range e.Files {
		if rel != "" && strings.HasSuffix(rel, "/"+e.Chapter.ID+"/"+f) {
			return rel + ":" + line, true
		}
	}
	return "", false
}
