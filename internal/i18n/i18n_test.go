package i18n

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFromEnv(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want Lang
	}{
		{map[string]string{}, English},
		{map[string]string{"LANG": "pt_BR.UTF-8"}, Portuguese},
		{map[string]string{"LANG": "pt_PT.UTF-8"}, Portuguese},
		{map[string]string{"LANG": "C.UTF-8"}, English},
		{map[string]string{"LANG": "pt_BR.UTF-8", "LC_ALL": "en_US.UTF-8"}, English},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "pt_BR"}, Portuguese},
		{map[string]string{"LANG": "pt_BR.UTF-8", "WORKBOOK_LANG": "en"}, English},
		{map[string]string{"WORKBOOK_LANG": "pt-BR"}, Portuguese},
		{map[string]string{"WORKBOOK_LANG": "pt"}, Portuguese},
	} {
		assert.Equal(t, tc.want, FromEnv(func(k string) string { return tc.env[k] }), "%v", tc.env)
	}
}

// Every message has both languages, with the same verbs in the same order: a sentence is
// translated whole, and its values go where the English puts them.
func TestEveryMessageHasBothLanguages(t *testing.T) {
	for _, m := range Messages() {
		assert.NotEmpty(t, m.Pt, "%s has no Portuguese", m.Key)
		assert.Equal(t, verbs(m.En), verbs(m.Pt), "%s: the verbs differ", m.Key)
	}
}

func verbs(s string) []string {
	var v []string
	for i := 0; i < len(s)-1; i++ {
		if s[i] == '%' {
			v = append(v, s[i:i+2])
			i++
		}
	}
	return v
}

func TestT(t *testing.T) {
	assert.Equal(t, "Go Concurrency Workbook: 1 de 52 exercícios feitos", Portuguese.T("status.header", 1, 52))
	assert.True(t, strings.HasPrefix(English.T("status.header", 1, 52), "Go Concurrency Workbook: 1 of 52"))
	assert.Equal(t, "README.pt-BR.md", Portuguese.Guide())
}
