package check

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/go-concurrency-workbook/workbook/internal/layout"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// GuideSections are the chapter guide's sections, in order (CONTRIBUTING.md).
var GuideSections = []string{
	"## What you build", "## Run it", "## Coming from Python",
	"## What the tests cannot see", "## Benchmarks", "## Hints",
}

// Markers of the generated parts of README.md.
const (
	tableBegin    = "<!-- chapters:begin: generated from workbook.json by `go run ./cmd/workbook dev readme -w` -->"
	tableEnd      = "<!-- chapters:end -->"
	commandsBegin = "<!-- commands:begin: generated from the tool's command table by `go run ./cmd/workbook dev readme -w` -->"
	commandsEnd   = "<!-- commands:end -->"
)

// ChapterTable renders the README's chapter table from the manifest.
func ChapterTable(m *manifest.Manifest) string {
	var b strings.Builder
	b.WriteString("| # | chapter | Python it replaces | exercises |\n| --- | --- | --- | --- |\n")
	for _, ch := range m.Chapters {
		var names []string
		for _, e := range ch.Exercises {
			names = append(names, fmt.Sprintf("`%s` (%s)", e.Name, e.Kind))
		}
		fmt.Fprintf(&b, "| %s | [%s](exercises/%s/README.md) | %s | %s |\n",
			ch.ID[:2], ch.Title, ch.ID, ch.Python, strings.Join(names, ", "))
	}
	return b.String()
}

// ptKinds are the exercise kinds as the Portuguese chapter table says them.
var ptKinds = map[string]string{"fix": "corrigir", "implement": "implementar", "tests": "testes"}

// ChapterTablePt renders README.pt-BR.md's chapter table from the manifest and its
// translation (titles, the Python column), linking the Portuguese guides.
func ChapterTablePt(m *manifest.Manifest, tr *manifest.Translation) string {
	var b strings.Builder
	b.WriteString("| # | capítulo | o Python que ele substitui | exercícios |\n| --- | --- | --- | --- |\n")
	for _, ch := range m.Chapters {
		title, python := ch.Title, ch.Python
		if tc := tr.Chapter(ch.ID); tc != nil {
			title, python = cmpOrString(tc.Title, title), cmpOrString(tc.Python, python)
		}
		var names []string
		for _, e := range ch.Exercises {
			names = append(names, fmt.Sprintf("`%s` (%s)", e.Name, cmpOrString(ptKinds[e.Kind], e.Kind)))
		}
		fmt.Fprintf(&b, "| %s | [%s](exercises/%s/%s) | %s | %s |\n",
			ch.ID[:2], title, ch.ID, TranslatedGuide, python, strings.Join(names, ", "))
	}
	return b.String()
}

