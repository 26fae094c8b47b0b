package check

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/go-concurrency-workbook/workbook/internal/explain"
	"github.com/go-concurrency-workbook/workbook/internal/i18n"
	"github.com/go-concurrency-workbook/workbook/internal/layout"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/mutation"
	"github.com/go-concurrency-workbook/workbook/internal/sums"
)

// The workbook's second language. Its guides are README.pt-BR.md beside each README.md,
// its manifest text workbook.pt-BR.json; TranslationSums records what English each was
// last brought in step with.
const (
	Lang            = "pt-BR"
	TranslatedGuide = "README." + Lang + ".md"
	TranslationSums = "testdata/workbook/translations.sum"
	TranslationsFix = "go run ./cmd/workbook dev translations -w"
)

// Each guide's third line links to the other language.
const (
	enLangLine = "*English · [Português](README.pt-BR.md)*"
	ptLangLine = "*[English](README.md) · Português*"
)

// ptSections are the standard sections of a chapter guide in Portuguese, in the order
// of GuideSections.
var ptSections = map[string]string{
	"## What you build":            "## O que você vai construir",
	"## Run it":                    "## Como rodar",
	"## Coming from Python":        "## Vindo do Python",
	"## What the tests cannot see": "## O que os testes não veem",
	"## Benchmarks":                "## Benchmarks",
	"## Hints":                     "## Dicas",
}

// mdParts are the parts of a Markdown text the parity rules compare.
type mdParts struct {
	headings []string // "## Title" lines, outside code
	code     []string // fenced code blocks, whole
	links    []string // link targets, without #anchors, README.pt-BR.md read as README.md
	figures  []string // the numbers of the prose, normalised to 1234.5
	lines    []string
}

var (
	mdLink     = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	inlineCode = regexp.MustCompile("`[^`]*`")
	mdNumber   = regexp.MustCompile(`\d+(?:[.,]\d+)*`)
	htmlNote   = regexp.MustCompile(`<!--.*?-->`)
)

// parseMD splits a guide into the parts that must agree across languages; pt says how
// to read its numbers (1.000,5 in Portuguese, 1,000.5 in English).
func parseMD(text string, pt bool) mdParts {
	var p mdParts
	p.lines = strings.Split(text, "\n")
	var block []string
	inCode, inGenerated := false, false
	for _, l := range p.lines {
		// A generated block (the measured figures dev bench-charts writes) is copied byte
		// for byte into both languages, like a code block.
		switch {
		case strings.HasPrefix(l, "<!-- bench-figures"):
			inGenerated, block = true, []string{l}
			continue
		case inGenerated && strings.HasPrefix(l, "<!-- /bench-figures"):
			p.code = append(p.code, strings.Join(append(block, l), "\n"))
			inGenerated, block = false, nil
			continue
		case inGenerated:
			block = append(block, l)
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			block = append(block, l)
			if inCode {
				p.code = append(p.code, strings.Join(block, "\n"))
				block = nil
			}
			inCode = !inCode
			continue
		}
		if inCode {
			block = append(block, l)
			continue
		}
		if strings.HasPrefix(l, "#") {
			p.headings = append(p.headings, l)
		}
		for _, m := range mdLink.FindAllStringSubmatch(l, -1) {
			target, _, _ := strings.Cut(m[1], "#")
			target = strings.ReplaceAll(target, TranslatedGuide, "README.md")
			if target != "" {
				p.links = append(p.links, target)
			}
		}
		prose := htmlNote.ReplaceAllString(inlineCode.ReplaceAllString(mdLink.ReplaceAllString(l, "]"), ""), "")
		for _, n := range mdNumber.FindAllString(prose, -1) {
			p.figures = append(p.figures, normaliseNumber(n, pt))
		}
	}
	slices.Sort(p.figures)
	return p
}

var thousands = regexp.MustCompile(`^\d{1,3}(?:[.,]\d{3})+$`)

// normaliseNumber writes a number of the prose as 1234.5: English groups thousands with
// commas and Portuguese with dots, and Portuguese writes the decimal point as a comma.
// A number with several dots that are not groups of thousands (a version, 3.14.1) is
// the same in both.
func normaliseNumber(n string, pt bool) string {
	sep, dec := ",", "."
	if pt {
		sep, dec = ".", ","
	}
	if thousands.MatchString(n) && strings.Contains(n, sep) && !strings.Contains(n, dec) {
		return strings.ReplaceAll(n, sep, "")
	}
	if pt && strings.Count(n, ",") == 1 && !strings.Contains(n, ".") {
		return strings.Replace(n, ",", ".", 1)
	}
	return n
}

