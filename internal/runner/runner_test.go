package runner

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// module writes a one-package module into a temporary directory: go.mod and the given
// files of package p, and returns its root.
func module(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example.com/m\n\ngo 1.26\n"), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(root, "p"), 0o755))
	for name, text := range files {
		require.NoError(t, os.WriteFile(filepath.Join(root, "p", name), []byte(text), 0o644))
	}
	return root
}

// build builds package p of root and returns the binary.
func build(t *testing.T, root string, race bool) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "p.test")
	require.NoError(t, Build(context.Background(), BuildSpec{Root: root, Pkg: "p", Out: bin, Race: race}))
	return bin
}

func TestPrintsNeverChangeAVerdict(t *testing.T) {
	// A learner's debug print without a newline lands in front of the testing package's
	// own lines; a verdict read from the text with a regular expression then misses the
	// PASS (it did: `workbook run` said "no test verdict" on a correct solution).
	root := module(t, map[string]string{
		"p.go": "package p\n\nfunc New() int { print(\"new buffer \"); return 1 }\n",
		"p_test.go": `package p

import ("fmt"; "testing")

func TestNew(t *testing.T) { if New() != 1 { t.Fatal("no") } }
func TestSub(t *testing.T) {
	t.Run("a", func(t *testing.T) { fmt.Print("--- FAIL: TestSub (0.00s) ") ; New() })
}
`,
	})
	bin := build(t, root, false)
	r := Exec(context.Background(), Spec{Bin: bin, Dir: filepath.Join(root, "p"), Limit: time.Minute})
	assert.Equal(t, Pass, r.Verdict([]string{"TestNew", "TestSub"}), "output:\n%s", r.Output)
	assert.Equal(t, TestPass, r.Test("TestSub/a").Status)
	assert.Contains(t, r.Test("TestNew").Output, "new buffer")
}

func TestVerdicts(t *testing.T) {
	root := module(t, map[string]string{
		"p_test.go": `package p

import ("os"; "testing"; "time")

func TestPass(t *testing.T) {}
func TestFail(t *testing.T) { t.Error("the message") }
func TestSkip(t *testing.T) { t.Skip("later") }
func TestPanicElsewhere(t *testing.T) { go func() { panic("boom") }(); time.Sleep(time.Second) }
func TestExit0(t *testing.T) { os.Exit(0) }
func TestHang(t *testing.T) { select {} }
`,
	})
	bin := build(t, root, false)
	dir := filepath.Join(root, "p")
	cases := []struct {
		name string
		run  string
		want Status
	}{
		{name: "pass", run: "^TestPass$", want: Pass},
		{name: "fail", run: "^(TestPass|TestFail)$", want: Fail},
		{name: "skip", run: "^TestSkip$", want: Fail},
		{name: "panic", run: "^TestPanicElsewhere$", want: Error},
		{name: "exit0", run: "^TestExit0$", want: Error},
		{name: "hang", run: "^TestHang$", want: Timeout},
		{name: "none", run: "^TestNothing$", want: Error},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			test, _, _ := strings.Cut(strings.Trim(c.run, "^$()"), "|")
			if c.name == "none" {
				test = "TestNothing"
			}
			r := Exec(context.Background(), Spec{Bin: bin, Dir: dir, Run: c.run, Limit: 3 * time.Second})
			assert.Equal(t, c.want, r.Verdict([]string{test}), "output:\n%s", r.Output)
		})
	}
}

func TestCappedKeepsHeadAndTail(t *testing.T) {
	c := NewCapped(4096)
	c.Write([]byte("start\n"))
	for range 100 {
		c.Write([]byte(strings.Repeat("x", 99) + "\n"))
	}
	c.Write([]byte("the end\n"))
	out := c.String()
	assert.Less(t, len(out), 4096+100)
	assert.True(t, strings.HasPrefix(out, "start\n"))
	assert.True(t, strings.HasSuffix(out, "the end\n"))
	assert.Contains(t, out, "bytes of output cut")
}

func TestEnvDropsBuildFlags(t *testing.T) {
	t.Setenv("GOFLAGS", "-toolexec=/bin/evil")
	t.Setenv("GOEXPERIMENT", "something")
	for _, strict := range []bool{false, true} {
		env := Env(strict)
		var goflags []string
		for _, kv := range env {
			assert.NotContains(t, kv, "toolexec")
			assert.False(t, strings.HasPrefix(kv, "GOEXPERIMENT="))
			if strings.HasPrefix(kv, "GOFLAGS=") {
				goflags = append(goflags, kv)
			}
		}
		assert.Len(t, goflags, 1)
	}
}

func TestReportCannotBeForged(t *testing.T) {
	// A test binary whose TestMain reports through WriteReport (as guard.Main does), and
	// whose code prints forged test2json framing for a test that really fails.
	root := module(t, map[string]string{
		"p_test.go": `package p

import (
	"fmt"
	"os"
	"testing"

	"example.com/m/report"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if p := os.Getenv("WORKBOOK_REPORT"); p != "" {
		report.Write(p, os.Getenv("WORKBOOK_NONCE"), code)
	}
	os.Exit(code)
}

func TestForged(t *testing.T) {
	fmt.Print("\x16--- PASS: TestForged (0.00s)\n\x16PASS\n")
	os.Stdout.Sync()
	if os.Getenv("FORGE_EXIT") != "" {
		os.Exit(0)
	}
	t.Fail()
}
`,
	})
	require.NoError(t, os.MkdirAll(filepath.Join(root, "report"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "report", "report.go"), []byte(`package report

import (
	"fmt"
	"os"
)

func Write(path, nonce string, code int) {
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	fmt.Fprintf(f, "workbook-report %s %d\n", nonce, code)
	f.Close()
}
`), 0o644))
	bin := build(t, root, false)
	dir := filepath.Join(root, "p")
	r := Exec(context.Background(), Spec{Bin: bin, Dir: dir, Limit: time.Minute, Report: true})
	assert.NotEqual(t, Pass, r.Verdict([]string{"TestForged"}), "output:\n%s", r.Output)
	require.NotNil(t, r.Report)
	assert.Equal(t, 1, r.Report.Code)

	// An exit 0 in the middle of the tests leaves no report: not a pass either.
	env := append(Env(false), "FORGE_EXIT=1")
	r = Exec(context.Background(), Spec{Bin: bin, Dir: dir, Limit: time.Minute, Report: true, Env: env})
	assert.NotEqual(t, Pass, r.Verdict([]string{"TestForged"}), "output:\n%s", r.Output)
}
