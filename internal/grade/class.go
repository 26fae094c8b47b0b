package grade

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/go-concurrency-workbook/workbook/internal/runner"
)

// maxListed bounds the failures listed for one learner below the class table.
const maxListed = 5

// maxExplained bounds one failure's explanation below the class table.
const maxExplained = 140

// ClassTable renders the grades of a class, sorted by learner, as CSV (one row a
// learner, one column an exercise, then the totals) and as Markdown: one column a
// chapter (`3/3`, the exercises passed of the chapter's), the score, then each learner's
// failures (at most 5, with the first line of why) and the learners who could not be
// graded, below the table.
func ClassTable(reports []*Report, errs []error, names []string) (csv, md string) {
	order := make([]int, len(reports))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(names[a], names[b]) })

	var ids, chapters []string
	for _, r := range reports {
		if r != nil {
			for _, e := range r.Exercises {
				ids = append(ids, e.ID)
				if len(chapters) == 0 || chapters[len(chapters)-1] != e.Chapter {
					chapters = append(chapters, e.Chapter)
				}
			}
			break
		}
	}
	var c, t, below strings.Builder
	c.WriteString("learner," + strings.Join(ids, ",") + ",pass,exercises\n")
	t.WriteString("| learner |")
	for _, ch := range chapters {
		t.WriteString(" " + chapterLabel(ch) + " |")
	}
	t.WriteString(" score |\n|" + strings.Repeat(" --- |", len(chapters)+2) + "\n")
	reused := 0
	for _, i := range order {
		r, name := reports[i], names[i]
		if r == nil {
			why := "error"
			if i < len(errs) && errs[i] != nil {
				why = errs[i].Error()
			}
			c.WriteString(csvField(name) + strings.Repeat(",", len(ids)) + ",0," + fmt.Sprint(len(ids)) + "\n")
			t.WriteString("| " + mdField(name) + strings.Repeat(" | –", len(chapters)) + " | not graded |\n")
			fmt.Fprintf(&below, "- **%s**: not graded: %s\n", mdField(name), mdField(why))
			continue
		}
		var cells []string
		pass, total := map[string]int{}, map[string]int{}
		var failed []*ExerciseReport
		for _, e := range r.Exercises {
			cells = append(cells, string(e.Status))
			total[e.Chapter]++
			if e.Status == runner.Pass {
				pass[e.Chapter]++
			} else {
				failed = append(failed, e)
			}
		}
		fmt.Fprintf(&c, "%s,%s,%d,%d\n", csvField(name), strings.Join(cells, ","), r.Totals.Pass, r.Totals.Exercises)
		t.WriteString("| " + mdField(name) + " |")
		for _, ch := range chapters {
			fmt.Fprintf(&t, " %d/%d |", pass[ch], total[ch])
		}
		mark := ""
		if r.Reused {
			mark, reused = " ↺", reused+1
		}
		fmt.Fprintf(&t, " %d/%d (%.0f%%)%s |\n", r.Totals.Pass, r.Totals.Exercises, 100*r.Score, mark)
		if len(failed) > 0 {
			fmt.Fprintf(&below, "- **%s**: %d not passing\n", mdField(name), len(failed))
			for _, e := range failed[:min(len(failed), maxListed)] {
				why := e.Kind
				if line, _, _ := strings.Cut(e.Explanation, "\n"); line != "" {
					why = line
				}
				if len(why) > maxExplained {
					why = strings.ToValidUTF8(why[:maxExplained], "") + "…"
				}
				fmt.Fprintf(&below, "  - `%s` %s: %s\n", e.ID, e.Status, mdField(why))
			}
			if len(failed) > maxListed {
				fmt.Fprintf(&below, "  - and %d more (%s/grade.json)\n", len(failed)-maxListed, mdField(name))
			}
		}
	}
	if len(chapters) > 0 {
		t.WriteString("\nColumns: the exercises passed of each chapter's (" + strings.Join(chapters, ", ") + ").")
		if reused > 0 {
			fmt.Fprintf(&t, " ↺: %d of %d reports reused, unchanged since their grade.", reused, len(reports))
		}
		t.WriteString("\n")
	}
	if below.Len() > 0 {
		t.WriteString("\n**Not passing**\n\n" + below.String())
	}
	return c.String(), t.String()
}

// chapterLabel is a chapter's column: its number, "06" for "06_conditions".
func chapterLabel(id string) string {
	if n, _, ok := strings.Cut(id, "_"); ok && n != "" {
		return n
	}
	return id
}
