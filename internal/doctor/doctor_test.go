package doctor

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/golden"
	"github.com/go-concurrency-workbook/workbook/internal/i18n"
	"github.com/stretchr/testify/assert"
)

// fakeGo answers go commands from a table: the arguments joined by spaces → output, error.
func fakeGo(answers map[string]string, failing ...string) func(context.Context, string, []string, ...string) (string, error) {
	return func(_ context.Context, _ string, _ []string, args ...string) (string, error) {
		key := strings.Join(args, " ")
		for _, f := range failing {
			if f == key {
				return answers[key], errors.New("exit status 1")
			}
		}
		return answers[key], nil
	}
}

func TestDoctorFindsProblems(t *testing.T) {
	root := t.TempDir()
	mod := map[string]string{"mod edit -json": `{"Module": {"Path": "x"}, "Go": "1.26.0"}`}
	with := func(k, v string) map[string]string {
		m := map[string]string{k: v}
		for k, v := range mod {
			m[k] = v
		}
		return m
	}
	d := &doctor{root: root, goCmd: fakeGo(with("env GOVERSION", "go1.25.3\n"))}
	f := d.goVersion(context.Background())
	assert.False(t, f.ok)
	assert.Contains(t, f.what, "Go go1.25.3, and go.mod asks for go 1.26.0")
	assert.Contains(t, f.fix, "https://go.dev/dl/")

	d.goCmd = fakeGo(with("env GOVERSION", "go1.26.8\n"))
	assert.True(t, d.goVersion(context.Background()).ok)
	d.goCmd = fakeGo(with("env GOVERSION", "go1.27rc1\n"))
	assert.True(t, d.goVersion(context.Background()).ok)

	d.goCmd = fakeGo(map[string]string{"env CGO_ENABLED CC": "0\ngcc\n"})
	f = d.cgo(context.Background())
	assert.False(t, f.ok)
	assert.Contains(t, f.what, "cgo is off")
	d.goCmd = fakeGo(map[string]string{"env CGO_ENABLED CC": "1\nno-such-compiler-anywhere\n"})
	f = d.cgo(context.Background())
	assert.False(t, f.ok)
	assert.Contains(t, f.what, `no C compiler "no-such-compiler-anywhere"`)
	assert.NotEmpty(t, f.fix)

	d.goCmd = fakeGo(map[string]string{
		"env GOMODCACHE": "/cache\n",
		"mod download -json": `{"Path": "github.com/a/b", "Version": "v1.0.0", "Dir": "/cache/github.com/a/b@v1.0.0"}
{"Path": "github.com/c/d", "Version": "v0.7.0", "Error": "module lookup disabled by GOPROXY=off"}
`}, "mod download -json")
	f = d.modules(context.Background())
	assert.False(t, f.ok)
	assert.Contains(t, f.what, "1 of the 2 pinned modules are not in the module cache /cache")
	assert.Contains(t, f.detail, "github.com/c/d@v0.7.0: module lookup disabled by GOPROXY=off")

	var b strings.Builder
	assert.False(t, printFindings(&b, i18n.English, []finding{{ok: true, what: "fine"}, f}))
	assert.Contains(t, b.String(), "  ok    fine\n")
	assert.Contains(t, b.String(), "  FAIL  1 of the 2")
	assert.Contains(t, b.String(), "fix: run `go mod download`")
}

// TestDoctorOnThisMachine runs every check for real: the machine that runs make check
// has what the workbook needs.
func TestDoctorOnThisMachine(t *testing.T) {
	d := &doctor{root: golden.Root(t), goCmd: realGo}
	ctx := context.Background()
	for _, f := range []finding{d.goVersion(ctx), d.cgo(ctx), d.race(ctx), d.modules(ctx)} {
		assert.True(t, f.ok, "%s\n%s\nfix: %s", f.what, f.detail, f.fix)
	}
	assert.NotEmpty(t, d.cores().what)
}
