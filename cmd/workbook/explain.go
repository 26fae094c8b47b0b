package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// The kinds of failure the explainer tells apart. The names are stable: the state file
// keeps them, and testdata/workbook/explain/<kind>.txt holds a real output of each.
const (
	kindBuild             = "build"
	kindTimeout           = "timeout"
	kindConcurrentMap     = "concurrent_map"
	kindDeadlock          = "deadlock"
	kindUnlockUnlocked    = "unlock_unlocked"
	kindWaitGroupNegative = "waitgroup_negative"
	kindSendClosed        = "send_closed"
	kindCloseClosed       = "close_closed"
	kindSynctestDeadlock  = "synctest_deadlock"
	kindRace              = "race"
	kindWatchdog          = "watchdog"
	kindLeak              = "leak"
	kindPanic             = "panic"
	kindWrong             = "wrong"
	kindUnknown           = "unknown"
)

// classifiers are tried in order; the first that matches names the failure. Crashes come
// first (they ended the run, whatever else was reported), then the race detector, then
// the test support's reports, then ordinary failed assertions.
var classifiers = []struct {
	kind string
	re   *regexp.Regexp
}{
	{kindBuild, regexp.MustCompile(`(?m)(^# \S+.*\n\S+\.go:\d+(:\d+)?: |\[(build|setup) failed\])`)},
	{kindTimeout, regexp.MustCompile(`(?m)^panic: test timed out after`)},
	{kindConcurrentMap, regexp.MustCompile(`fatal error: concurrent map (writes|read and map write|iteration and map write|clear and map write)`)},
	{kindDeadlock, regexp.MustCompile(`fatal error: all goroutines are asleep - deadlock!`)},
	{kindUnlockUnlocked, regexp.MustCompile(`sync: R?[Uu]nlock of unlocked (RW)?[Mm]utex`)},
	{kindWaitGroupNegative, regexp.MustCompile(`sync: negative WaitGroup counter`)},
	{kindSendClosed, regexp.MustCompile(`(?m)^panic: send on closed channel`)},
	{kindCloseClosed, regexp.MustCompile(`(?m)^panic: close of (closed|nil) channel`)},
	{kindSynctestDeadlock, regexp.MustCompile(`deadlock: (all goroutines in bubble are blocked|main bubble goroutine has exited but blocked goroutines remain)`)},
	{kindRace, regexp.MustCompile(`(?m)^WARNING: DATA RACE$`)},
	{kindWatchdog, regexp.MustCompile(`did not finish within \S+`)},
	{kindLeak, regexp.MustCompile(`found unexpected goroutines`)},
	{kindPanic, regexp.MustCompile(`(?m)^panic: `)},
	{kindWrong, regexp.MustCompile(`(?m)^\s*--- FAIL: `)},
}

// classify returns the kind of failure that a test binary's output (or the compiler's)
// shows, and the other kinds also present in it.
func classify(out string) (kind string, also []string) {
	kind = kindUnknown
	for _, c := range classifiers {
		if !c.re.MatchString(out) {
			continue
		}
		if kind == kindUnknown {
			kind = c.kind
		} else if c.kind != kindWrong && c.kind != kindPanic {
			also = append(also, c.kind)
		}
	}
	return kind, also
}

// explanation is what the explainer says about one failure.
type explanation struct {
	Kind  string // one of the kind constants
	Title string // a few words, like "a data race"
	Text  string // a few teaching sentences, with file:line of the learner's code where known
}

// codeLoc is a place in the learner's code: a frame under exercises/ (or solutions/).
type codeLoc struct {
	File string // relative, like exercises/03_race/mutex.go
	Line string
	Func string // short, like countLetters
}

func (l codeLoc) String() string {
	if l.Func == "" {
		return l.File + ":" + l.Line
	}
	return fmt.Sprintf("%s:%s (%s)", l.File, l.Line, l.Func)
}

var (
	frameFunc = regexp.MustCompile(`^\s*(\S+)\([^()]*\)$`)
	frameFile = regexp.MustCompile(`^\s+(\S+\.go):(\d+)(\s|$)`)
)

