package mutation

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/layout"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The implementation the fixtures test, and the course's shared test file.
const (
	policyImpl = `package demo

import "sync"

// Counter counts. Create one with NewCounter.
type Counter struct {
	mu sync.Mutex
	n  int
}

// NewCounter returns a Counter at 0.
func NewCounter() *Counter { return &Counter{} }

// Add adds one.
func (c *Counter) Add() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
}

// N returns the count.
func (c *Counter) N() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func helper() int { return 1 }
`
	policyShared = `package demo

import "time"

const limit = 4 * time.Second
`
)

// policyOf runs the policy on a learner's file add_test.go next to policyImpl, with the
// workbook's own module (and so its module cache) for the imports.
func policyOf(t *testing.T, learner string) *scanned {
	t.Helper()
	root, err := layout.FindRoot(".")
	require.NoError(t, err)
	dir := t.TempDir()
	for name, text := range map[string]string{"impl.go": policyImpl, "main_test.go": policyShared, "add_test.go": learner} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	ch := &manifest.Chapter{ID: "14_demo"}
	e := &manifest.Exercise{Chapter: ch, Name: "add", Kind: "tests", Files: []string{"add_test.go"}, Subject: []string{"impl.go"}}
	ch.Exercises = []*manifest.Exercise{e}
	s, err := Policy(context.Background(), root, dir, "exercises/14_demo", e, nil, false)
	require.NoError(t, err)
	return s
}

var wantRE = regexp.MustCompile(`// want ([a-z_]+(?: [a-z_]+)*)`)

// checkWants compares the refusals with the `// want RULE...` comments of the source:
// every refused line says so, and every line that says so is refused, for that rule.
func checkWants(t *testing.T, src string, s *scanned) {
	t.Helper()
	want := map[string]bool{}
	for i, line := range strings.Split(src, "\n") {
		if m := wantRE.FindStringSubmatch(line); m != nil {
			for _, rule := range strings.Fields(m[1]) {
				want[fmt.Sprintf("%d %s", i+1, rule)] = true
			}
		}
	}
	got := map[string]bool{}
	for _, r := range s.Refused {
		_, line, _ := cutLast(r.Pos, ":")
		got[line+" "+string(r.Rule)] = true
		t.Logf("%s", r)
	}
	assert.Equal(t, slices.Sorted(mapKeys(want)), slices.Sorted(mapKeys(got)), "refused lines and rules (-want +got)")
}

const testHeader = `package demo

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var _, _, _, _ = context.Background, fmt.Sprint, synctest.Wait, time.Second

var (
	_ assert.TestingT
	_ require.TestingT
	_ sync.Mutex
)

`

func TestPolicyRealClock(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, src string }{
		{"sleep", `func TestAdd(t *testing.T) {
	time.Sleep(time.Millisecond) // want real_clock
}
`},
		{"sleep in a variable", `func TestAdd(t *testing.T) {
	sleep := time.Sleep // want real_clock
	sleep(time.Millisecond)
}
`},
		{"after", `func TestAdd(t *testing.T) {
	c := NewCounter()
	go c.Add()
	<-time.After(10 * time.Millisecond) // want real_clock
	assert.Equal(t, 1, c.N())
}
`},
		{"tolerance", `func TestAdd(t *testing.T) {
	start := time.Now() // want real_clock
	NewCounter().Add()
	if d := time.Since(start); d > 50*time.Millisecond { // want real_clock
		t.Errorf("Add took %v", d)
	}
}
`},
		{"timers", `func TestAdd(t *testing.T) {
	tm := time.NewTimer(time.Second) // want real_clock
	defer tm.Stop()
	tk := time.NewTicker(time.Second) // want real_clock
	defer tk.Stop()
	_ = time.Tick(time.Second) // want real_clock
	time.AfterFunc(time.Second, func() {}) // want real_clock
	_ = time.Until(time.Time{}) // want real_clock
}
`},
		{"context timeout", `func TestAdd(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Second) // want real_clock
	defer cancel()
	d, cancel2 := context.WithDeadline(ctx, time.Time{}) // want real_clock
	defer cancel2()
	<-d.Done()
}
`},
		{"eventually", `func TestAdd(t *testing.T) {
	c := NewCounter()
	go c.Add()
	assert.Eventually(t, func() bool { return c.N() == 1 }, time.Second, time.Millisecond) // want real_clock
}
`},
		{"a helper used outside a bubble", `func wait() { time.Sleep(time.Millisecond) } // want real_clock

func TestAdd(t *testing.T) {
	synctest.Test(t, func(t *testing.T) { wait() })
	wait()
}
`},
		{"a literal in a variable, not written in the call", `func TestAdd(t *testing.T) {
	body := func(t *testing.T) { time.Sleep(time.Second) } // want real_clock
	synctest.Test(t, body)
}
`},
		{"a package variable", `var start = time.Now() // want real_clock

func TestAdd(t *testing.T) {}
`},
		{"inside a bubble: fake time", `func since(start time.Time) time.Duration { return time.Since(start) }

func TestAdd(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		time.Sleep(time.Second)
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		go func() { <-time.After(time.Second) }()
		<-ctx.Done()
		assert.Equal(t, 2*time.Second, since(start))
	})
}
`},
		{"a wrapper of synctest.Test", `func inBubble(t *testing.T, f func(t *testing.T)) { synctest.Test(t, f) }

func TestAdd(t *testing.T) {
	inBubble(t, func(t *testing.T) { time.Sleep(time.Second) })
}
`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := testHeader + c.src
			checkWants(t, src, policyOf(t, src))
		})
	}
}

