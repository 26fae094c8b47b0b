package progress

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const resetManifest = `{"chapters": [{"id": "03_race", "title": "Race", "python": "threading", "exercises": [
 {"name": "mutex", "title": "Mutex", "kind": "fix", "files": ["mutex.go", "table.go"], "tests": ["TestMutex"], "hints": ["a"]},
 {"name": "atomic", "title": "Atomic", "kind": "fix", "files": ["atomic.go", "table.go"], "tests": ["TestAtomic"], "hints": ["b"]}]}]}`

// gitRepo makes a git repository in a temporary directory and returns it with a function
// that writes files and commits them.
func gitRepo(t *testing.T) (string, func(msg string, files map[string]string)) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	root := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com",
			"-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"}, args...)...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "git %v: %s", args, out)
	}
	git("init", "-q")
	commit := func(msg string, files map[string]string) {
		t.Helper()
		for name, content := range files {
			p := filepath.Join(root, filepath.FromSlash(name))
			require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
			require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
		}
		git("add", "-A")
		git("commit", "-q", "-m", msg)
	}
	return root, commit
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func read(t *testing.T, root, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	require.NoError(t, err)
	return string(b)
}

func TestResetFromTheStartingSums(t *testing.T) {
	root, commit := gitRepo(t)
	const draft, shipped, mine1, mine2 = "package race // draft\n", "package race // TODO\n", "package race // mine\n", "package race // mine again\n"
	commit("work in progress", map[string]string{"workbook.json": resetManifest,
		"exercises/03_race/mutex.go": draft, "exercises/03_race/table.go": "package race // table\n"})
	commit("release", map[string]string{"exercises/03_race/mutex.go": shipped,
		"testdata/workbook/starting.sum": sha(shipped) + "  exercises/03_race/mutex.go\n" + sha("package race // table\n") + "  exercises/03_race/table.go\n"})
	commit("the learner's progress", map[string]string{"exercises/03_race/mutex.go": mine1})
	require.NoError(t, os.WriteFile(filepath.Join(root, "exercises/03_race/mutex.go"), []byte(mine2), 0o644))

	m, err := manifest.Parse([]byte(resetManifest))
	require.NoError(t, err)
	e, err := m.Find("mutex")
	require.NoError(t, err)

	var out strings.Builder
	require.NoError(t, Reset(context.Background(), &out, root, e))
	assert.Equal(t, shipped, read(t, root, "exercises/03_race/mutex.go"), "the shipped version, not the draft nor the learner's commit")
	assert.Equal(t, mine2, read(t, root, "exercises/03_race/mutex.go.mine"))
	assert.Contains(t, out.String(), "exercises/03_race/mutex.go: your version saved as mutex.go.mine")
	assert.Contains(t, out.String(), "exercises/03_race/mutex.go: starting code restored (the version testdata/workbook/starting.sum records")
	assert.Contains(t, out.String(), "exercises/03_race/table.go is already the starting code: left as it is")
	// The copy reset saved changes nothing the build reads: the exercise is to do again.
	assert.Equal(t, ToDo, status(Views(root, m, &State{}))["mutex"], "after reset, with mutex.go.mine beside it")

	// Again, with mutex.go.mine taken: the copy gets the time in its name.
	Now = func() time.Time { return time.Date(2026, 11, 23, 6, 12, 0, 0, time.UTC) }
	t.Cleanup(func() { Now = time.Now })
	require.NoError(t, os.WriteFile(filepath.Join(root, "exercises/03_race/mutex.go"), []byte(mine1), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "exercises/03_race/table.go"), []byte("package race // my table\n"), 0o644))
	out.Reset()
	require.NoError(t, Reset(context.Background(), &out, root, e))
	assert.Equal(t, mine2, read(t, root, "exercises/03_race/mutex.go.mine"), "the first copy is kept")
	assert.Equal(t, mine1, read(t, root, "exercises/03_race/mutex.go.20261123-0612.mine"))
	assert.Equal(t, shipped, read(t, root, "exercises/03_race/mutex.go"))
	assert.Equal(t, "package race // table\n", read(t, root, "exercises/03_race/table.go"))
	assert.Contains(t, out.String(), "note: table.go belongs to 03_race/atomic too")

	// A third time in the same minute.
	require.NoError(t, os.WriteFile(filepath.Join(root, "exercises/03_race/mutex.go"), []byte(mine1), 0o644))
	require.NoError(t, Reset(context.Background(), &out, root, e))
	assert.Equal(t, mine1, read(t, root, "exercises/03_race/mutex.go.20261123-0612-2.mine"))

	// A deleted file comes back.
	require.NoError(t, os.Remove(filepath.Join(root, "exercises/03_race/mutex.go")))
	out.Reset()
	require.NoError(t, Reset(context.Background(), &out, root, e))
	assert.Equal(t, shipped, read(t, root, "exercises/03_race/mutex.go"))
	assert.Contains(t, out.String(), "mutex.go was missing")
}

func TestResetWithoutStartingSums(t *testing.T) {
	root, commit := gitRepo(t)
	const shipped = "package race // TODO\n"
	commit("the workbook, as a template copy", map[string]string{"workbook.json": resetManifest,
		"exercises/03_race/mutex.go": shipped, "exercises/03_race/table.go": "package race\n"})
	commit("the learner's progress", map[string]string{"exercises/03_race/mutex.go": "package race // mine\n"})
	m, err := manifest.Parse([]byte(resetManifest))
	require.NoError(t, err)
	var out strings.Builder
	require.NoError(t, Reset(context.Background(), &out, root, m.Exercises()[0]))
	assert.Equal(t, shipped, read(t, root, "exercises/03_race/mutex.go"))
	assert.Equal(t, "package race // mine\n", read(t, root, "exercises/03_race/mutex.go.mine"))
	assert.Contains(t, out.String(), "the file as first committed")
}

func TestResetRefuses(t *testing.T) {
	root, commit := gitRepo(t)
	commit("start", map[string]string{"workbook.json": resetManifest, "exercises/03_race/mutex.go": "package race\n",
		"testdata/workbook/starting.sum": sha("package race // something else\n") + "  exercises/03_race/mutex.go\n"})
	require.NoError(t, os.WriteFile(filepath.Join(root, "exercises/03_race/mutex.go"), []byte("mine"), 0o644))
	m, err := manifest.Parse([]byte(resetManifest))
	require.NoError(t, err)
	e := m.Exercises()[0]

	err = Reset(context.Background(), &strings.Builder{}, root, e)
	assert.ErrorContains(t, err, "nothing changed: no commit holds the starting code of exercises/03_race/mutex.go")
	assert.Equal(t, "mine", read(t, root, "exercises/03_race/mutex.go"), "untouched")
	assert.NoFileExists(t, filepath.Join(root, "exercises/03_race/mutex.go.mine"))

	notGit := t.TempDir()
	err = Reset(context.Background(), &strings.Builder{}, notGit, e)
	assert.ErrorContains(t, err, "is not in a git repository")

	t.Setenv("PATH", t.TempDir())
	err = Reset(context.Background(), &strings.Builder{}, root, e)
	assert.ErrorContains(t, err, "git is not installed")
}
