package explain

// Every sentence the tool says about a failure is in this file, so that it can be read,
// reviewed and translated in one place. A kind's Text may hold one %s: where the
// learner's code shows up on the stacks (Where, or nothing).

// kinds are tried in order on a failing test's output: the first that matches names the
// failure, so the most specific comes first. Crashes that name their cause come before
// the test support's diagnoses (busy waiting, a leak), which come before what the
// detectors and watchdogs see in general, which come before a plain wrong result.
var kinds = []kindInfo{
	{Kind: Vet,
		Title: "go vet knows this mistake",
		Text: "go vet found a concurrency mistake in your code before any test had to catch it: each finding above names the line and the mistake. " +
			"Fix these first; the tests' failures often follow from them."},
	{Kind: Build, Section: "What you build",
		Title: "it does not compile",
		Text: "The package did not build, so no test ran (and every exercise of the chapter fails with it). " +
			"The compiler's first message names the file, the line and the column; fix that one first, the others often follow from it. " +
			"Keep the names and signatures the tests call: the guide describes them."},
	{Kind: ConcurrentMap, Section: "Coming from Python", Match: `concurrent map (writes|read and map write|iteration and map write|clear and map write)`,
		Title: "concurrent map writes",
		Text: "The runtime caught two goroutines using the same map at once, at least one of them writing, and stopped the whole program: " +
			"a Go map is not safe for concurrent use, and this is a fatal error, not a panic you can recover. " +
			"Guard every access to the map (reads too) with one sync.Mutex, or give each goroutine a map of its own and merge them after they have all finished.%s"},
	{Kind: UnlockUnlocked, Match: `sync: R?[Uu]nlock of unlocked (RW)?[Mm]utex`,
		Title: "unlock of an unlocked mutex",
		Text: "Your code called Unlock on a sync.Mutex (or RWMutex) that was not locked: it unlocked twice, or on a path that never locked. " +
			"This is a fatal error, not a panic. Pair each Lock with exactly one Unlock, ideally `mu.Lock(); defer mu.Unlock()` on the next line, and never copy a struct that holds a mutex.%s"},
	{Kind: WaitGroupNegative, Match: `sync: negative WaitGroup counter`,
		Title: "a negative WaitGroup counter",
		Text: "wg.Done() was called more times than wg.Add added: the counter went below zero and the program panicked. " +
			"Add once per goroutine before starting it, call Done exactly once in it (defer wg.Done() as its first line), or let wg.Go(func() { ... }) do both.%s"},
	{Kind: SendClosed, Match: `send on closed channel`,
		Title: "send on a closed channel",
		Text: "A goroutine sent on a channel after it had been closed, which panics. " +
			"Only the sender may close a channel, and only once every send is over: when several goroutines send, " +
			"one goroutine waits for them all and then closes it, or the senders check a done channel first.%s"},
	{Kind: CloseClosed, Match: `close of (closed|nil) channel`,
		Title: "close of a closed channel",
		Text: "A channel was closed twice (or a nil channel was closed), which panics. " +
			"Close a channel exactly once, from the one place that knows every send is over: the hint below says where that is in this exercise.%s"},
	{Kind: BusyWait, Match: `(?i)busy[ -]wait|spins instead of|polls? .{0,40}sleep`,
		Title: "busy waiting",
		Text: "The test found your code polling: it sleeps (or spins) and looks again, instead of blocking until another goroutine tells it to go on. " +
			"Polling wastes a core, adds latency, and hides the moment the condition becomes true. " +
			"Wait on something that wakes you: a channel receive, wg.Wait(), or sync.Cond.Wait in a for loop.%s"},
	{Kind: Leak, Match: `(?i)found unexpected goroutines|main bubble goroutine has exited|returned while (?:goroutines|\d+ (?:of its \d+ )?\w+ (?:were|had not))|goroutines? (?:(?:are|were|was|is) )?left (?:behind|running)|goroutines? (?:(?:are|were|was|is) )?still running after|goroutine leak|leaked goroutine`,
		Title: "a goroutine leak",
		Text: "A function returned while goroutines it started were still running: nothing it returns to waits for them, so they outlive the call, and one that blocks never ends. " +
			"A function that starts goroutines must see them all end before it returns (wg.Wait(), or receive every result), " +
			"and give a goroutine that may block a way out (a buffered channel, or a select on ctx.Done()).%s"},
	{Kind: Race, Section: "Coming from Python", Match: `WARNING: DATA RACE|race detected during execution of test`,
		Title: "a data race",
		Text: "The race detector saw two goroutines touch the same memory, at least one writing, with nothing ordering them%s. " +
			"Every variable that two goroutines use needs one synchronisation: a sync.Mutex held around every access (reads too), an atomic, " +
			"or confinement (one goroutine owns it; the others send it values on a channel). " +
			"The detector reports each racing pair once per run: fix these and run again."},
	{Kind: BubbleDeadlock, Match: `deadlock: all goroutines in bubble are blocked`,
		Title: "a deadlock in the synctest bubble",
		Text: "Inside the test's synctest bubble every goroutine ended up blocked for good, on a channel, sync.Cond.Wait, WaitGroup.Wait or a sleep, " +
			"with nothing left to wake it: a deadlock, or a wake-up that was lost. " +
			"The stuck goroutines are listed with what each waits on: find the wake-up each one needs, and the goroutine that should have sent it.%s"},
	{Kind: Deadlock, Match: `all goroutines are asleep - deadlock!`,
		Title: "all goroutines are asleep: a deadlock",
		Text: "Every goroutine of the program was blocked, waiting on a channel or a lock that no other goroutine will ever operate, so the runtime stopped it. " +
			"Typical causes: a send on an unbuffered channel with no receiver, a receive from a channel nobody sends on or closes, or wg.Wait() for a Done that never comes. " +
			"The stacks say what each goroutine waits for ([chan send], [chan receive], [semacquire]).%s"},
	{Kind: Watchdog, Match: `did not finish within`,
		Title: "stuck: the watchdog stopped waiting",
		Text:  "The call under test did not return within the test's real-time limit, and the test printed the goroutines still running.%s"},
	{Kind: Timeout, Match: `(?m)^panic: test timed out after`,
		Title: "a timeout: the tests never finished",
		Text:  "The test binary ran into its time limit and was stopped with a dump of every goroutine: something waits for ever or never stops.%s"},
	{Kind: Panic, Match: `(?m)^\s*panic: |panicked`,
		Title: "a panic",
		Text: "The code panicked: the first line of the panic says why, the stack under it where.%s " +
			"A panic in a goroutine other than the test's kills the whole test binary, so the tests after it did not run."},
	{Kind: Wrong, Match: `(?m)^\s*--- FAIL: `,
		Title: "a wrong result",
		Text:  "The test's check failed: its message says what it expected, what came back, and often why.%s"},
	{Kind: NoTests, Section: "What you build",
		Title: "no tests", Headline: "no tests in %s",
		Text: "The file has no test: a function `func TestXxx(t *testing.T)`. Write one test for each property of the contract in the implementation's doc comment, and give it a name that says which.%s"},
	{Kind: FailsOnCorrect,
		Title: "your test fails on a correct implementation",
		Text: "The implementation given is correct, so a test that fails on it asks for something the contract does not promise, or depends on timing: " +
			"real sleeps and real clocks, or an order between goroutines that nothing guarantees. Check what the contract says, and make time fake (synctest).%s"},
	{Kind: Sleeps,
		Title: "a test that sleeps", Headline: "time.Sleep outside a synctest bubble: %s",
		Text: "A test that sleeps in real time to let goroutines get somewhere passes on a fast idle machine and flakes on a loaded one, and it is slow every time. " +
			"Inside a synctest bubble (synctest.Test, or guard.Bubble) time is fake: time.Sleep there costs nothing, and synctest.Wait waits until every goroutine is parked. The sleeps: %s."},
	{Kind: Hangs,
		Title: "a test that can hang", Headline: "your tests hang on a wrong implementation: %s",
		Text: "Your test waits for ever on a wrong implementation (%s): bound it. It ran into its time limit instead of failing, and a test that waits for a goroutine must bound the wait, " +
			"so that a wrong implementation fails the test with a message instead of hanging the run. In a synctest bubble a deadlock fails at once; outside one, wait with a timeout (guard.Run)."},
	{Kind: NotWritten,
		Title: "tests not written yet", Headline: "%s is still the starting code: it fails on purpose",
		Text: "This test is the stub the exercise starts with: it fails on purpose, with a TODO that says what to prove. " +
			"The implementation given is correct and not at fault: write the test."},
	{Kind: Refused,
		Title: "what your tests may not use", Headline: "%s",
		Text: "%s"},
	{Kind: Survives,
		Title: "a wrong implementation passes your tests", Headline: "%s",
		Text: "%s"},
	{Kind: NoVerdict,
		Title: "no test verdict",
		Text: "The test binary ended without reporting this test as passed or failed: it exited early, or was killed. " +
			"Look for os.Exit, log.Fatal or a crash in the output."},
}

