package explain

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// captures are real outputs (testdata/workbook/explain/README.md says how each was
// made), the kind each must be classified as, and what its explanation must mention.
var captures = []struct {
	file    string
	kind    Kind
	mention []string
}{
	{"race.txt", Race, []string{"exercises/01_race/code.go:12 (Count) reads in goroutine 10", "wrote in goroutine 9"}},
	{"concurrent_map.txt", ConcurrentMap, []string{"exercises/02_concurrent_map/code.go:12", "sync.Mutex"}},
	{"deadlock.txt", Deadlock, []string{"exercises/03_deadlock/code.go:7 (Sum)"}},
	{"synctest_deadlock.txt", BubbleDeadlock, []string{"exercises/04_synctest_deadlock/code.go:9 (Wait)"}},
	{"synctest_deadlock_raw.txt", BubbleDeadlock, []string{"exercises/05_synctest_deadlock_raw/code.go:"}},
	{"watchdog.txt", Watchdog, []string{"exercises/06_watchdog/code.go:15 (Transfer)", "sync.Mutex"}},
	// A Join on a channel never made: once blamed on a mutex or a spin.
	{"watchdog_nil_chan.txt", Watchdog, []string{"exercises/01_goroutines/join.go:31 (LoadAll)", "nil channel"}},
	{"leak.txt", Leak, []string{"exercises/07_leak/code.go:9 (First)"}},
	{"waitgroup_negative.txt", WaitGroupNegative, []string{"exercises/08_waitgroup_negative/code.go:", "wg.Done()"}},
	{"unlock_unlocked.txt", UnlockUnlocked, []string{"exercises/09_unlock_unlocked/code.go:16 ((*Counter).Inc)", "Unlock"}},
	{"send_closed.txt", SendClosed, []string{"exercises/10_send_closed/code.go:11 (Produce)"}},
	{"close_closed.txt", CloseClosed, []string{"exercises/11_close_closed/code.go:", "exactly once", "the hint below"}},
	{"timeout.txt", Timeout, []string{"exercises/12_timeout/code.go:"}},
	{"wrong.txt", Wrong, []string{"message says what it expected"}},
	{"workbook_03_race_mutex.txt", Race, []string{"exercises/03_race/mutex.go:23 (countLetters)"}},
	{"workbook_05_deadlock_transfer.txt", Watchdog, []string{"exercises/05_deadlock/transfer.go:"}},
	{"workbook_05_deadlock_dine.txt", Wrong, nil},
	// The test says "busy waiting"; the bubble's end is only a consequence. This was
	// headlined "a deadlock in the synctest bubble" before.
	{"workbook_06_conditions_cond.txt", BusyWait, []string{"exercises/06_conditions/buffer.go:69 ((*Buffer).Get)", "polling"}},
	// Get still blocked after Close, and left blocked when the bubble's function returned:
	// the test's own message names the failure, the leak is its consequence.
	{"workbook_06_conditions_close.txt", Wrong, []string{"Get() call 4 is still blocked"}},
	{"workbook_09_hashing_stream.txt", Wrong, nil},
}

func demoExercise() *manifest.Exercise {
	ch := &manifest.Chapter{ID: "01_demo", Title: "Demo"}
	e := &manifest.Exercise{Name: "demo", Title: "Demo", Files: []string{"code.go"},
		Tests: []string{"TestDemo", "TestDemoError", "TestDemoLeak", "TestMoves"},
		Hints: []string{"The first hint.", "The second hint.", "The third hint."}, Chapter: ch,
		HintFor: map[string]int{"TestMoves/same_account": 3, "TestDemoLeak": 2}}
	ch.Exercises = []*manifest.Exercise{e}
	return e
}

func TestExplainCaptures(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "workbook", "explain")
	for _, c := range captures {
		t.Run(strings.TrimSuffix(c.file, ".txt"), func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, c.file))
			require.NoError(t, err)
			reps := Explain(demoExercise(), []Failure{{Test: "TestDemo", Output: string(b)}}, "go test")
			require.Len(t, reps, 1)
			r := reps[0]
			if r.Kind != c.kind {
				t.Fatalf("%s classified as %q, want %q", c.file, r.Kind, c.kind)
			}
			var out strings.Builder
			Write(&out, demoExercise(), reps, 3)
			for _, m := range c.mention {
				assert.Contains(t, r.Text+"\n"+out.String(), m)
			}
		})
	}
}

