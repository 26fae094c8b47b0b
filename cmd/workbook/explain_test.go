package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// captures are real outputs (testdata/workbook/explain/README.md says how each was
// made), the kind each must be classified as, and what its explanation must mention.
var captures = []struct {
	file    string
	kind    string
	mention []string
}{
	{"race.txt", kindRace, []string{"exercises/01_race/code.go:12 (Count) reads in goroutine 10", "wrote in goroutine 9", "Coming from Python"}},
	{"concurrent_map.txt", kindConcurrentMap, []string{"exercises/02_concurrent_map/code.go:12", "sync.Mutex"}},
	{"deadlock.txt", kindDeadlock, []string{"exercises/03_deadlock/code.go:7 (Sum)"}},
	{"synctest_deadlock.txt", kindSynctestDeadlock, []string{"exercises/04_synctest_deadlock/code.go:9 (Wait)"}},
	{"synctest_deadlock_raw.txt", kindSynctestDeadlock, []string{"exercises/05_synctest_deadlock_raw/code.go:"}},
	{"watchdog.txt", kindWatchdog, []string{"exercises/06_watchdog/code.go:15 (Transfer)", "sync.Mutex"}},
	{"leak.txt", kindLeak, []string{"exercises/07_leak/code.go:9 (First)"}},
	{"waitgroup_negative.txt", kindWaitGroupNegative, []string{"exercises/08_waitgroup_negative/code.go:", "wg.Done()"}},
	{"unlock_unlocked.txt", kindUnlockUnlocked, []string{"exercises/09_unlock_unlocked/code.go:16 ((*Counter).Inc)", "Unlock"}},
	{"send_closed.txt", kindSendClosed, []string{"exercises/10_send_closed/code.go:11 (Produce)"}},
	{"close_closed.txt", kindCloseClosed, []string{"exercises/11_close_closed/code.go:", "exactly once"}},
	{"timeout.txt", kindTimeout, []string{"exercises/12_timeout/code.go:", "sync.Mutex"}},
	{"build.txt", kindBuild, []string{"did not build", `section "What you build"`}},
	{"wrong.txt", kindWrong, []string{"--- FAIL", `section "What you build"`}},
	{"workbook_03_race_mutex.txt", kindRace, []string{"exercises/03_race/mutex.go:23 (countLetters)", "exercises/03_race/mutex.go:26", "exercises/03_race/mutex.go:40"}},
	{"workbook_05_deadlock_transfer.txt", kindWatchdog, []string{"exercises/05_deadlock/transfer.go:"}},
	{"workbook_05_deadlock_dine.txt", kindWrong, nil},
	{"workbook_06_conditions_cond.txt", kindSynctestDeadlock, []string{"exercises/06_conditions/buffer.go:69 ((*Buffer).Get)"}},
	{"workbook_06_conditions_close.txt", kindSynctestDeadlock, []string{"exercises/06_conditions/buffer.go:69"}},
	{"workbook_09_hashing_stream.txt", kindWrong, nil},
}

func demoExercise() *manifest.Exercise {
	ch := &manifest.Chapter{ID: "01_demo", Title: "Demo"}
	e := &manifest.Exercise{Name: "demo", Title: "Demo", Files: []string{"code.go"}, Tests: []string{"TestDemo"},
		Hints: []string{"The first hint.", "The second hint."}, Chapter: ch}
	ch.Exercises = []*manifest.Exercise{e}
	return e
}

func TestExplainCaptures(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "workbook", "explain")
	seen := map[string]bool{}
	for _, c := range captures {
		t.Run(strings.TrimSuffix(c.file, ".txt"), func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, c.file))
			if err != nil {
				t.Fatal(err)
			}
			x := explain(demoExercise(), string(b))
			if x.Kind != c.kind {
				t.Fatalf("classified as %q, want %q", x.Kind, c.kind)
			}
			seen[x.Kind] = true
			text := x.Text
			for _, want := range append(c.mention, "exercises/01_demo/README.md", "First hint: The first hint.") {
				if !strings.Contains(text, want) {
					t.Errorf("the explanation does not mention %q:\n%s", want, text)
				}
			}
			if x.Title == "" {
				t.Error("no title")
			}
			shown := trimOutput(string(b), "go test ...")
			if n := strings.Count(shown, "WARNING: DATA RACE"); n > 2 {
				t.Errorf("trimmed output shows %d race reports, want at most 2", n)
			}
			if strings.Count(shown, "\n") > maxShown+3 {
				t.Errorf("trimmed output has %d lines", strings.Count(shown, "\n"))
			}
			if strings.Contains(shown, "=== RUN") {
				t.Error("trimmed output keeps the === RUN lines")
			}
		})
	}
	for _, k := range []string{kindBuild, kindTimeout, kindConcurrentMap, kindDeadlock, kindUnlockUnlocked,
		kindWaitGroupNegative, kindSendClosed, kindCloseClosed, kindSynctestDeadlock, kindRace,
		kindWatchdog, kindLeak, kindWrong} {
		if !seen[k] {
			t.Errorf("no capture of kind %s", k)
		}
	}
}

func TestTrimOutputKeepsLearnerGoroutines(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "workbook", "explain", "timeout.txt"))
	if err != nil {
		t.Fatal(err)
	}
	shown := trimOutput(string(b), "go test ...")
	if !strings.Contains(shown, "exercises/12_timeout/code.go") || !strings.Contains(shown, "panic: test timed out") {
		t.Errorf("the trimmed timeout lost the panic or the learner's goroutine:\n%s", shown)
	}
}

func TestClassifyPassingOutput(t *testing.T) {
	if k, _ := classify("=== RUN   TestA\n--- PASS: TestA (0.00s)\nPASS\n"); k != kindUnknown {
		t.Errorf("a passing output classified as %q", k)
	}
}