// stuckTexts say what the learner's goroutines were doing when a watchdog or the binary's
// time limit stopped them, by the state the stacks show: the first state found in this
// order is the one explained (a nil channel is the most specific, a spin the least).
var stuckTexts = []struct {
	Match string // a regular expression on a goroutine's state, inside [ ]
	Text  string
}{
	{`^chan (send|receive) \(nil chan\)|^select \(no cases\)`,
		" Your goroutine waits on a nil channel, which blocks for ever: a channel that was never made (var ch chan T without make), or one set to nil. Make every channel you wait on, before any goroutine uses it."},
	{`^sync\.(RW)?Mutex\.R?Lock`,
		" Your goroutine waits for a sync.Mutex (or RWMutex) that is never unlocked: locked twice by one goroutine, held on a return path that forgot Unlock, or two locks taken in opposite orders by two goroutines."},
	{`^sync\.Cond\.Wait`,
		" Your goroutine waits in sync.Cond.Wait and nobody wakes it: a Signal or Broadcast is missing after the change it waits for, or it was sent before the waiter parked."},
	{`^sync\.WaitGroup\.Wait|^semacquire`,
		" Your goroutine waits in WaitGroup.Wait (or on a semaphore) for a Done that never comes: a goroutine that was counted never ended, or was never started."},
	{`^chan send`,
		" Your goroutine waits to send on a channel that nobody receives from any more."},
	{`^chan receive`,
		" Your goroutine waits to receive from a channel that nobody sends on or closes."},
	{`^select`,
		" Your goroutine waits in a select where no case can ever go on: give it a case that ends it (ctx.Done(), a closed channel)."},
	{`^sleep`,
		" Your goroutine sleeps in a loop: it polls instead of waiting to be woken, and what it polls for never comes."},
	{`^(running|runnable)`,
		" Your goroutine is running: it spins in a loop that never ends, or waits by polling."},
}