// ParityProblems compares a Portuguese guide with its English original: the same
// headings at the same levels in the same order (the standard ones translated as
// ptSections says, the ### ones of exercises unchanged), the same code blocks byte for
// byte, the same link targets in the same order, the same figures, and each links to the
// other on its third line.
func ParityProblems(en, pt string) []string {
	var problems []string
	e, p := parseMD(en, false), parseMD(pt, true)
	if len(e.lines) < 3 || e.lines[2] != enLangLine {
		problems = append(problems, "the English guide's third line is not "+enLangLine)
	}
	if len(p.lines) < 3 || p.lines[2] != ptLangLine {
		problems = append(problems, "the Portuguese guide's third line is not "+ptLangLine)
	}
	if len(e.headings) != len(p.headings) {
		problems = append(problems, fmt.Sprintf("%d headings, the English has %d", len(p.headings), len(e.headings)))
	}
	for i := range min(len(e.headings), len(p.headings)) {
		eh, ph := e.headings[i], p.headings[i]
		level := func(h string) string { return h[:strings.IndexFunc(h, func(r rune) bool { return r != '#' })] }
		switch want, std := ptSections[eh]; {
		case level(eh) != level(ph):
			problems = append(problems, fmt.Sprintf("heading %d is %q, at another level than %q", i+1, ph, eh))
		case std && ph != want:
			problems = append(problems, fmt.Sprintf("heading %d is %q, want %q (for %q)", i+1, ph, want, eh))
		case strings.HasPrefix(eh, "### ") && isIdent(eh[4:]) && ph != eh:
			problems = append(problems, fmt.Sprintf("heading %d is %q, want %q: an exercise's name is not translated", i+1, ph, eh))
		}
	}
	if len(e.code) != len(p.code) {
		problems = append(problems, fmt.Sprintf("%d code blocks, the English has %d", len(p.code), len(e.code)))
	}
	for i := range min(len(e.code), len(p.code)) {
		if e.code[i] != p.code[i] {
			problems = append(problems, fmt.Sprintf("code block %d differs from the English (code blocks are copied byte for byte):\n      %s",
				i+1, head(p.code[i], 3)))
		}
	}
	if !slices.Equal(e.links, p.links) {
		problems = append(problems, fmt.Sprintf("the links differ: English %v, Portuguese %v", e.links, p.links))
	}
	if missing, extra := multisetDiff(e.figures, p.figures); len(missing)+len(extra) > 0 {
		problems = append(problems, fmt.Sprintf("the figures differ: missing %v, not in the English %v", missing, extra))
	}
	return problems
}

var ident = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

func isIdent(s string) bool { return ident.MatchString(s) }

// multisetDiff returns what of want got lacks and what got has in excess, both sorted.
func multisetDiff(want, got []string) (missing, extra []string) {
	count := map[string]int{}
	for _, w := range want {
		count[w]++
	}
	for _, g := range got {
		count[g]--
	}
	for k, n := range count {
		for ; n > 0; n-- {
			missing = append(missing, k)
		}
		for ; n < 0; n++ {
			extra = append(extra, k)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	return missing, extra
}

// translatedHintProblems checks the ## Dicas section of a Portuguese guide against the
// translated manifest: each exercise's hints, word for word, numbered.
func translatedHintProblems(ch *manifest.Chapter, tr *manifest.Translation, guide string) []string {
	var problems []string
	tc := tr.Chapter(ch.ID)
	if tc == nil {
		return []string{ch.ID + " is not in " + manifest.TranslationFile(Lang)}
	}
	for _, e := range tc.Exercises {
		for _, k := range missingHints(guide, "## Dicas", e.Name, e.Hints) {
			if k == 0 {
				problems = append(problems, "no ### "+e.Name+" under ## Dicas")
				break
			}
			problems = append(problems, fmt.Sprintf("dica %d de %s/%s is not under ### %s word for word as in %s",
				k, ch.ID, e.Name, e.Name, manifest.TranslationFile(Lang)))
		}
	}
	return problems
}

// TranslationUnits returns the English the translations follow, unit by unit: each
// section of each guide (by its heading) and the root README, and each title, Python
// column and hint of the manifest, each with the SHA-256 of its text.
func TranslationUnits(root string, m *manifest.Manifest) (sums.Sums, error) {
	units := sums.Sums{}
	digest := func(s string) string {
		h := sha256.Sum256([]byte(s))
		return hex.EncodeToString(h[:])
	}
	guides := []string{"README.md"}
	for _, ch := range m.Chapters {
		guides = append(guides, layout.Exercises+"/"+ch.ID+"/README.md")
	}
	for _, g := range guides {
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(g)))
		if err != nil {
			return nil, err
		}
		heading, body := "(top)", []string{}
		flush := func() { units[g+" § "+heading] = digest(strings.Join(body, "\n")) }
		inCode, inGenerated := false, false
		for _, l := range strings.Split(string(b), "\n") {
			// The measured figures are copied, not translated: new figures need no new
			// translation.
			switch {
			case strings.HasPrefix(l, "<!-- bench-figures"):
				inGenerated = true
				continue
			case inGenerated && strings.HasPrefix(l, "<!-- /bench-figures"):
				inGenerated = false
				continue
			case inGenerated:
				continue
			}
			if strings.HasPrefix(strings.TrimSpace(l), "```") {
				inCode = !inCode
			}
			if !inCode && strings.HasPrefix(l, "## ") {
				flush()
				heading, body = strings.TrimPrefix(l, "## "), nil
			}
			body = append(body, l)
		}
		flush()
	}
	for _, msg := range i18n.Messages() {
		units["internal/i18n § "+msg.Key] = digest(msg.En)
	}
	for name, text := range explain.EnglishTexts() {
		units["internal/explain § "+name] = digest(text)
	}
	for name, text := range mutation.EnglishTexts() {
		units["internal/mutation § "+name] = digest(text)
	}
	for _, ch := range m.Chapters {
		units[manifest.File+" § "+ch.ID+" title"] = digest(ch.Title)
		units[manifest.File+" § "+ch.ID+" python"] = digest(ch.Python)
		for _, e := range ch.Exercises {
			units[manifest.File+" § "+e.ID()+" title"] = digest(e.Title)
			for i, h := range e.Hints {
				units[manifest.File+" § "+e.ID()+fmt.Sprintf(" hint %d", i+1)] = digest(h)
			}
		}
	}
	return units, nil
}

