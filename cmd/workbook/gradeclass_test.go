package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// solvedAdd is the demo's add.go, solved.
const solvedAdd = "package demo\n\n// Add returns a+b.\nfunc Add(a, b int) int { return a + b }\n"

// reused reads a learner's grade.json under out and says whether it was reused.
func reused(t *testing.T, out, name string) bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, name, "grade.json"))
	require.NoError(t, err)
	var rep struct {
		Reused   bool   `json:"reused"`
		CacheKey string `json:"cache_key"`
	}
	require.NoError(t, json.Unmarshal(b, &rep))
	assert.NotEmpty(t, rep.CacheKey, "a report graded with -cache names its key")
	return rep.Reused
}

// graded counts the learners whose exercises ran (a progress line each).
func graded(stderr string) int {
	learners := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^grade (\S+) \[`).FindAllStringSubmatch(stderr, -1) {
		learners[m[1]] = true
	}
	return len(learners)
}

// TestGradeClassIncremental: with -cache, an unchanged class is regraded not at all, a
// learner who changed a file the course takes is regraded alone, a change the grade
// ignores regrades nobody, and a changed course regrades everyone.
func TestGradeClassIncremental(t *testing.T) {
	course := workbook(t, courseFiles())
	solved := courseFiles()
	solved["exercises/01_demo/add.go"] = solvedAdd
	base := t.TempDir()
	learners := map[string]string{"ana": "", "bruno": "", "carla": ""}
	for name := range learners {
		files := courseFiles()
		if name != "bruno" {
			files = solved
		}
		if name == "carla" { // solved her own way: two learners with the same files would share one grade
			files = courseFiles()
			files["exercises/01_demo/add.go"] = "package demo\n\n// Add returns b+a.\nfunc Add(a, b int) int { return b + a }\n"
		}
		learners[name] = filepath.Join(base, name)
		for p, text := range files {
			full := filepath.Join(learners[name], filepath.FromSlash(p))
			require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
			require.NoError(t, os.WriteFile(full, []byte(text), 0o644))
		}
	}
	all := []string{learners["ana"], learners["bruno"], learners["carla"]}
	cache, out := filepath.Join(t.TempDir(), "cache"), filepath.Join(t.TempDir(), "grades")
	gradeAll := func(want int) (int, string) {
		t.Helper()
		code, _, stderr := tool(t, course, append([]string{"grade", "-course", course, "-out", out, "-cache", cache, "-timeout", "60s"}, all...)...)
		assert.Equal(t, want, code, "the exit status (bruno fails add until he fixes it): %s", stderr)
		return graded(stderr), stderr
	}

	n, stderr := gradeAll(exitFailed)
	assert.Equal(t, 3, n, "the first grade grades everyone: %s", stderr)
	assert.Contains(t, stderr, "0 of 3 reports reused")
	assert.False(t, reused(t, out, "ana"))

	n, stderr = gradeAll(exitFailed)
	assert.Equal(t, 0, n, "an unchanged class is regraded not at all: %s", stderr)
	assert.Contains(t, stderr, "3 of 3 reports reused")
	for _, name := range []string{"ana", "bruno", "carla"} {
		assert.True(t, reused(t, out, name), "%s's report says it was reused", name)
	}
	md, err := os.ReadFile(filepath.Join(out, "class.md"))
	require.NoError(t, err)
	assert.Contains(t, string(md), "| bruno | 1/2 | 1/2 (50%) ↺ |")
	assert.Contains(t, string(md), "3 of 3 reports reused")

	// What the grade does not take regrades nobody; a file it takes regrades its learner.
	require.NoError(t, os.WriteFile(filepath.Join(learners["ana"], "NOTES.md"), []byte("mine\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(learners["bruno"], "exercises/01_demo/add.go"),
		[]byte(strings.Replace(solvedAdd, "a + b", "a + (b)", 1)), 0o644))
	n, stderr = gradeAll(exitOK)
	assert.Equal(t, 1, n, "only bruno changed a file the course takes: %s", stderr)
	assert.Contains(t, stderr, "grade "+learners["bruno"]+" [")
	assert.True(t, reused(t, out, "ana"))
	b, err := os.ReadFile(filepath.Join(out, "ana", "grade.json"))
	require.NoError(t, err)
	assert.Contains(t, string(b), `"path": "NOTES.md"`, "a reused report lists what the learner's tree has now")

	// A changed course regrades everyone.
	require.NoError(t, os.WriteFile(filepath.Join(course, "exercises/01_demo/hello_test.go"),
		[]byte(courseFiles()["exercises/01_demo/hello_test.go"]+"\n// A comment: the course changed.\n"), 0o644))
	code, _, stderr := tool(t, course, append([]string{"grade", "-course", course, "-out", out, "-cache", cache, "-timeout", "60s"}, all...)...)
	assert.Equal(t, exitOK, code, "everyone passes now: %s", stderr)
	assert.Equal(t, 3, graded(stderr), "a changed course regrades everyone: %s", stderr)
	assert.Contains(t, stderr, "0 of 3 reports reused")
}

// workflowRuns returns the `run:` command of each named step of the workflow.
func workflowRuns(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", ".github", "workflows", "grade-class.yml"))
	require.NoError(t, err)
	runs, name := map[string]string{}, ""
	for _, line := range strings.Split(string(b), "\n") {
		trimmed := strings.TrimSpace(line)
		if v, ok := strings.CutPrefix(trimmed, "- name: "); ok {
			name = v
		}
		if v, ok := strings.CutPrefix(trimmed, "run: "); ok && name != "" {
			runs[name] = v
		}
		if strings.HasPrefix(trimmed, "- uses: ") || strings.HasPrefix(trimmed, "- run: ") {
			name = ""
		}
	}
	return runs
}

// shellWords splits a one-line command of the workflow, expanding $VARS from vars,
// quotes dropped, and paths (., .., ../x, ../x/*) made absolute from dir.
func shellWords(t *testing.T, cmd, dir string, vars map[string]string) []string {
	t.Helper()
	cmd, _, _ = strings.Cut(cmd, ">>") // the redirection into $GITHUB_OUTPUT
	var out []string
	for _, w := range strings.Fields(cmd) {
		w = strings.Trim(w, `"`)
		for k, v := range vars {
			w = strings.ReplaceAll(w, "$"+k, v)
		}
		if w == "." || w == ".." || strings.HasPrefix(w, "../") {
			w = filepath.Join(dir, w)
			if strings.HasSuffix(w, "*") {
				matches, err := filepath.Glob(w)
				require.NoError(t, err)
				out = append(out, matches...)
				continue
			}
		}
		out = append(out, w)
	}
	require.Equal(t, []string{"go", "run", "./cmd/workbook"}, out[:3], "the workflow runs the course's own tool: %s", cmd)
	return out[3:]
}