func TestBuildReport(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "workbook", "explain", "build.txt"))
	require.NoError(t, err)
	r := BuildReport(demoExercise(), string(b))
	assert.Equal(t, Build, r.Kind)
	assert.Contains(t, r.Read, `section "What you build"`)
}

func TestLeakIsNeverADeadlock(t *testing.T) {
	out := "    x_test.go:22: Start(): deadlock: main bubble goroutine has exited but blocked goroutines remain.\n"
	assert.Equal(t, Leak, Classify(out))
}

func TestMostSpecificFirst(t *testing.T) {
	e := demoExercise()
	failures := []Failure{
		{Test: "TestDemo", Output: "    demo_test.go:10: Close() woke 1 of the 3 waiting Puts, want all 3\n--- FAIL: TestDemo (0.00s)\n"},
		{Test: "TestDemoError", Output: "    demo_test.go:20: Count() = nil, want the fetch error\n--- FAIL: TestDemoError (0.00s)\n"},
		{Test: "TestDemoLeak", Output: "    demo_test.go:30: goroutines still running after Count returned: a leak\n--- FAIL: TestDemoLeak (0.00s)\n"},
		{Test: "TestMoves", Output: "    demo_test.go:40: Put(1) panicked: send on closed channel\n--- FAIL: TestMoves (0.00s)\n"},
	}
	reps := Explain(e, failures, "go test")
	var got []string
	for _, r := range reps {
		got = append(got, r.Test)
	}
	assert.Equal(t, []string{"TestMoves", "TestDemoLeak", "TestDemo", "TestDemoError"}, got)
}

func TestMessageComesFirstAndWhole(t *testing.T) {
	var dump strings.Builder
	for i := range 60 {
		fmt.Fprintf(&dump, "        goroutine %d [chan receive]:\n        testing.tRunner()\n        \t/usr/local/go/src/testing/testing.go:1\n        \n", i+10)
	}
	var msg strings.Builder
	for i := range 150 {
		fmt.Fprintf(&msg, "        line %d of the diagnosis\n", i)
	}
	out := "    demo_test.go:12: Count(20 docs) polls with time.Sleep: busy waiting\n" + msg.String() + dump.String() +
		"--- FAIL: TestDemo (0.00s)\n"
	reps := Explain(demoExercise(), []Failure{{Test: "TestDemo", Output: out}}, "go test")
	var w strings.Builder
	Write(&w, demoExercise(), reps, 3)
	s := w.String()
	assert.Contains(t, s, "line 149 of the diagnosis", "the message must never be cut")
	assert.NotContains(t, s, "goroutine 10 [", "stacks without the learner's code are left out")
	assert.Less(t, strings.Index(s, "busy waiting"), strings.Index(s, "Hint"))
	assert.Equal(t, BusyWait, reps[0].Kind)
}

func TestHintBelongsToTheFailingSubtest(t *testing.T) {
	e := demoExercise()
	reps := Explain(e, []Failure{{Test: "TestMoves", Subtests: []string{"TestMoves/same_account"},
		Output: "    demo_test.go:1: Transfer(a, a, 1) deadlocked\n"}}, "go test")
	assert.Equal(t, 3, reps[0].Hint)
	var w strings.Builder
	Write(&w, e, reps, 2)
	assert.Contains(t, w.String(), "Hint 3 of 3: The third hint.")
	// A learner who has read no hint gets the first nudge, never the last one first; one
	// who has read one gets the second.
	for seen, want := range []string{"Hint 1 of 3: The first hint.", "Hint 2 of 3: The second hint."} {
		w.Reset()
		Write(&w, e, reps, seen)
		assert.Contains(t, w.String(), want, "after %d hints read", seen)
	}
	reps = Explain(e, []Failure{{Test: "TestDemo", Output: "    demo_test.go:1: wrong\n"}}, "go test")
	assert.Equal(t, 1, reps[0].Hint)
}

