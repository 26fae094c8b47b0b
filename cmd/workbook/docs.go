package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// guideSections are the chapter guide's sections, in order (CONTRIBUTING.md).
var guideSections = []string{
	"## What you build", "## Run it", "## Coming from Python",
	"## What the tests cannot see", "## Benchmarks", "## Hints",
}

const (
	tableBegin = "<!-- chapters:begin: generated from workbook.json by `go run ./cmd/workbook readme -w` -->"
	tableEnd   = "<!-- chapters:end -->"
)

// chapterTable renders the README's chapter table from the manifest.
func chapterTable(m *manifest.Manifest) string {
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

// spliceTable returns readme with the text between the table markers replaced.
func spliceTable(readme, table string) (string, bool) {
	i := strings.Index(readme, tableBegin)
	j := strings.Index(readme, tableEnd)
	if i < 0 || j < i {
		return readme, false
	}
	return readme[:i+len(tableBegin)] + "\n" + table + readme[j:], true
}

func cmdReadme(root string, args []string) int {
	m, err := manifest.Load(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "workbook readme:", err)
		return 1
	}
	path := filepath.Join(root, "README.md")
	b, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "workbook readme:", err)
		return 1
	}
	updated, ok := spliceTable(string(b), chapterTable(m))
	if !ok {
		fmt.Fprintf(os.Stderr, "workbook readme: README.md has no %s … %s markers\n", tableBegin, tableEnd)
		return 1
	}
	if len(args) > 0 && args[0] == "-w" {
		if updated != string(b) {
			if err := os.WriteFile(path, []byte(updated), 0o644); err != nil {
				fmt.Fprintln(os.Stderr, "workbook readme:", err)
				return 1
			}
		}
		return 0
	}
	fmt.Print(chapterTable(m))
	return 0
}

var (
	runFlag   = regexp.MustCompile(`-run[= ]'([^']*)'`)
	pkgInLine = regexp.MustCompile(`\./(exercises|solutions)/([0-9a-z_]+)`)
)

func (c *checker) docs(ctx context.Context) {
	readme, err := os.ReadFile(filepath.Join(c.root, "README.md"))
	want, spliced := spliceTable(string(readme), chapterTable(c.m))
	c.check("README.md's chapter table is the manifest's", err == nil && spliced && want == string(readme),
		"    run `go run ./cmd/workbook readme -w` to regenerate it")
	c.check("README.md starts with the workbook's two commands",
		err == nil && strings.Contains(firstLines(string(readme), 30), "go run ./cmd/workbook") &&
			strings.Contains(firstLines(string(readme), 30), "make check"), "")
	for _, ch := range c.m.Chapters {
		path := filepath.Join(c.root, "exercises", ch.ID, "README.md")
		b, err := os.ReadFile(path)
		if err != nil {
			c.check(ch.ID+": has a guide", false, "    "+err.Error())
			continue
		}
		guide := string(b)
		var problems []string
		if !strings.HasPrefix(guide, "# "+ch.ID[:2]) {
			problems = append(problems, "the first line is not `# "+ch.ID[:2]+" · title`")
		}
		at := 0
		for _, s := range guideSections {
			i := strings.Index(guide[at:], "\n"+s+"\n")
			if i < 0 {
				problems = append(problems, "no "+s+" section after the previous one")
				continue
			}
			at += i + 1
		}
		hints := guide[max(strings.Index(guide, "\n## Hints\n"), 0):]
		for _, e := range ch.Exercises {
			sec := strings.Index(hints, "\n### "+e.Name+"\n")
			if sec < 0 {
				problems = append(problems, "no ### "+e.Name+" under ## Hints")
				continue
			}
			body := hints[sec+1:]
			if next := strings.Index(body[1:], "\n### "); next >= 0 {
				body = body[:next+1]
			}
			for i, h := range e.Hints {
				if !strings.Contains(body, fmt.Sprintf("%d. %s", i+1, h)) {
					problems = append(problems, fmt.Sprintf("hint %d of %s is not under ### %s word for word", i+1, e.ID(), e.Name))
				}
			}
		}
		problems = append(problems, c.guideCommands(ch, guide)...)
		c.check(ch.ID+": guide has its sections, the manifest's hints, and commands that name real tests",
			len(problems) == 0, "    "+strings.Join(problems, "\n    "))
	}
	c.benchTargets(ctx)
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
			if _, err := os.Stat(filepath.Join(c.root, p[1], p[2])); err != nil {
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

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}
