package explain

import (
	"strings"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/i18n"
	"github.com/stretchr/testify/assert"
)

// Every text of the explainer has its Portuguese, with the same verbs: a sentence is
// translated whole.
func TestEveryTextHasPortuguese(t *testing.T) {
	for _, k := range english.kinds {
		pt, ok := ptKinds[k.Kind]
		if !assert.True(t, ok, "%s has no Portuguese", k.Kind) {
			continue
		}
		assert.NotEmpty(t, pt.Title, k.Kind)
		assert.Equal(t, strings.Count(k.Text, "%s"), strings.Count(pt.Text, "%s"), "%s: the verbs of the text", k.Kind)
		assert.Equal(t, k.Headline != "", pt.Headline != "", "%s: a headline in both or neither", k.Kind)
	}
	assert.Len(t, ptStuck, len(english.stuck))
	for k := range english.vet {
		assert.NotEmpty(t, ptVet[k], "vet %s", k)
	}
	for k := range english.short {
		assert.NotEmpty(t, ptShort[k], "short %s", k)
	}
}

// SetLang switches every text, and back.
func TestSetLang(t *testing.T) {
	t.Cleanup(func() { SetLang(i18n.English) })
	SetLang(i18n.Portuguese)
	assert.Equal(t, "espera ocupada", Title(BusyWait))
	assert.Equal(t, "espera ocupada", Short(BusyWait))
	assert.Contains(t, guideRef(demoExercise(), "What you build"), `README.pt-BR.md, seção "O que você vai construir"`)
	SetLang(i18n.English)
	assert.Equal(t, "busy waiting", Title(BusyWait))
	assert.Contains(t, guideRef(demoExercise(), "What you build"), `README.md, section "What you build"`)
}