func TestPolicyRealClockByType(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, src string }{
		{"an import alias", `package demo

import (
	"testing"
	tm "time"
)

func TestAdd(t *testing.T) {
	tm.Sleep(tm.Millisecond) // want real_clock
}
`},
		{"a dot import", `package demo

import (
	"testing"
	. "time"
)

func TestAdd(t *testing.T) {
	<-After(Millisecond) // want real_clock
}
`},
		{"x/time/rate", `package demo

import (
	"testing"

	"golang.org/x/time/rate"
)

func TestAdd(t *testing.T) {
	l := rate.NewLimiter(10, 1) // want real_clock
	_ = l.Wait(t.Context()) // want real_clock
}
`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkWants(t, c.src, policyOf(t, c.src)) })
	}
}

func TestPolicyFatalOffTheTestGoroutine(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, src string }{
		{"go statement", `func TestAdd(t *testing.T) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t.Fatal("no") // want fatal_off_test
	}()
	<-done
}
`},
		{"require in a goroutine", `func TestAdd(t *testing.T) {
	var wg sync.WaitGroup
	wg.Go(func() {
		require.Equal(t, 1, 2) // want fatal_off_test
		t.FailNow()            // want fatal_off_test
	})
	wg.Wait()
}
`},
		{"a helper that fails", `func mustAdd(t *testing.T, c *Counter) {
	c.Add()
	if c.N() == 0 {
		t.Fatal("no")
	}
}

func TestAdd(t *testing.T) {
	c := NewCounter()
	mustAdd(t, c)
	go mustAdd(t, c) // want fatal_off_test
	done := make(chan bool)
	go func() { mustAdd(t, c); done <- true }() // want fatal_off_test
	<-done
}
`},
		{"the outer t in a bubble or a subtest", `func TestAdd(t *testing.T) {
	synctest.Test(t, func(*testing.T) {
		t.Skip("no") // want fatal_off_test
	})
	t.Run("sub", func(st *testing.T) {
		require.True(t, false) // want fatal_off_test
		require.True(st, true)
	})
}
`},
		{"a literal in a variable", `func TestAdd(t *testing.T) {
	f := func() { t.Fatalf("no") } // want fatal_off_test
	go f()
}
`},
		{"a wrapper that starts its argument", `func async(f func()) { go f() }

func TestAdd(t *testing.T) {
	async(func() { require.NoError(t, nil) }) // want fatal_off_test
}
`},
		{"require.New and a method value", `func TestAdd(t *testing.T) {
	r := require.New(t)
	go func() { r.True(false) }() // want fatal_off_test
	fail := t.FailNow // want fatal_off_test
	fail()
}
`},
		{"a goroutine given its own copy of t", `func TestAdd(t *testing.T) {
	go func(t *testing.T) { t.Fatal("no") }(t) // want fatal_off_test
}
`},
		{"allowed: each goroutine's own t, and failures sent back", `func check(t *testing.T, c *Counter) { require.Equal(t, 1, c.N()) }

func TestAdd(t *testing.T) {
	c := NewCounter()
	c.Add()
	check(t, c)
	synctest.Test(t, func(t *testing.T) { t.Fatal("a bubble has its own t") })
	t.Run("sub", func(t *testing.T) { require.True(t, true); check(t, c) })
	errs := make(chan error, 1)
	go func() {
		t.Error("t.Error may be called from any goroutine")
		assert.True(t, true)
		errs <- nil
	}()
	require.NoError(t, <-errs)
	defer func() { t.Fatal("a deferred call runs on the test's goroutine") }()
}
`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := testHeader + c.src
			checkWants(t, src, policyOf(t, src))
		})
	}
}