func TestNoChapterAdviceInTheGenericTexts(t *testing.T) {
	// Advice that belongs to one chapter comes from that chapter's guide and hints: the
	// deadlock text once told a chapter 03 learner that "each Put signals a waiting Get".
	for _, k := range kinds {
		for _, word := range []string{"Put", "Get(", "Close broadcasts", "Transfer", "Table", "philosopher"} {
			assert.NotContains(t, k.Text, word, "the text of %s", k.Kind)
		}
	}
}

func TestTestifyMessageIsTheHeadline(t *testing.T) {
	out := "    all_test.go:73: \n        \tError Trace:\t/x/all_test.go:73\n        \tError:      \tExpected error with \"reset\" in chain but got nil.\n" +
		"        \tTest:       \tTestAllNoLeak/fake\n        \tMessages:   \tFetchAll(20 docs) must return the failed fetch's error\n"
	reps := Explain(demoExercise(), []Failure{{Test: "TestDemo", Output: out}}, "go test")
	assert.Equal(t, "FetchAll(20 docs) must return the failed fetch's error", reps[0].Headline)
}

func TestReturningEarlyIsNotALeakUnlessGoroutinesAreLeft(t *testing.T) {
	assert.Equal(t, Leak, Classify("    x_test.go:1: LoadAll(5 names) returned while 5 of its 5 loads had not finished\n"))
	assert.Equal(t, Leak, Classify("    x_test.go:1: Count returned while 3 fetches were still running: goroutines left behind\n"))
	assert.Equal(t, Wrong, Classify("    x_test.go:1: 3 of the 3 Join() calls returned while f was still running\n--- FAIL: TestX (0.00s)\n"))
}

// The watchdog's explanation follows the state of the learner's goroutines, never a
// cause they do not show; and no generic text prescribes a remedy that only some
// chapters want (sync.Once is wrong for a cyclic barrier).
func TestStuckTextFollowsTheStacks(t *testing.T) {
	stanza := func(state string) []string {
		return []string{"goroutine 7 [" + state + "]:", "x/exercises/01_demo.F()", "\t/w/exercises/01_demo/code.go:3 +0x1"}
	}
	for _, tc := range []struct{ state, want string }{
		{"chan receive (nil chan)", "nil channel"},
		{"chan send (nil chan)", "nil channel"},
		{"sync.Mutex.Lock", "sync.Mutex"},
		{"sync.RWMutex.RLock", "sync.Mutex"},
		{"sync.Cond.Wait", "sync.Cond.Wait"},
		{"sync.WaitGroup.Wait", "WaitGroup.Wait"},
		{"chan receive, 2 minutes", "receive from a channel"},
		{"select", "select"},
		{"running", "spins"},
	} {
		assert.Contains(t, stuckText([][]string{stanza(tc.state)}), tc.want, "state %q", tc.state)
	}
	assert.Contains(t, stuckText([][]string{stanza("sync.Mutex.Lock"), stanza("chan receive (nil chan)")}), "nil channel",
		"the most specific state wins")
	assert.Equal(t, stuckFallback, stuckText(nil))
	for _, k := range kinds {
		assert.NotContains(t, k.Text, "sync.Once", "the text of %s", k.Kind)
	}
}

// go vet's findings in the exercise's own files come first, each with what it means;
// findings in another exercise's files are that exercise's business.
func TestVetReport(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "workbook", "explain", "vet.json"))
	require.NoError(t, err)
	ch := &manifest.Chapter{ID: "04_locks"}
	e := &manifest.Exercise{Name: "cache", Files: []string{"cache.go"}, Chapter: ch, Hints: []string{"h"}}
	r, ok := VetReport(e, string(b))
	require.True(t, ok)
	assert.Equal(t, Vet, r.Kind)
	assert.Equal(t, "exercises/04_locks/cache.go:41: Get passes lock by value: locks.Cache contains sync.RWMutex", r.Headline)
	assert.Contains(t, r.Message, "a copy of a sync.Mutex")
	assert.Contains(t, r.Message, "exercises/04_locks/cache.go:60: WaitGroup.Add called from inside new goroutine", "a Windows path")
	assert.NotContains(t, r.Message, "seats.go", "another exercise's file")
	_, ok = VetReport(&manifest.Exercise{Name: "seats2", Files: []string{"other.go"}, Chapter: ch}, string(b))
	assert.False(t, ok)
	_, ok = VetReport(e, "# not json\nexit status 1\n")
	assert.False(t, ok)
	reps := append([]Report{r}, Explain(demoExercise(), []Failure{{Test: "TestDemo", Output: "    x_test.go:1: wrong\n"}}, "go test")...)
	assert.Less(t, rank(Vet), rank(reps[1].Kind), "a vet finding is the most specific explanation")
}

