// Package i18n chooses the language the tool speaks, English or Brazilian Portuguese, and
// holds the tool's own sentences in both: whole sentences with their verbs (%s, %d),
// never assembled from fragments. The explainer's texts (internal/explain) and the
// manifest's titles and hints (workbook.pt-BR.json) are translated where they live.
package i18n

import (
	"fmt"
	"strings"
)

// Lang is a language of the tool.
type Lang string

// The languages of the workbook.
const (
	English    Lang = "en"
	Portuguese Lang = "pt-BR"
)

// FromEnv returns the language the environment asks for: WORKBOOK_LANG, else the first
// of LC_ALL, LC_MESSAGES and LANG that is set (pt_BR.UTF-8, pt_PT, pt, pt-BR ...
// are Portuguese), else English.
func FromEnv(getenv func(string) string) Lang {
	for _, k := range []string{"WORKBOOK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" {
			return parse(v)
		}
	}
	return English
}

func parse(v string) Lang {
	v = strings.ToLower(v)
	if v == "pt" || strings.HasPrefix(v, "pt_") || strings.HasPrefix(v, "pt-") || strings.HasPrefix(v, "pt.") {
		return Portuguese
	}
	return English
}

// Message is one sentence of the tool in both languages.
type Message struct {
	Key string
	En  string
	Pt  string
}

// T returns the sentence key in l, formatted with args when there are any.
func (l Lang) T(key string, args ...any) string {
	m, ok := byKey[key]
	if !ok {
		panic("i18n: no message " + key)
	}
	text := m.En
	if l == Portuguese && m.Pt != "" {
		text = m.Pt
	}
	if len(args) == 0 {
		return text
	}
	return fmt.Sprintf(text, args...)
}

// Guide returns the chapter guide's file name in l: README.md or README.pt-BR.md.
func (l Lang) Guide() string {
	if l == Portuguese {
		return "README.pt-BR.md"
	}
	return "README.md"
}

// Messages returns the catalog, for the checks that keep both languages in step.
func Messages() []Message { return catalog }

var byKey = func() map[string]Message {
	m := map[string]Message{}
	for _, msg := range catalog {
		if _, dup := m[msg.Key]; dup {
			panic("i18n: two messages " + msg.Key)
		}
		m[msg.Key] = msg
	}
	return m
}()