// stuckFallback is said when no goroutine of the learner's shows a known state.
var stuckFallback = " The stacks show what each goroutine is parked on, in brackets: [sync.Mutex.Lock], [chan receive], [select], ... Find your functions in them."

// vetTexts say what each go vet analyzer's finding means, in a learner's words.
var vetTexts = map[string]string{
	"copylocks": "a copy of a sync.Mutex (or of a struct that holds one) is another lock: goroutines that lock different copies do not exclude each other. " +
		"Use a pointer receiver (func (x *T)) and pass such a struct by pointer.",
	"lostcancel": "the cancel function of a context must be called on every path (defer cancel() on the next line), or its timer and goroutine live on.",
	"waitgroup": "wg.Add inside the goroutine it counts can run after wg.Wait, which then finds the count at 0 and returns at once: " +
		"count before the go statement, or use wg.Go.",
	"defers": "a defer evaluates its arguments when the defer statement runs, not when the function returns.",
	"atomic": "assigning the result of an atomic operation back to its variable is a plain write, not an atomic one.",
	"testinggoroutine": "t.Fatal, t.FailNow and require end the goroutine that calls them, not the test: " +
		"from a goroutine the test started, send the failure to the test's goroutine instead.",
}

// Phrases the reports are made of (SetLang changes them).
var (
	vetLineText      = "%s: %s: %s"
	whereText        = " The first line of your code on the stacks: %s."
	raceWhereText    = ": %s, and earlier %s"
	raceAccessText   = "%s %s %s"
	outsideText      = "code outside your files (the test or a library)"
	startedAtText    = "%s (started at %s)"
	readText         = "Read: %s"
	guideText        = "exercises/%s/README.md, section %q"
	hintsText        = "exercises/%s/README.md, section \"Hints\" › %q"
	hintText         = "Hint %d of %d: %s"
	moreHintsText    = "(more hints: go run ./cmd/workbook hint %s)"
	failLineText     = "FAIL  %s: %d of %d tests fail (%.1fs)"
	testsFailText    = "FAIL  %s: your tests (%s) are not done yet (%.1fs)"
	testsPassText    = "PASS  %s: your %d tests pass on the correct implementation and catch all %d wrong ones (%.1fs)"
	survivorText     = "A wrong implementation passes every test of yours: %s. What your tests do not check: %s."
	buildFailText    = "FAIL  %s: the package does not build (%.1fs)"
	passLineText     = "PASS  %s: all %d tests pass under -race (%.1fs)"
	detailText       = "── %s: %s ──"
	noMessageText    = "(the test printed no message of its own)"
	moreStacksText   = "... %d more goroutines not shown (the whole output: %s)"
	moreRacesText    = "... %d more data race reports not shown (the whole output: %s)"
	inGoroutine      = "in %s"
	notCheckedText   = "not checked: %s"
	tamperedText     = "%s, against %s: learners change only non-test files, so restore it (git checkout -- FILE); a maintainer who meant the change runs `%s`"
	rejectedText     = "the learner's files break the course's rules, so the chapter was not run: %s"
	changedWhileText = "changed while the tests ran: %s"
	andMoreText      = "and %d more"
)

