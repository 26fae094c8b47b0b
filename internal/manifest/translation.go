package manifest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// TranslationFile is the manifest's learner-facing text in language lang (chapter and
// exercise titles, the Python column, the hints), beside workbook.json:
// workbook.pt-BR.json for "pt-BR".
func TranslationFile(lang string) string { return "workbook." + lang + ".json" }

// Translation is a TranslationFile: the same chapters and exercises as the manifest, in
// its order, with the same number of hints each.
type Translation struct {
	Chapters []*TranslatedChapter `json:"chapters"`
}

// TranslatedChapter is a chapter's text in another language.
type TranslatedChapter struct {
	ID        string                `json:"id"`
	Title     string                `json:"title"`
	Python    string                `json:"python"`
	Exercises []*TranslatedExercise `json:"exercises"`
}

// TranslatedExercise is an exercise's text in another language.
type TranslatedExercise struct {
	Name  string   `json:"name"`
	Title string   `json:"title"`
	Hints []string `json:"hints"`
}

// Chapter returns the translation of chapter id, or nil.
func (t *Translation) Chapter(id string) *TranslatedChapter {
	for _, c := range t.Chapters {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// LoadTranslation reads the translation of the manifest at root into lang.
func LoadTranslation(root, lang string) (*Translation, error) {
	b, err := os.ReadFile(filepath.Join(root, TranslationFile(lang)))
	if err != nil {
		return nil, err
	}
	var t Translation
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("%s: %v", TranslationFile(lang), err)
	}
	return &t, nil
}

// Problems returns what keeps t from being a translation of m: a chapter, an exercise
// or a hint missing, added, out of order or empty.
func (t *Translation) Problems(m *Manifest) []string {
	var problems []string
	if len(t.Chapters) != len(m.Chapters) {
		problems = append(problems, fmt.Sprintf("%d chapters, the manifest has %d", len(t.Chapters), len(m.Chapters)))
	}
	for i, ch := range m.Chapters {
		if i >= len(t.Chapters) {
			break
		}
		tc := t.Chapters[i]
		if tc.ID != ch.ID {
			problems = append(problems, fmt.Sprintf("chapter %d is %q, the manifest's is %q", i+1, tc.ID, ch.ID))
			continue
		}
		if tc.Title == "" || tc.Python == "" {
			problems = append(problems, ch.ID+": the title or the python column is not translated")
		}
		if len(tc.Exercises) != len(ch.Exercises) {
			problems = append(problems, fmt.Sprintf("%s: %d exercises, the manifest has %d", ch.ID, len(tc.Exercises), len(ch.Exercises)))
		}
		for j, e := range ch.Exercises {
			if j >= len(tc.Exercises) {
				break
			}
			te := tc.Exercises[j]
			switch {
			case te.Name != e.Name:
				problems = append(problems, fmt.Sprintf("%s: exercise %d is %q, the manifest's is %q", ch.ID, j+1, te.Name, e.Name))
			case te.Title == "":
				problems = append(problems, e.ID()+": the title is not translated")
			case len(te.Hints) != len(e.Hints):
				problems = append(problems, fmt.Sprintf("%s: %d hints, the manifest has %d", e.ID(), len(te.Hints), len(e.Hints)))
			}
			for k, h := range te.Hints {
				if h == "" {
					problems = append(problems, fmt.Sprintf("%s: hint %d is not translated", e.ID(), k+1))
				}
			}
		}
	}
	return problems
}

// Localize replaces m's learner-facing text by t's where t has it, so that the tool
// speaks t's language: titles, the Python column and the hints (hint_for still points
// at the same hint, since their number and order are the same).
func (t *Translation) Localize(m *Manifest) {
	for i, ch := range m.Chapters {
		if i >= len(t.Chapters) || t.Chapters[i].ID != ch.ID {
			continue
		}
		tc := t.Chapters[i]
		ch.Title = nonEmpty(tc.Title, ch.Title)
		ch.Python = nonEmpty(tc.Python, ch.Python)
		for j, e := range ch.Exercises {
			if j >= len(tc.Exercises) || tc.Exercises[j].Name != e.Name {
				continue
			}
			te := tc.Exercises[j]
			e.Title = nonEmpty(te.Title, e.Title)
			if len(te.Hints) == len(e.Hints) {
				for k, h := range te.Hints {
					e.Hints[k] = nonEmpty(h, e.Hints[k])
				}
			}
		}
	}
}

func nonEmpty(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}