const translationsHeader = "SHA-256 of the English each translation was last brought in step with: " + TranslationsFix

// WriteTranslationSums records the English as it is now: run it once the translations
// are in step with it.
func WriteTranslationSums(root string, m *manifest.Manifest) error {
	units, err := TranslationUnits(root, m)
	if err != nil {
		return err
	}
	return sums.WriteFile(filepath.Join(root, filepath.FromSlash(TranslationSums)), units.Format(translationsHeader))
}

// StaleTranslations lists the English units changed since TranslationSums was written:
// each is a section or a text whose translation must be brought in step.
func StaleTranslations(root string, m *manifest.Manifest) ([]sums.Change, error) {
	b, err := sums.ReadFile(filepath.Join(root, filepath.FromSlash(TranslationSums)))
	if err != nil {
		return nil, err
	}
	recorded, err := sums.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", TranslationSums, err)
	}
	now, err := TranslationUnits(root, m)
	if err != nil {
		return nil, err
	}
	return sums.Diff(recorded, now), nil
}

// translations checks the Portuguese workbook against the English: every guide and the
// manifest translated, parity, and nothing English changed since the translations were
// last brought in step.
func (c *checker) translations(ctx context.Context) {
	tr, err := manifest.LoadTranslation(c.Root, Lang)
	if err != nil {
		c.record(manifest.TranslationFile(Lang)+" loads", false, "    "+err.Error())
	} else {
		problems := tr.Problems(c.m)
		c.record(manifest.TranslationFile(Lang)+" translates every title and hint of the manifest", len(problems) == 0,
			"    "+strings.Join(problems, "\n    "))
	}
	pairs := [][2]string{{"README.md", TranslatedGuide}}
	for _, ch := range c.m.Chapters {
		dir := layout.Exercises + "/" + ch.ID + "/"
		pairs = append(pairs, [2]string{dir + "README.md", dir + TranslatedGuide})
	}
	for _, pair := range pairs {
		en, err1 := os.ReadFile(filepath.Join(c.Root, filepath.FromSlash(pair[0])))
		pt, err2 := os.ReadFile(filepath.Join(c.Root, filepath.FromSlash(pair[1])))
		if err := cmpOr(err1, err2); err != nil {
			c.record(pair[1]+" translates "+pair[0], false, "    "+err.Error())
			continue
		}
		problems := ParityProblems(string(en), string(pt))
		if tr != nil && pair[0] != "README.md" {
			ch := c.m.Chapters[slices.IndexFunc(c.m.Chapters, func(ch *manifest.Chapter) bool { return strings.Contains(pair[0], "/"+ch.ID+"/") })]
			problems = append(problems, translatedHintProblems(ch, tr, string(pt))...)
		}
		c.record(pair[1]+": the sections, code blocks, links, figures and hints of "+pair[0], len(problems) == 0,
			"    "+strings.Join(problems, "\n    "))
	}
	stale, err := StaleTranslations(c.Root, c.m)
	detail := ""
	if err != nil {
		detail = "    " + err.Error()
	} else if len(stale) > 0 {
		var lines []string
		for _, ch := range stale {
			lines = append(lines, "    "+ch.Path+" ("+ch.Change+")")
		}
		detail = "    the English changed since the translations were brought in step; update the Portuguese of:\n" +
			strings.Join(lines, "\n") + "\n    then run `" + TranslationsFix + "`"
	}
	c.record("the translations follow the English as it is ("+TranslationSums+")", err == nil && len(stale) == 0, detail)
}

func cmpOr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