// TestGradeClassWorkflow runs the tool's commands of grade-class.yml as its jobs do, in a
// workspace laid out as the runner's (course/, learners/, grades/, grade-cache/,
// shards/grades-N/): plan, each shard's slice of the roster, its grade with the cache,
// and the merge into one class table. Only the clones and the actions are left out.
func TestGradeClassWorkflow(t *testing.T) {
	runs := workflowRuns(t)
	for _, step := range []string{"plan the shards", "fetch this shard's learners", "grade", "merge"} {
		require.Contains(t, runs, step, "grade-class.yml has the step %q", step)
	}
	ws := t.TempDir()
	course := filepath.Join(ws, "course")
	files := courseFiles()
	files["roster.txt"] = "# the class\nana/workbook\nbruno/workbook\n\ncarla/workbook\n"
	for p, text := range files {
		full := filepath.Join(course, filepath.FromSlash(p))
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, []byte(text), 0o644))
	}
	vars := map[string]string{"ROSTER": filepath.Join(course, "roster.txt"), "TARGET": "30m"}

	// plan: the roster is small, one shard would do; ask for two with a short target.
	args := shellWords(t, runs["plan the shards"], course, vars)
	code, stdout, stderr := tool(t, course, append(args, "-per-learner", "15m")...)
	require.Equal(t, exitOK, code, stderr)
	assert.Equal(t, "shards=2\nmatrix=[0,1]\n", stdout, "the plan, as $GITHUB_OUTPUT reads it")
	fetch, _, _ := strings.Cut(runs["fetch this shard's learners"], "|")
	fetch = strings.TrimSpace(strings.TrimPrefix(fetch, "|"))
	if !strings.HasPrefix(fetch, "go run") { // a block: the tool's line is its second
		fetch = strings.TrimSpace(strings.Split(workflowBlock(t, "fetch this shard's learners"), "\n")[1])
		fetch, _, _ = strings.Cut(fetch, "|")
	}

	for shard, want := range [][]string{{"ana/workbook", "carla/workbook"}, {"bruno/workbook"}} {
		sws := filepath.Join(ws, "runner"+string(rune('0'+shard)))
		vars["SHARD"] = string(rune('0'+shard)) + "/2"
		code, stdout, stderr := tool(t, course, shellWords(t, fetch, course, vars)...)
		require.Equal(t, exitOK, code, stderr)
		assert.Equal(t, strings.Join(want, "\n")+"\n", stdout, "shard %d's slice of the roster", shard)
		// The clones: learners/owner__repository.
		for _, repo := range want {
			l := courseFiles()
			if repo != "bruno/workbook" {
				l["exercises/01_demo/add.go"] = solvedAdd
			}
			for p, text := range l {
				full := filepath.Join(sws, "learners", strings.ReplaceAll(repo, "/", "__"), filepath.FromSlash(p))
				require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
				require.NoError(t, os.WriteFile(full, []byte(text), 0o644))
			}
		}
		// The runner's course checkout is sws/course; the tool reads it as ".".
		require.NoError(t, os.CopyFS(filepath.Join(sws, "course"), os.DirFS(course)))
		args := shellWords(t, runs["grade"], filepath.Join(sws, "course"), vars)
		for pass := range 2 {
			code, _, stderr := tool(t, filepath.Join(sws, "course"), args...)
			assert.Contains(t, []int{exitOK, exitFailed}, code, stderr)
			if pass == 1 {
				assert.Equal(t, 0, graded(stderr), "the restored cache regrades nobody: %s", stderr)
			}
		}
		// upload-artifact grades-N, download-artifact into shards/grades-N.
		require.NoError(t, os.CopyFS(filepath.Join(ws, "merge", "shards", "grades-"+string(rune('0'+shard))), os.DirFS(filepath.Join(sws, "grades"))))
	}

	require.NoError(t, os.CopyFS(filepath.Join(ws, "merge", "course"), os.DirFS(course)))
	args = shellWords(t, runs["merge"], filepath.Join(ws, "merge", "course"), vars)
	code, stdout, stderr = tool(t, filepath.Join(ws, "merge", "course"), args...)
	assert.Equal(t, exitFailed, code, "bruno fails: %s", stderr)
	csv, err := os.ReadFile(filepath.Join(ws, "merge", "grades", "class.csv"))
	require.NoError(t, err)
	assert.Equal(t, "learner,01_demo/add,01_demo/hello,pass,exercises\n"+
		"ana__workbook,pass,pass,2,2\nbruno__workbook,fail,pass,1,2\ncarla__workbook,pass,pass,2,2\n", string(csv),
		"one class table of both shards, sorted by learner")
	assert.Contains(t, stdout, "| learner | 01 | score |")
	assert.Contains(t, stdout, "| bruno__workbook | 1/2 | 1/2 (50%) ↺ |")
	assert.FileExists(t, filepath.Join(ws, "merge", "grades", "class.md"))

	// Two shards holding the same learner is an error, not a silent overwrite.
	code, _, stderr = tool(t, course, "grade", "-merge", "-out", filepath.Join(ws, "again"),
		filepath.Join(ws, "merge", "shards", "grades-0"), filepath.Join(ws, "runner0", "grades"))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "a learner in two shards")
}