func TestPolicyIntrospection(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, src string }{
		{"stacks and callers", `package demo

import (
	"runtime"
	"runtime/debug" // want introspection
	"testing"
)

func TestAdd(t *testing.T) {
	_, file, line, _ := runtime.Caller(0) // want introspection
	buf := make([]byte, 1<<10)
	n := runtime.Stack(buf, true) // want introspection
	pc, _, _, _ := runtime.Caller(1) // want introspection
	_ = runtime.FuncForPC(pc).Name() // want introspection
	_, _, _ = file, line, n
	_ = debug.Stack()
	runtime.Gosched()
	_ = runtime.NumGoroutine()
}
`},
		{"files and the build", `package demo

import (
	"flag" // want introspection
	"os" // want introspection
	"go/parser" // want introspection
	_ "embed" // want introspection
	"testing"
)

//go:embed impl.go // want introspection
var source string

func TestAdd(t *testing.T) {
	b, _ := os.ReadFile("impl.go")
	_, _ = parser.ParseExpr(string(b))
	_ = flag.CommandLine.Name() // want introspection
}
`},
		{"reflection and unsafe", `package demo

import (
	"reflect"
	"testing"
	"unsafe" // want introspection
)

func TestAdd(t *testing.T) {
	c := NewCounter()
	_ = reflect.ValueOf(c.Add).Pointer() // want introspection
	_ = reflect.DeepEqual(1, 1)
	_ = unsafe.Sizeof(*c)
}
`},
		{"private names and fields", `package demo

import "testing"

func (c *Counter) Peek() int { return c.n } // want introspection

func TestAdd(t *testing.T) {
	c := NewCounter()
	c.Add()
	if c.n != 1 || helper() != 1 { // want introspection
		t.Error("no")
	}
	_ = Counter{n: 1} // want introspection
	_ = &Counter{}
}
`},
		{"addresses and printing", `package demo

import (
	"fmt"
	"testing"
)

func TestAdd(t *testing.T) {
	c := NewCounter()
	_ = fmt.Sprintf("%p", c) // want introspection
	_ = fmt.Sprint(c.Add) // want introspection
	_ = fmt.Sprintf("%v", c) // want introspection
	var f any = TestAdd // want introspection
	_ = f
	n := 1
	_ = fmt.Sprint(&n) // want introspection
	_ = fmt.Sprintf("%d%%p", c.N())
	t.Logf("printing to the test's output is fine: %v", c)
}
`},
		{"testify and cmp looking inside", `package demo

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
)

type spy struct{ msgs []string }

func (s *spy) Errorf(format string, args ...any) { s.msgs = append(s.msgs, format) }

func TestAdd(t *testing.T) {
	c := NewCounter()
	assert.Equal(t, NewCounter(), c) // want introspection
	assert.NotNil(t, c)
	s := &spy{}
	assert.True(s, false) // want introspection
	_ = assert.CallerInfo() // want introspection
	_ = cmp.Diff(1, 2, cmp.AllowUnexported(Counter{})) // want introspection
}
`},
		{"guard's stacks", `package demo

import (
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

func TestAdd(t *testing.T) {
	_ = guard.Stacks(nil) // want introspection
	_ = guard.States("impl.go:17") // want introspection
	_ = guard.States("helper") // want introspection
	_ = guard.States("(*Counter).Add")
	_ = guard.States("NewCounter")
}
`},
		{"files by other ways, and the workbook's own code", `package demo

import (
	"net/http" // want introspection
	"testing"
	"text/template"

	"github.com/go-concurrency-workbook/workbook/internal/rendezvous"
	"github.com/go-concurrency-workbook/workbook/internal/sums" // want introspection
	ref "github.com/go-concurrency-workbook/workbook/solutions/14_testing" // want introspection
)

func TestAdd(t *testing.T) {
	_, _ = http.Dir(".").Open("impl.go") // want introspection
	_, _ = template.ParseFiles("impl.go") // want introspection
	_ = rendezvous.New(2, 0)
	_ = sums.ReadFile
	_ = ref.NewBuffer
}
`},
		{"what a call costs", `package demo

import (
	"runtime"
	"testing"
)

func TestAdd(t *testing.T) {
	_ = testing.AllocsPerRun(10, func() { NewCounter().Add() }) // want introspection
	var m runtime.MemStats // want introspection
	runtime.ReadMemStats(&m) // want introspection
}
`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkWants(t, c.src, policyOf(t, c.src)) })
	}
}

