package grade

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPolicyAcceptsEverySolution checks the static policy against the reference: the
// learner's files of every solution break no rule, so a learner who writes what the
// course teaches is never rejected.
func TestPolicyAcceptsEverySolution(t *testing.T) {
	root := repoRoot(t)
	m, err := manifest.Load(root)
	require.NoError(t, err)
	for _, ch := range m.Chapters {
		files := map[string][]byte{}
		for _, e := range ch.Exercises {
			for _, f := range e.Files {
				b, err := os.ReadFile(filepath.Join(root, "solutions", ch.ID, f))
				require.NoError(t, err)
				files["solutions/"+ch.ID+"/"+f] = b
			}
		}
		assert.Empty(t, CheckPolicy(ch, files), "%s: the reference solution breaks the course's policy", ch.ID)
	}
}

func TestPolicyRules(t *testing.T) {
	ch := &manifest.Chapter{ID: "01_x"}
	v := CheckPolicy(ch, map[string][]byte{"a.go": []byte("package x\n\nimport (\n\t\"os\"\n\t\"sync\"\n)\n\n//go:linkname f runtime.f\nfunc f()\n\nfunc init() {}\n\nvar _ = os.Exit\nvar _ sync.Mutex\n")})
	var rules []string
	for _, x := range v {
		rules = append(rules, x.String())
	}
	assert.Equal(t, []string{
		`a.go:4: import "os" is not allowed in this chapter`,
		"a.go:13: os.Exit is not allowed: the test binary's exit status is the grader's",
		"a.go:11: func init is not allowed: set-up runs where the tests call it",
		"a.go:8: the directive //go:linkname is not allowed",
	}, rules)
	ch.Policy = &manifest.Policy{Imports: []string{"os"}}
	v = CheckPolicy(ch, map[string][]byte{"a.go": []byte("package x\n\nimport \"os\"\n\nvar _ = os.Getpid\n")})
	assert.Empty(t, v)
	v = CheckPolicy(ch, map[string][]byte{"a.go": []byte("package x\n\nimport sys \"os\"\n\nvar _ = sys.Exit\n")})
	require.Len(t, v, 1)
	assert.Equal(t, "a.go:5: os.Exit is not allowed: the test binary's exit status is the grader's", v[0].String())
}
