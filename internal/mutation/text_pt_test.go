package mutation

import (
	"strings"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/i18n"
	"github.com/stretchr/testify/assert"
)

// Every refusal has its Portuguese, with the same verbs, and SetLang goes back to English.
func TestRefusalsInPortuguese(t *testing.T) {
	all := func() []string {
		return []string{realClockText, fatalText, fatalGlobalText, fatalValueText, introText, whyStacks, whyBuild, whyFiles,
			whyReflect, whyUnsafe, whyCost, whyAddress, whyPrivate, whyImplValue, whyMethod, whyFuncValue, whyTestingT,
			whyWorkbook, whyStateMatch}
	}
	t.Cleanup(func() { SetLang(i18n.English) })
	en := all()
	SetLang(i18n.Portuguese)
	pt := all()
	for i := range en {
		assert.NotEqual(t, en[i], pt[i], "text %d has no Portuguese", i)
		for _, verb := range []string{"%s", "%d", "%p"} {
			assert.Equal(t, strings.Count(en[i], verb), strings.Count(pt[i], verb), "text %d: %s", i, verb)
		}
	}
	SetLang(i18n.English)
	assert.Equal(t, en, all())
}
