package grade

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/runner"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// classReport is a report of two chapters: 01 with two exercises, 02 with one.
func classReport(st ...runner.Status) *Report {
	ids := [][2]string{{"01_a", "x"}, {"01_a", "y"}, {"02_b", "z"}}
	r := &Report{Schema: 1}
	for i, s := range st {
		e := &ExerciseReport{ID: ids[i][0] + "/" + ids[i][1], Chapter: ids[i][0], Name: ids[i][1], Status: s}
		if s != runner.Pass {
			e.Kind, e.Explanation = "wrong", "TestZ: a check failed\nmore"
		}
		r.Exercises = append(r.Exercises, e)
		r.Totals.Exercises++
		if s == runner.Pass {
			r.Totals.Pass++
		}
	}
	r.Score = float64(r.Totals.Pass) / float64(r.Totals.Exercises)
	return r
}

func TestClassTable(t *testing.T) {
	zoe, ana := classReport(runner.Pass, runner.Pass, runner.Pass), classReport(runner.Pass, runner.Fail, runner.Timeout)
	ana.Reused = true
	csv, md := ClassTable([]*Report{zoe, nil, ana}, []error{nil, errors.New("no tree"), nil}, []string{"zoe", "bia", "ana"})
	assert.Equal(t, "learner,01_a/x,01_a/y,02_b/z,pass,exercises\nana,pass,fail,timeout,1,3\nbia,,,,0,3\nzoe,pass,pass,pass,3,3\n", csv,
		"the CSV keeps a column an exercise, sorted by learner")
	assert.Equal(t, `| learner | 01 | 02 | score |
| --- | --- | --- | --- |
| ana | 1/2 | 0/1 | 1/3 (33%) ↺ |
| bia | – | – | not graded |
| zoe | 2/2 | 1/1 | 3/3 (100%) |

Columns: the exercises passed of each chapter's (01_a, 02_b). ↺: 1 of 3 reports reused, unchanged since their grade.

**Not passing**

- **ana**: 2 not passing
  - `+"`01_a/y`"+` fail: TestZ: a check failed
  - `+"`02_b/z`"+` timeout: TestZ: a check failed
- **bia**: not graded: no tree
`, md)

	many := classReport(runner.Fail, runner.Fail, runner.Fail)
	for range 4 {
		many.Exercises = append(many.Exercises, many.Exercises[0])
	}
	_, md = ClassTable([]*Report{many}, []error{nil}, []string{"caio"})
	assert.Contains(t, md, "- **caio**: 7 not passing\n")
	assert.Contains(t, md, "  - and 2 more (caio/grade.json)\n", "at most 5 failures a learner below the table")
}

func TestShardsAndPlan(t *testing.T) {
	roster, err := ReadRoster(strings.NewReader("# class\n a/1 \n\nb/2\n#c/3\nd/4\ne/5\n"))
	require.NoError(t, err)
	assert.Equal(t, []string{"a/1", "b/2", "d/4", "e/5"}, roster)
	assert.Equal(t, []string{"a/1", "e/5"}, Shard(roster, 0, 3))
	assert.Equal(t, []string{"b/2"}, Shard(roster, 1, 3))
	assert.Equal(t, []string(nil), Shard(roster, 4, 5), "a shard may be empty")
	var all []string
	for i := range 3 {
		all = append(all, Shard(roster, i, 3)...)
	}
	assert.ElementsMatch(t, roster, all, "the shards cover the roster, once each")
	for _, bad := range []string{"", "1", "3/3", "-1/3", "0/0", "a/b"} {
		_, _, err := ParseShard(bad)
		assert.Error(t, err, "ParseShard(%q)", bad)
	}
	i, n, err := ParseShard("2/3")
	assert.Equal(t, []any{2, 3, nil}, []any{i, n, err})

	p := Plan{Learners: 500, PerLearner: 40 * time.Second, Setup: 3 * time.Minute, Target: 30 * time.Minute, MaxShards: 20}
	assert.Equal(t, 13, p.Shards(), "ceil(500 × 40s / 27m)")
	assert.Equal(t, 3*time.Minute+39*40*time.Second, p.Wall(13))
	p.Target = 10 * time.Minute
	assert.Equal(t, 20, p.Shards(), "capped at MaxShards")
	p.Learners = 3
	assert.Equal(t, 1, p.Shards(), "three learners fit in one shard")
	p.Target = time.Minute
	assert.Equal(t, 3, p.Shards(), "a target below the setup: one learner a shard, never more shards than learners")
	assert.Equal(t, "[0,1,2]", Matrix(3))
	assert.Equal(t, "[0]", Matrix(1))

	for _, c := range []struct{ jobs, learners, at, each int }{{2, 1, 1, 2}, {2, 5, 2, 1}, {8, 3, 3, 2}, {1, 4, 1, 1}} {
		at, each := classJobs(c.jobs, c.learners)
		assert.Equal(t, [2]int{c.at, c.each}, [2]int{at, each}, "classJobs(%d, %d)", c.jobs, c.learners)
	}
}

// TestCacheKey: a learner's key changes with the course's files, the tool's and the
// learner's own taken files, and with nothing else of the learner's tree.
func TestCacheKey(t *testing.T) {
	course := courseCopy(t)
	learner := learnerCopy(t, course, true, nil)
	o := ClassOptions{Course: course, Cache: t.TempDir(), Limit: time.Minute}
	key := func() string {
		t.Helper()
		c, err := newCourseKey(o)
		require.NoError(t, err)
		m := mustManifest(t, course)
		return c.learnerKey(takeLearnerFiles(m, learner))
	}
	k0 := key()
	assert.Equal(t, k0, key(), "the same class, the same key")
	ex := filepath.Join(learner, "exercises", gradeChapter)
	require.NoError(t, os.WriteFile(filepath.Join(ex, "cond_test.go"), []byte("package conditions\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(learner, "NOTES.md"), []byte("mine\n"), 0o644))
	assert.Equal(t, k0, key(), "what the grade ignores is not in the key")
	b, err := os.ReadFile(filepath.Join(ex, "buffer.go"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(ex, "buffer.go"), append(b, "\n// mine\n"...), 0o644))
	k1 := key()
	assert.NotEqual(t, k0, k1, "a learner file the course takes is in the key")
	require.NoError(t, os.Remove(filepath.Join(ex, "buffer.go")))
	assert.NotEqual(t, k1, key(), "a missing learner file changes the key")
	k2 := key()
	for _, p := range []string{"internal/guard/extra.go", "testdata/mutants/x", "cmd/workbook/x.go", "exercises/" + gradeChapter + "/cond_test.go", SumsFile} {
		full := filepath.Join(course, filepath.FromSlash(p))
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		f, err := os.OpenFile(full, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		require.NoError(t, err)
		_, err = f.WriteString("\n// changed\n")
		require.NoError(t, err)
		require.NoError(t, f.Close())
		k := key()
		assert.NotEqual(t, k2, k, "a change to the course's %s regrades everyone", p)
		k2 = k
	}
	o.Limit = 2 * time.Minute
	assert.NotEqual(t, k2, key(), "the limit decides timeouts: it is in the key")
}

func mustManifest(t *testing.T, root string) *manifest.Manifest {
	t.Helper()
	m, err := manifest.Load(root)
	require.NoError(t, err)
	return m
}