// sectionNames are the guide's sections as the reports name them (SetLang translates them).
var sectionNames = map[string]string{}

// verbs of a race access, in the present and the past tense.
var raceVerbs = map[bool]map[string]string{
	false: {"read": "reads", "write": "writes", "atomic read": "reads atomically", "atomic write": "writes atomically"},
	true:  {"read": "read", "write": "wrote", "atomic read": "read atomically", "atomic write": "wrote atomically"},
}

// Short titles, for one line of status.
var shortTitles = map[Kind]string{
	Build: "does not compile", Timeout: "timed out", ConcurrentMap: "concurrent map writes",
	Deadlock: "deadlock", UnlockUnlocked: "unlock of unlocked mutex",
	WaitGroupNegative: "negative WaitGroup counter", SendClosed: "send on closed channel",
	CloseClosed: "close of closed channel", BubbleDeadlock: "deadlock in the bubble", BusyWait: "busy waiting",
	Race: "data race", Watchdog: "stuck (watchdog)", Leak: "goroutine leak",
	Panic: "panic", Wrong: "wrong result", NoVerdict: "no verdict",
	Vet: "go vet finding", NoTests: "no tests", FailsOnCorrect: "test fails on correct code", Sleeps: "test sleeps", Hangs: "test can hang",
	Survives: "a wrong implementation passes", Refused: "refused", NotWritten: "tests not written yet",
}