// learnerFrames returns the frames of a stack (lines of function, then file:line) that
// lie in the learner's files: under exercises/ or solutions/ and not a _test.go file,
// innermost first.
func learnerFrames(lines []string) []codeLoc {
	var locs []codeLoc
	for i := 1; i < len(lines); i++ {
		m := frameFile.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		rel := relTree(m[1])
		if rel == "" || strings.HasSuffix(rel, "_test.go") {
			continue
		}
		fn := ""
		if f := frameFunc.FindStringSubmatch(lines[i-1]); f != nil && !frameFile.MatchString(lines[i-1]) {
			fn = shortFunc(f[1])
		}
		locs = append(locs, codeLoc{File: rel, Line: m[2], Func: fn})
	}
	return locs
}

// relTree returns path from its exercises/ or solutions/ element on, or "" if it has none.
func relTree(path string) string {
	path = strings.ReplaceAll(path, `\`, "/")
	for _, tree := range []string{"exercises/", "solutions/"} {
		if strings.HasPrefix(path, tree) {
			return path
		}
		if i := strings.LastIndex(path, "/"+tree); i >= 0 {
			return path[i+1:]
		}
	}
	return ""
}

// shortFunc turns "github.com/x/workbook/exercises/03_race.(*T).countLetters.gowrap1"
// into "(*T).countLetters".
func shortFunc(fn string) string {
	if i := strings.LastIndex(fn, "/"); i >= 0 {
		fn = fn[i+1:]
	}
	if _, rest, ok := strings.Cut(fn, "."); ok {
		fn = rest
	}
	for _, suffix := range []string{".gowrap", ".func"} {
		if i := strings.Index(fn, suffix); i > 0 {
			fn = fn[:i]
		}
	}
	return fn
}

// raceAccess is one side of a data race: what it did, which goroutine, where, and where
// that goroutine was started.
type raceAccess struct {
	Op        string // "Write", "Previous read", ...
	Goroutine string // "goroutine 29" or "main goroutine"
	At        []codeLoc
	CreatedAt []codeLoc
}

var (
	raceAccessRE  = regexp.MustCompile(`^((?:Previous )?(?:[Aa]tomic )?(?:[Rr]ead|[Ww]rite)) at 0x[0-9a-f]+ by (goroutine \d+|main goroutine):$`)
	raceCreatedRE = regexp.MustCompile(`^Goroutine (\d+) \(\w+\) created at:$`)
)

// raceReports parses every "WARNING: DATA RACE" report of out into its two accesses.
func raceReports(out string) [][]raceAccess {
	var reports [][]raceAccess
	for _, block := range strings.Split(out, "WARNING: DATA RACE\n")[1:] {
		block, _, _ = strings.Cut(block, "==================")
		var accesses []raceAccess
		created := map[string][]codeLoc{}
		for _, para := range strings.Split(block, "\n\n") {
			lines := strings.Split(strings.Trim(para, "\n"), "\n")
			if m := raceAccessRE.FindStringSubmatch(lines[0]); m != nil {
				accesses = append(accesses, raceAccess{Op: m[1], Goroutine: m[2], At: learnerFrames(lines)})
			} else if m := raceCreatedRE.FindStringSubmatch(lines[0]); m != nil {
				created["goroutine "+m[1]] = learnerFrames(lines)
			}
		}
		for i := range accesses {
			accesses[i].CreatedAt = created[accesses[i].Goroutine]
		}
		if len(accesses) > 0 {
			reports = append(reports, accesses)
		}
	}
	return reports
}

// describe says where the access happened, what it did and in which goroutine; past
// puts the verb in the past tense.
func (a raceAccess) describe(past bool) string {
	where := "code outside your files (the test or a library)"
	if len(a.At) > 0 {
		where = a.At[0].String()
	}
	op := strings.ToLower(strings.TrimPrefix(a.Op, "Previous "))
	verb := map[bool]map[string]string{
		false: {"read": "reads", "write": "writes", "atomic read": "reads atomically", "atomic write": "writes atomically"},
		true:  {"read": "read", "write": "wrote", "atomic read": "read atomically", "atomic write": "wrote atomically"},
	}[past][op]
	if verb == "" {
		verb = "touches"
	}
	who := "in " + a.Goroutine
	if len(a.CreatedAt) > 0 {
		who += " (started at " + a.CreatedAt[0].String() + ")"
	}
	return fmt.Sprintf("%s %s %s", where, verb, who)
}

// guideRef names a section of the exercise's chapter guide.
func guideRef(e *manifest.Exercise, section string) string {
	if section == "Hints" {
		return fmt.Sprintf("exercises/%s/README.md, section \"Hints\" › \"%s\"", e.Chapter.ID, e.Name)
	}
	return fmt.Sprintf("exercises/%s/README.md, section \"%s\"", e.Chapter.ID, section)
}

// explain classifies out and explains the failure to the learner working on e.
func explain(e *manifest.Exercise, out string) explanation {
	kind, also := classify(out)
	x := explanation{Kind: kind}
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	firstLearner := func() string {
		if locs := learnerFrames(strings.Split(out, "\n")); len(locs) > 0 {
			return locs[0].String()
		}
		return ""
	}
	at := func() string {
		if loc := firstLearner(); loc != "" {
			return " The first line of your code on the stacks above: " + loc + "."
		}
		return ""
	}
	section := "Hints"
	switch kind {
	case kindBuild:
		x.Title = "it does not compile"
		p("The package did not build, so no test ran (and every exercise of the chapter fails with it). " +
			"The compiler's first message above names the file, the line and the column; fix that one first, the others often follow from it. " +
			"Keep the names and signatures the tests call: they are described in the guide.")
		section = "What you build"
	case kindTimeout:
		x.Title = "a timeout: the tests never finished"
		p("The test binary ran into its time limit and was stopped with a dump of every goroutine. "+
			"Something waits forever: usually a goroutine blocked on a sync.Mutex that is never unlocked (Lock twice in one goroutine, or two locks taken in opposite orders), "+
			"a channel operation nobody answers, or a loop that never ends. "+
			"Look for the goroutines parked in [sync.Mutex.Lock], [chan send] or [chan receive] under your functions.%s", at())
	case kindConcurrentMap:
		x.Title = "concurrent map writes"
		p("The runtime caught two goroutines using the same map at once, at least one of them writing, and stopped the whole program: "+
			"a Go map is not safe for concurrent use and this is not a panic you can recover. "+
			"Guard every access to the map (reads too) with one sync.Mutex, or give each goroutine a map of its own and merge them after wg.Wait().%s", at())
		section = "Coming from Python"
	case kindDeadlock:
		x.Title = "all goroutines are asleep: a deadlock"
		p("Every goroutine of the program was blocked, waiting on a channel or a lock that no other goroutine will ever operate, so the runtime stopped it. "+
			"Typical causes: a send on an unbuffered channel with no receiver running yet, a receive from a channel nobody sends on or closes, or wg.Wait() for a Done that never comes. "+
			"The stacks above say what each goroutine waits for ([chan send], [chan receive], [semacquire]).%s", at())
	case kindUnlockUnlocked:
		x.Title = "unlock of an unlocked mutex"
		p("Your code called Unlock on a sync.Mutex (or RWMutex) that was not locked: it unlocked twice, or on a path that never locked. "+
			"This is a fatal error, not a panic. Pair each Lock with exactly one Unlock, ideally `mu.Lock(); defer mu.Unlock()` on the next line, and never copy a struct that holds a mutex.%s", at())
	case kindWaitGroupNegative:
		x.Title = "a negative WaitGroup counter"
		p("wg.Done() was called more times than wg.Add added: the counter went below zero and the program panicked. "+
			"Add once per goroutine before starting it, call Done exactly once in it (defer wg.Done() as its first line), or let wg.Go(func() { ... }) do both for you.%s", at())
	case kindSendClosed:
		x.Title = "send on a closed channel"
		p("A goroutine sent on a channel after it had been closed, which panics. "+
			"Only the sender may close a channel, and only once every send is done: when several goroutines send, close it after they have all finished "+
			"(a WaitGroup, then close, in one goroutine) instead of from one of the senders.%s", at())
	case kindCloseClosed:
		x.Title = "close of a closed channel"
		p("A channel was closed twice (or a nil channel was closed), which panics. "+
			"Close a channel exactly once, from the one place that knows every send is over: when several goroutines send, one goroutine waits for them all (wg.Wait()) and then closes it. "+
			"If several paths may close, sync.Once makes the close happen once.%s", at())
	case kindSynctestDeadlock:
		x.Title = "a deadlock in the synctest bubble"
		p("Inside the test's synctest bubble every goroutine ended up durably blocked (on a channel, sync.Cond.Wait, WaitGroup.Wait or time.Sleep) with nothing left to wake them: a deadlock or a lost wake-up. "+
			"The stuck goroutines are listed above with what they wait on. "+
			"Check that every wait has a matching wake-up: each Put signals a waiting Get and vice versa, Close broadcasts, every receive has a send or a close, and nobody sleeps in a loop to poll.%s", at())
	case kindRace:
		x.Title = "a data race"
		reports := raceReports(out)
		if len(reports) > 0 && len(reports[0]) >= 2 {
			a, b := reports[0][0], reports[0][1]
			p("The race detector saw two goroutines touch the same memory with nothing ordering them: %s, and earlier %s. ",
				a.describe(false), b.describe(true))
		} else {
			p("The race detector saw two goroutines touch the same memory with nothing ordering them. ")
		}
		var mine []string
		seen := map[string]bool{}
		for _, r := range reports {
			for _, a := range r {
				if len(a.At) > 0 && !seen[a.At[0].String()] {
					seen[a.At[0].String()] = true
					mine = append(mine, a.At[0].File+":"+a.At[0].Line)
				}
			}
		}
		if len(mine) > 0 {
			p("Lines of yours in the race reports: %s. ", strings.Join(mine, ", "))
		}
		p("Every variable that two goroutines use, one of them writing, needs one synchronisation: a sync.Mutex held around every access (reads too), an atomic, " +
			"or confinement (one goroutine owns it; the others send it values on a channel). " +
			"The detector reports each racing pair once per run: fix these and run again.")
		section = "Coming from Python"
	case kindWatchdog:
		x.Title = "stuck: the watchdog stopped waiting"
		p("The call under test did not return within the test's real-time limit, and the test printed the goroutines still running. "+
			"Some goroutine waits on a sync.Mutex that is never unlocked (locked twice by one goroutine, or two locks taken in opposite orders by two goroutines), "+
			"or spins. Find your functions in the stacks above: [sync.Mutex.Lock] says which lock it waits for.%s", at())
	case kindLeak:
		x.Title = "a goroutine leak"
		p("The tests finished but goroutines your code started were still running (goleak lists them above, with the line that started each). "+
			"A function that starts goroutines must make sure they all end before it returns: wait for them (wg.Wait()), "+
			"and give blocked senders a way out (a buffered channel, or select on ctx.Done()).%s", at())
	case kindPanic:
		x.Title = "a panic"
		p("The code panicked and the test binary stopped: the first line of the panic says why, the stack under it where.%s "+
			"A panic in a goroutine other than the test's kills the whole binary, so the tests after it did not run.", at())
	case kindWrong:
		x.Title = "a wrong result"
		p("The code ran to the end but a test's check failed: the messages under --- FAIL say what was expected and what came back, and often why. " +
			"Read the first one closely; later ones often follow from it.")
		section = "What you build"
	default:
		x.Title = "no test verdict"
		p("The test binary ended without reporting the tests as passed or failed (it exited early, or was killed). " +
			"Look for os.Exit, log.Fatal or a crash in the output above.")
	}
	for _, k := range also {
		if k == kindRace && kind != kindRace {
			p(" The race detector also reported a data race: fix it too.")
		}
	}
	p("\n\nRead: %s", guideRef(e, section))
	if section != "Hints" {
		p("; hints: %s", guideRef(e, "Hints"))
	}
	p(".\nFirst hint: %s\n(more: go run ./cmd/workbook hint %s)", e.Hints[0], e.ID())
	x.Text = b.String()
	return x
}