// TestPolicyMessages shows each rule's message on a refused line, as the learner reads it.
func TestPolicyMessages(t *testing.T) {
	t.Parallel()
	src := testHeader + `func TestAdd(t *testing.T) {
	<-time.After(time.Millisecond)
	go func() { t.Fatal("no") }()
	_ = fmt.Sprintf("%p", []int{1})
}
`
	s := policyOf(t, src)
	require.Len(t, s.Refused, 3)
	want := []Refusal{
		{Pos: "exercises/14_demo/add_test.go:24", Rule: RealClock, What: "time.After", Message: "time.After outside a synctest bubble: " +
			"a test on the real clock (a real sleep or timer, or real durations compared with a tolerance) tests how busy the " +
			"machine is, not the code: it passes on an idle machine and fails on a loaded one, and it lets through code that is " +
			"wrong by less than the tolerance. Read and wait on the clock only inside a bubble, where time is fake and exact: " +
			"inside the function literal you pass to synctest.Test or guard.Bubble, or in a function of your test files that is " +
			"only ever used from inside such literals. Outside a bubble, bound a wait with guard.Run."},
		{Pos: "exercises/14_demo/add_test.go:25", Rule: FatalOffTest, What: "t.Fatal", Message: "t.Fatal " +
			"called from a goroutine your test started (line 25): t.Fatal, t.FailNow, t.Skip and every require function stop " +
			"only the goroutine that calls them, so from another goroutine they do not stop the test, which goes on as if the " +
			"check had passed (or hangs waiting for that goroutine); Go's testing package forbids it. Send what the goroutine saw " +
			"to the test's goroutine (on a channel) and check it there, or use t.Error or assert, which only record the failure."},
		{Pos: "exercises/14_demo/add_test.go:26", Rule: Introspection, What: "the verb %p", Message: "the verb %p: it turns an " +
			"address, a function or a channel into text (%p, or printing a func, chan, pointer or uintptr), and addresses change " +
			"with the build, not with the behaviour. A test must tell a wrong implementation from the right one by what it does " +
			"(what its methods return, and when), never by how the program looks from inside; call the exported API and check " +
			"the contract in the doc comment."},
	}
	assert.Equal(t, want, s.Refused)
}

func TestPolicyStubIsUnwritten(t *testing.T) {
	t.Parallel()
	s := policyOf(t, `package demo

import "testing"

func TestAdd(t *testing.T) {
	t.Fatal("TODO: add one to a NewCounter and check " +
		"that N returns 1")
}

func TestAddTwice(t *testing.T) {
	c := NewCounter()
	c.Add()
	t.Fatal("TODO: this one was started")
}
`)
	assert.Equal(t, []string{"TestAdd", "TestAddTwice"}, s.Tests)
	assert.Equal(t, []string{"TestAdd"}, s.Unwritten)
	assert.Empty(t, s.Refused)
}

// TestPolicyReferenceTests: the chapter's reference tests keep to the policy, and its
// starting stubs are all unwritten.
func TestPolicyReferenceTests(t *testing.T) {
	t.Parallel()
	root, err := layout.FindRoot(".")
	require.NoError(t, err)
	m, err := manifest.Load(root)
	require.NoError(t, err)
	for _, e := range m.Exercises() {
		if !e.Writes() {
			continue
		}
		for _, tree := range []string{layout.Solutions, layout.Exercises} {
			pkg := layout.ChapterDir(tree, e.Chapter.ID)
			s, err := Policy(context.Background(), root, filepath.Join(root, filepath.FromSlash(pkg)), pkg, e, nil, false)
			require.NoError(t, err, e.ID())
			assert.Empty(t, s.Refused, "%s/%s", tree, e.ID())
			assert.Equal(t, e.Tests, s.Tests, "%s/%s", tree, e.ID())
			if tree == layout.Exercises {
				assert.Equal(t, e.Tests, s.Unwritten, "%s: the starting stubs", e.ID())
			} else {
				assert.Empty(t, s.Unwritten, "%s: the reference tests", e.ID())
			}
		}
	}
}