// workflowBlock returns the literal block of a step's `run: |`.
func workflowBlock(t *testing.T, step string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", ".github", "workflows", "grade-class.yml"))
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(b), "- name: "+step+"\n")
	require.True(t, ok)
	_, rest, ok = strings.Cut(rest, "run: |\n")
	require.True(t, ok)
	var lines []string
	for _, l := range strings.Split(rest, "\n") {
		if strings.TrimSpace(l) == "" || !strings.HasPrefix(l, "          ") {
			break
		}
		lines = append(lines, strings.TrimSpace(l))
	}
	return strings.Join(lines, "\n")
}

func TestGradeRosterAndUsage(t *testing.T) {
	root := workbook(t, courseFiles())
	roster := filepath.Join(root, "roster.txt")
	var lines []string
	for i := range 100 {
		lines = append(lines, "owner/learner"+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	require.NoError(t, os.WriteFile(roster, []byte("# comment\n"+strings.Join(lines, "\n")+"\n"), 0o644))
	code, stdout, _ := tool(t, root, "grade", "-roster", roster, "-plan")
	assert.Equal(t, exitOK, code)
	assert.Equal(t, "shards=3\nmatrix=[0,1,2]\n", stdout, "100 learners at 40s with 3m of setup in 30m: ceil(4000s/1620s)")
	code, stdout, _ = tool(t, root, "grade", "-roster", roster, "-plan", "-target", "5m")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "shards=20\n", "never more than -max-shards")
	code, stdout, _ = tool(t, root, "grade", "-roster", roster, "-shard", "3/4")
	assert.Equal(t, exitOK, code)
	assert.Len(t, strings.Fields(stdout), 25)
	assert.True(t, strings.HasPrefix(stdout, lines[3]+"\n"+lines[7]+"\n"))
	for _, bad := range [][]string{
		{"grade", "-roster", roster, "-shard", "4/4"},
		{"grade", "-roster", roster, "-plan", "-shard", "0/2"},
		{"grade", "-merge", "-course", root, "x"},
		{"grade", "-merge", "-out", root},
		{"grade", "-plan"},
		{"grade", "-cache", root},
		{"grade", "-course", root, "-shard", "1", root},
	} {
		code, _, _ := tool(t, root, bad...)
		assert.Equal(t, exitUsage, code, "%q", bad)
	}
}
