package grade

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-concurrency-workbook/workbook/internal/sums"
)

// ErrorFile is the file, in a learner's report directory, that says why the learner
// could not be graded (instead of grade.json).
const ErrorFile = "error.txt"

// ReadClass reads the reports under each of dirs (the -out of a grade -course, one
// shard's): NAME/grade.json, or NAME/error.txt for a learner who could not be graded.
// The class comes back sorted by name; a name found twice (the same learner in two
// shards) is an error.
func ReadClass(dirs []string) (reports []*Report, errs []error, names []string, err error) {
	type one struct {
		name string
		rep  *Report
		err  error
	}
	var all []one
	from := map[string]string{}
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, nil, nil, err
		}
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			name, p := e.Name(), filepath.Join(dir, e.Name())
			var o one
			if b, err := sums.ReadFile(filepath.Join(p, "grade.json")); err == nil {
				var rep Report
				if err := json.Unmarshal(b, &rep); err != nil {
					return nil, nil, nil, fmt.Errorf("%s: %w", filepath.Join(p, "grade.json"), err)
				}
				o = one{name: name, rep: &rep}
			} else if b, err := sums.ReadFile(filepath.Join(p, ErrorFile)); err == nil {
				o = one{name: name, err: fmt.Errorf("%s", strings.TrimSpace(string(b)))}
			} else {
				continue // not a learner's reports
			}
			if prev, ok := from[strings.ToLower(name)]; ok {
				return nil, nil, nil, fmt.Errorf("%s is in %s and in %s: a learner in two shards", name, prev, dir)
			}
			from[strings.ToLower(name)] = dir
			all = append(all, o)
		}
	}
	slices.SortFunc(all, func(a, b one) int { return strings.Compare(a.name, b.name) })
	for _, o := range all {
		reports, errs, names = append(reports, o.rep), append(errs, o.err), append(names, o.name)
	}
	return reports, errs, names, nil
}
