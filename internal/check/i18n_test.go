package check

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

const enGuide = "# 01 · Demo\n\n*English · [Português](README.pt-BR.md)*\n\n## What you build\n\n" +
	"Start 1,000 goroutines in 0.5 s, 1.8× faster; see [the guide](../02_x/README.md#hints).\n\n" +
	"```sh\ngo test ./exercises/01_demo # 2 runs\n```\n\n## Hints\n\n### join\n\n1. A hint.\n"

const ptGuide = "# 01 · Demonstração\n\n*[English](README.md) · Português*\n\n## O que você vai construir\n\n" +
	"Comece 1.000 goroutines em 0,5 s, 1,8× mais rápido; veja [o guia](../02_x/README.pt-BR.md#dicas).\n\n" +
	"```sh\ngo test ./exercises/01_demo # 2 runs\n```\n\n## Dicas\n\n### join\n\n1. Uma dica.\n"

func TestParity(t *testing.T) {
	assert.Empty(t, ParityProblems(enGuide, ptGuide), "a faithful translation")
	for _, tc := range []struct{ name, pt, want string }{
		{"code_translated", strings.Replace(ptGuide, "# 2 runs", "# 2 execuções", 1), "code block 1 differs"},
		{"figure_dropped", strings.Replace(ptGuide, "1.000 goroutines", "mil goroutines", 1), "missing [1000]"},
		{"figure_changed", strings.Replace(ptGuide, "1,8×", "1,9×", 1), "the figures differ"},
		{"section_renamed", strings.Replace(ptGuide, "## Dicas", "## Sugestões", 1), `want "## Dicas"`},
		{"exercise_translated", strings.Replace(ptGuide, "### join", "### junção", 1), "an exercise's name is not translated"},
		{"section_dropped", strings.Replace(ptGuide, "## O que você vai construir\n", "", 1), "headings, the English has"},
		{"link_changed", strings.Replace(ptGuide, "../02_x/", "../03_y/", 1), "the links differ"},
		{"no_language_link", strings.Replace(ptGuide, "*[English](README.md) · Português*", "", 1), "third line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Contains(t, strings.Join(ParityProblems(enGuide, tc.pt), "\n"), tc.want)
		})
	}
}

func TestNormaliseNumber(t *testing.T) {
	for _, tc := range []struct {
		n    string
		pt   bool
		want string
	}{
		{"1,000", false, "1000"}, {"1.000", true, "1000"}, {"100,000", false, "100000"}, {"100.000", true, "100000"},
		{"0.5", false, "0.5"}, {"0,5", true, "0.5"}, {"3.14", false, "3.14"}, {"3.14", true, "3.14"},
		{"1.26.8", true, "1.26.8"}, {"1.26.8", false, "1.26.8"}, {"42", true, "42"},
	} {
		assert.Equal(t, tc.want, normaliseNumber(tc.n, tc.pt), "%q (pt %v)", tc.n, tc.pt)
	}
}

// The measured figures dev bench-charts writes are one block in both languages, compared
// byte for byte like code (their numbers are in English notation in both).
func TestParityOfGeneratedFigures(t *testing.T) {
	block := "<!-- bench-figures: generated -->\n![chart](bench.svg)\n\n| items | 10,000 |\n<!-- /bench-figures -->\n"
	en := enGuide + "\n" + block
	assert.Empty(t, ParityProblems(en, ptGuide+"\n"+block))
	assert.Contains(t, strings.Join(ParityProblems(en, ptGuide+"\n"+strings.Replace(block, "10,000", "10.000", 1)), "\n"),
		"code block 2 differs")
}