// A failed example is summed up by what it printed first, not by the word "got:".
func TestExampleHeadline(t *testing.T) {
	out := "--- FAIL: ExampleStart (5.00s)\ngot:\ntask.Join() did not return within 5s\nwant:\nok\n"
	reps := Explain(demoExercise(), []Failure{{Test: "ExampleStart", Output: out}}, "go test")
	assert.Equal(t, "got: task.Join() did not return within 5s", reps[0].Headline)
}

// A test's own message heads the report; a goroutine of the learner's stuck on a nil
// channel is still named as the cause, and the bubble's leak after the message is not
// the headline.
func TestNilChannelUnderAWrongResult(t *testing.T) {
	out := "    task_test.go:40: Join() did not return after f returned: 3 of the 3 joiners are stuck\n" +
		"    task_test.go:22: Start(f): deadlock: main bubble goroutine has exited but blocked goroutines remain.\n" +
		"        goroutine 23 [chan receive (nil chan), synctest bubble 1]:\n" +
		"        x/exercises/01_goroutines.(*Task).Join(0xc0)\n" +
		"        \t/w/exercises/01_goroutines/task.go:31 +0x1b4\n" +
		"--- FAIL: TestTaskJoin (0.00s)\n"
	reps := Explain(demoExercise(), []Failure{{Test: "TestDemo", Output: out}}, "go test")
	assert.Equal(t, Wrong, reps[0].Kind)
	assert.Contains(t, reps[0].Headline, "Join() did not return")
	assert.Contains(t, reps[0].Text, "nil channel")
}

func TestSummaryLine(t *testing.T) {
	fix := &manifest.Exercise{Name: "add", Kind: "fix", Files: []string{"add.go"}, Tests: []string{"TestA", "TestB"},
		Chapter: &manifest.Chapter{ID: "01_demo"}}
	tests := &manifest.Exercise{Name: "own", Kind: "tests", Files: []string{"own_test.go"}, Tests: []string{"TestOwn"},
		Chapter: &manifest.Chapter{ID: "14_demo"}}
	for _, tc := range []struct {
		e    *manifest.Exercise
		v    Verdict
		want string
	}{
		{fix, Verdict{Passed: true, Seconds: 1.25}, "PASS  01_demo/add: all 2 tests pass under -race (1.2s)"},
		{fix, Verdict{Kind: Build, Failed: 2, Seconds: 0.5}, "FAIL  01_demo/add: the package does not build (0.5s)"},
		{fix, Verdict{Kind: Race, Failed: 1, Seconds: 2}, "FAIL  01_demo/add: 1 of 2 tests fail (2.0s)"},
		{tests, Verdict{Passed: true, LearnerTests: 3, Mutants: 7, Seconds: 4}, "PASS  14_demo/own: your 3 tests pass on the correct implementation and catch all 7 wrong ones (4.0s)"},
		{tests, Verdict{Kind: Wrong, Failed: 1, Seconds: 4}, "FAIL  14_demo/own: your tests (own_test.go) are not done yet (4.0s)"},
	} {
		if got := SummaryLine(tc.e, tc.v); got != tc.want {
			t.Errorf("SummaryLine(%s, %+v) = %q, want %q", tc.e.ID(), tc.v, got, tc.want)
		}
	}
}

func TestFirstLine(t *testing.T) {
	for _, tc := range []struct {
		in    string
		width int
		want  string
	}{
		{"\n  one\ntwo", 0, "one"},
		{"# example.com/p\n./p.go:3:1: syntax error\n", 0, "./p.go:3:1: syntax error"},
		{"héllo", 2, "h…"},
		{"", 0, ""},
		{"#hashtag", 0, "#hashtag"},
	} {
		if got := FirstLine(tc.in, tc.width); got != tc.want {
			t.Errorf("FirstLine(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
	}
}