func cmpOrString(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// ReadmePt returns README.pt-BR.md with its chapter table made current, and whether it
// has the table's markers. Its command table is translated by hand.
func ReadmePt(readme string, m *manifest.Manifest, tr *manifest.Translation) (string, bool) {
	return splice(readme, tableBegin, tableEnd, ChapterTablePt(m, tr))
}

// splice returns text with what lies between the markers replaced by inner.
func splice(text, begin, end, inner string) (string, bool) {
	i := strings.Index(text, begin)
	j := strings.Index(text, end)
	if i < 0 || j < i {
		return text, false
	}
	return text[:i+len(begin)] + "\n" + inner + text[j:], true
}

// Readme returns README.md with its generated parts (the chapter table, the command
// table) made current, and whether it has the markers of both.
func Readme(readme string, m *manifest.Manifest, commands string) (string, bool) {
	out, ok1 := splice(readme, tableBegin, tableEnd, ChapterTable(m))
	out, ok2 := splice(out, commandsBegin, commandsEnd, commands)
	return out, ok1 && ok2
}

var (
	runFlag   = regexp.MustCompile(`-run[= ]'([^']*)'`)
	pkgInLine = regexp.MustCompile(`\./(exercises|solutions)/([0-9a-z_]+)`)
)

func (c *checker) docs(ctx context.Context) {
	readme, err := os.ReadFile(filepath.Join(c.Root, "README.md"))
	want, spliced := Readme(string(readme), c.m, c.Commands)
	c.record("README.md's chapter and command tables are the manifest's and the tool's",
		err == nil && spliced && want == string(readme),
		"    run `go run ./cmd/workbook dev readme -w` to regenerate them")
	if tr, err := manifest.LoadTranslation(c.Root, Lang); err == nil {
		pt, err := os.ReadFile(filepath.Join(c.Root, TranslatedGuide))
		want, spliced := ReadmePt(string(pt), c.m, tr)
		c.record(TranslatedGuide+"'s chapter table is the translated manifest's",
			err == nil && spliced && want == string(pt), "    run `go run ./cmd/workbook dev readme -w` to regenerate it")
	}
	head := head(string(readme), 30)
	c.record("README.md starts with the workbook's two commands",
		err == nil && strings.Contains(head, "go run ./cmd/workbook") && strings.Contains(head, "make check"), "")
	for _, ch := range c.m.Chapters {
		b, err := os.ReadFile(filepath.Join(c.Root, layout.Exercises, ch.ID, "README.md"))
		if err != nil {
			c.record(ch.ID+": has a guide", false, "    "+err.Error())
			continue
		}
		problems := GuideProblems(ch, string(b))
		for _, tree := range []string{layout.Exercises, layout.Solutions} {
			main, _ := os.ReadFile(filepath.Join(c.Root, tree, ch.ID, "main_test.go"))
			if !strings.Contains(string(main), "guard.Main(m)") {
				problems = append(problems, tree+"/"+ch.ID+"/main_test.go: TestMain does not call guard.Main(m), so course-mode grading gets no report")
			}
			if loc := testFuncIn.FindIndex(main); loc != nil {
				problems = append(problems, tree+"/"+ch.ID+"/main_test.go holds a test ("+strings.TrimSpace(string(main[loc[0]:loc[1]]))+
					"...): it holds TestMain and shared helpers; a test goes in its exercise's _test.go")
			}
		}
		problems = append(problems, c.guideCommands(ch, string(b))...)
		problems = append(problems, skipProblems(filepath.Join(c.Root, layout.Exercises, ch.ID))...)
		c.record(ch.ID+": guide has its sections, the manifest's hints, and commands that name real tests",
			len(problems) == 0, "    "+strings.Join(problems, "\n    "))
		if c.TargetProblems != nil && len(ch.Targets) > 0 {
			problems := c.TargetProblems(c.Root, ch)
			c.record(ch.ID+": every benchmark target of the manifest names benchmarks of bench_test.go",
				len(problems) == 0, "    "+strings.Join(problems, "\n    "))
		}
	}
}

// GuideProblems checks a chapter guide: its title line, its sections in order, and each
// exercise's hints word for word under ### name in ## Hints.
func GuideProblems(ch *manifest.Chapter, guide string) []string {
	var problems []string
	if !strings.HasPrefix(guide, "# "+ch.ID[:2]) {
		problems = append(problems, "the first line is not `# "+ch.ID[:2]+" · title`")
	}
	at := 0
	for _, s := range GuideSections {
		i := strings.Index(guide[at:], "\n"+s+"\n")
		if i < 0 {
			problems = append(problems, "no "+s+" section after the previous one")
			continue
		}
		at += i + 1
	}
	for _, e := range ch.Exercises {
		for _, i := range missingHints(guide, "## Hints", e.Name, e.Hints) {
			if i == 0 {
				problems = append(problems, "no ### "+e.Name+" under ## Hints")
				break
			}
			problems = append(problems, fmt.Sprintf("hint %d of %s is not under ### %s word for word", i, e.ID(), e.Name))
		}
	}
	return problems
}

// guideCommands checks the `go test` commands of a guide: the package exists and each
// -run pattern compiles and selects at least one test of the chapter.
func (c *checker) guideCommands(ch *manifest.Chapter, guide string) []string {
	var problems []string
	var tests []string
	for _, e := range ch.Exercises {
		tests = append(tests, e.Tests...)
	}
	for _, line := range strings.Split(guide, "\n") {
		if !strings.Contains(line, "go test") {
			continue
		}
		for _, p := range pkgInLine.FindAllStringSubmatch(line, -1) {
			if _, err := os.Stat(filepath.Join(c.Root, p[1], p[2])); err != nil {
				problems = append(problems, "a command names ./"+p[1]+"/"+p[2]+", which does not exist")
			}
		}
		for _, r := range runFlag.FindAllStringSubmatch(line, -1) {
			re, err := regexp.Compile(r[1])
			if err != nil {
				problems = append(problems, fmt.Sprintf("-run '%s' does not compile: %v", r[1], err))
				continue
			}
			if r[1] == "^$" {
				continue
			}
			matched := false
			for _, t := range tests {
				matched = matched || re.MatchString(t)
			}
			if !matched {
				problems = append(problems, fmt.Sprintf("-run '%s' selects no test of %s", r[1], ch.ID))
			}
		}
	}
	return problems
}

// head returns the first n lines of s.
func head(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

// testFuncIn finds a test function (not TestMain) in a file.
var testFuncIn = regexp.MustCompile(`(?m)^func (Test[A-Z0-9_]\w*|Test)\(t \*testing\.T\)`)

// skipCall is a test skipping itself (a benchmark may skip: it grades nothing).
var skipCall = regexp.MustCompile(`\bt\.(Skip|Skipf|SkipNow)\(`)

// skipProblems finds chapter tests that skip: a skipped test is not a pass, so a learner
// on that system could never finish the exercise. What a system cannot observe is left
// out per assertion instead, with a "not checked on GOOS: ..." log line.
func skipProblems(dir string) []string {
	var problems []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			continue
		}
		for i, l := range strings.Split(string(b), "\n") {
			if skipCall.MatchString(l) && !strings.HasPrefix(strings.TrimSpace(l), "//") {
				problems = append(problems, fmt.Sprintf("%s:%d skips a test: leave out what this system cannot observe "+
					"per assertion, with a \"not checked on GOOS: ...\" log line", e.Name(), i+1))
			}
		}
	}
	return problems
}

// missingHints returns the 1-based numbers of the hints that are not, word for word and
// numbered, under `### name` of the guide's section; [0] when there is no such heading.
func missingHints(guide, section, name string, hints []string) []int {
	under := guide[max(strings.Index(guide, "\n"+section+"\n"), 0):]
	sec := strings.Index(under, "\n### "+name+"\n")
	if sec < 0 {
		return []int{0}
	}
	body := under[sec+1:]
	if next := strings.Index(body[1:], "\n### "); next >= 0 {
		body = body[:next+1]
	}
	var missing []int
	for i, h := range hints {
		if !strings.Contains(body, fmt.Sprintf("%d. %s", i+1, h)) {
			missing = append(missing, i+1)
		}
	}
	return missing
}
