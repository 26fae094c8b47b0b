// Package explain says why an exercise's tests failed: it separates each failing test's
// own message from stack dumps, recognises the kind of failure (a data race, a leak, busy
// waiting, a deadlock, ...), ranks the failing tests so that the most specific comes
// first, and picks the hint that belongs to that test.
package explain

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// Kind is a kind of failure. The names are stable: progress state keeps them.
type Kind string

// The kinds of failure, told apart by the table in text.go.
const (
	Build             Kind = "build"
	ConcurrentMap     Kind = "concurrent_map"
	UnlockUnlocked    Kind = "unlock_unlocked"
	WaitGroupNegative Kind = "waitgroup_negative"
	SendClosed        Kind = "send_closed"
	CloseClosed       Kind = "close_closed"
	BusyWait          Kind = "busy_wait"
	Leak              Kind = "leak"
	Race              Kind = "race"
	BubbleDeadlock    Kind = "synctest_deadlock"
	Deadlock          Kind = "deadlock"
	Watchdog          Kind = "watchdog"
	Timeout           Kind = "timeout"
	Panic             Kind = "panic"
	Wrong             Kind = "wrong"
	NoVerdict         Kind = "unknown"
	Vet               Kind = "vet" // go vet found a concurrency mistake in the exercise's files

	// The kinds of an exercise whose learner writes the tests (internal/mutation).
	NoTests        Kind = "no_tests"
	FailsOnCorrect Kind = "fails_on_correct"
	Sleeps         Kind = "sleeps"
	Hangs          Kind = "hangs"
	Survives       Kind = "survives"
	Refused        Kind = "refused"     // the tests use what the policy refuses (the real clock, introspection, ...)
	NotWritten     Kind = "not_written" // a test still as the starting code has it
)

type kindInfo struct {
	Kind     Kind
	Match    string // a regular expression on the test's output; empty: never matched by output
	Title    string
	Text     string
	Section  string // the guide section to read; empty means Hints
	Headline string // for a kind not read from output: the headline, with one %s
	re       *regexp.Regexp
}

var stuckRes []*regexp.Regexp

func init() {
	for _, st := range stuckTexts {
		stuckRes = append(stuckRes, regexp.MustCompile(st.Match))
	}
	for i := range kinds {
		if kinds[i].Match != "" {
			kinds[i].re = regexp.MustCompile(kinds[i].Match)
		}
	}
}

func info(k Kind) kindInfo {
	for _, ki := range kinds {
		if ki.Kind == k {
			return ki
		}
	}
	return kinds[len(kinds)-1]
}

// rank orders kinds: a lower rank is more specific.
func rank(k Kind) int {
	return slices.IndexFunc(kinds, func(ki kindInfo) bool { return ki.Kind == k })
}

// Title returns a few words that name a kind, like "a data race".
func Title(k Kind) string { return info(k).Title }

// Short returns a kind's name for one line of status, like "data race".
func Short(k Kind) string {
	if s, ok := shortTitles[k]; ok {
		return s
	}
	return string(k)
}

// Classify returns the kind of failure a failing test's output shows.
func Classify(output string) Kind {
	for _, ki := range kinds {
		if ki.re != nil && ki.re.MatchString(output) {
			return ki.Kind
		}
	}
	return NoVerdict
}

// Failure is one failing test of an exercise, as the runner reported it.
type Failure struct {
	Test      string   // the top-level test
	Output    string   // its own output, subtests included
	Subtests  []string // its failing subtests, full names
	NoVerdict bool     // it reported nothing: the process ended before it did
}

// Report is what the explainer says about one failing test.
type Report struct {
	Test     string
	Kind     Kind
	Title    string
	Message  string // the test's own message, whole, without stack dumps
	Headline string // the message's first line, or the detector's
	Text     string // the kind's explanation, with where the learner's code is
	Detail   string // the learner's goroutines and race reports, trimmed
	Read     string // the guide section to read
	Hint     int    // 1-based index of the hint that belongs to this failure
}

// Explain explains the failures of exercise e, most specific first (by kind, then in
// the manifest's order of tests). command is how to see the whole output.
func Explain(e *manifest.Exercise, failures []Failure, command string) []Report {
	var reps []Report
	for _, f := range failures {
		kind := Classify(f.Output)
		if f.NoVerdict && kind == Wrong {
			kind = NoVerdict
		}
		msg, headline, stanzas, races := split(f.Output)
		if kind == Leak && !info(Leak).re.MatchString(headline) && leakIsConsequence(msg, headline) {
			// The test's own first message says what went wrong; the goroutines the
			// bubble found left behind afterwards are its consequence (a Join stuck on a
			// nil channel is still there when the test ends).
			kind = Wrong
		}
		ki := info(kind)
		r := Report{Test: f.Test, Kind: kind, Title: ki.Title, Message: msg, Headline: headline,
			Hint: hintFor(e, append([]string{f.Test}, f.Subtests...))}
		where := ""
		if kind == Race {
			where = raceWhere(f.Output)
		} else if loc := firstLearner(f.Output); loc != "" {
			where = fmt.Sprintf(whereText, loc)
		}
		switch {
		case kind == Watchdog || kind == Timeout || kind == BubbleDeadlock:
			where = stuckText(stanzas) + where
		case stuckOnNil(stanzas):
			// Whatever the test saw, a goroutine of the learner's blocked on a nil
			// channel is the cause worth naming.
			where = stuckTexts[0].Text + where
		}
		r.Text = ki.Text
		if strings.Contains(ki.Text, "%s") {
			r.Text = fmt.Sprintf(ki.Text, where)
		}
		r.Detail = detail(stanzas, races, command)
		r.Read = guideRef(e, ki.Section)
		reps = append(reps, r)
	}
	order := map[string]int{}
	for i, t := range e.Tests {
		order[t] = i
	}
	slices.SortStableFunc(reps, func(a, b Report) int {
		if d := rank(a.Kind) - rank(b.Kind); d != 0 {
			return d
		}
		return order[a.Test] - order[b.Test]
	})
	return reps
}

// BuildReport explains a build failure of e's chapter.
func BuildReport(e *manifest.Exercise, output string) Report {
	ki := info(Build)
	first, _, _ := strings.Cut(strings.TrimSpace(output), "\n")
	return Report{Kind: Build, Title: ki.Title, Message: strings.TrimSpace(output), Headline: first,
		Text: ki.Text, Read: guideRef(e, ki.Section), Hint: 1}
}

func guideRef(e *manifest.Exercise, section string) string {
	if section == "" {
		return fmt.Sprintf(hintsText, e.Chapter.ID, e.Name)
	}
	if name, ok := sectionNames[section]; ok {
		section = name
	}
	return fmt.Sprintf(guideText, e.Chapter.ID, section)
}

// hintFor returns the hint tied to the longest HintFor key that names one of names (a
// test or a subtest) or a parent of one; 1 if none does.
func hintFor(e *manifest.Exercise, names []string) int {
	best, bestLen := 1, -1
	for key, n := range e.HintFor {
		for _, name := range names {
			if (name == key || strings.HasPrefix(name, key+"/")) && len(key) > bestLen && n >= 1 && n <= len(e.Hints) {
				best, bestLen = n, len(key)
			}
		}
	}
	return best
}

var (
	noise      = regexp.MustCompile(`^\s*(=== (RUN|PAUSE|CONT|NAME)\s|--- (PASS|FAIL|SKIP): |PASS$|FAIL$|ok\s|FAIL\s+\S+\s+[\d.]+s$|exit status \d+$)`)
	stanzaHead = regexp.MustCompile(`^\s*goroutine \d+ \[`)
	assertion  = regexp.MustCompile(`^\s+\S+\.go:\d+: (.*)$`)
	raceSep    = "=================="
)

// split separates a test's output into its own message (the lines it printed, without
// stack dumps and race reports), the headline, the goroutine stanzas and the race reports.
func split(out string) (msg, headline string, stanzas, races [][]string) {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	var kept []string
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch {
		case strings.TrimSpace(l) == raceSep && i+1 < len(lines) && strings.TrimSpace(lines[i+1]) == "WARNING: DATA RACE":
			j := i + 1
			for j < len(lines) && strings.TrimSpace(lines[j]) != raceSep {
				j++
			}
			races = append(races, lines[i:min(j+1, len(lines))])
			i = j
			continue
		case stanzaHead.MatchString(l):
			indent := l[:len(l)-len(strings.TrimLeft(l, " "))]
			j := i + 1
			for j < len(lines) && strings.TrimSpace(lines[j]) != "" && strings.HasPrefix(lines[j], indent) &&
				!noise.MatchString(lines[j]) {
				j++
			}
			stanzas = append(stanzas, lines[i:j])
			i = j - 1
			continue
		case noise.MatchString(l):
			continue
		}
		kept = append(kept, l)
	}
	kept = compactBlank(kept)
	for i, l := range kept {
		if m := assertion.FindStringSubmatch(l); m != nil && !strings.Contains(l, "testing.go:") {
			headline = strings.TrimSpace(m[1])
			if headline == "" { // testify: the message is on a Messages: (or Error:) line below
				headline = testifyMessage(kept[i+1:])
			}
			if headline != "" {
				break
			}
		}
	}
	if headline == "" {
		for _, l := range kept {
			if t := strings.TrimSpace(l); t != "" {
				if m := assertion.FindStringSubmatch(l); m != nil {
					t = m[1]
				}
				headline = t
				break
			}
		}
	}
	if headline == "got:" { // a failed example: what it printed first, not the word
		for i, l := range kept {
			if strings.TrimSpace(l) == "got:" && i+1 < len(kept) {
				headline = "got: " + strings.TrimSpace(kept[i+1])
				break
			}
		}
	}
	if headline == "" && len(races) > 0 {
		headline = "WARNING: DATA RACE"
	}
	if headline == "" {
		headline = noMessageText
	}
	return strings.Join(kept, "\n"), headline, stanzas, races
}

var testifyField = regexp.MustCompile(`^\s+(Messages|Error):\s+(.*)$`)

// testifyMessage returns the Messages: field of a testify failure, or its Error: field.
func testifyMessage(lines []string) string {
	msg := ""
	for _, l := range lines {
		if assertion.MatchString(l) {
			break
		}
		if m := testifyField.FindStringSubmatch(l); m != nil {
			if m[1] == "Messages" {
				return strings.TrimSpace(m[2])
			}
			if msg == "" {
				msg = strings.TrimSpace(m[2])
			}
		}
	}
	return msg
}

// compactBlank removes blank lines at the ends and runs of blank lines.
func compactBlank(lines []string) []string {
	var out []string
	for _, l := range lines {
		if strings.TrimSpace(l) == "" && (len(out) == 0 || strings.TrimSpace(out[len(out)-1]) == "") {
			continue
		}
		out = append(out, l)
	}
	for len(out) > 0 && strings.TrimSpace(out[len(out)-1]) == "" {
		out = out[:len(out)-1]
	}
	return out
}

// maxStanzas and maxRaces bound the detail a report shows.
const (
	maxStanzas = 4
	maxRaces   = 2
)

// detail keeps the goroutines running the learner's code (at most maxStanzas) and the
// first race reports.
func detail(stanzas, races [][]string, command string) string {
	var b []string
	shown := 0
	for _, r := range races[:min(len(races), maxRaces)] {
		b = append(b, strings.Join(r, "\n"))
	}
	if len(races) > maxRaces {
		b = append(b, fmt.Sprintf(moreRacesText, len(races)-maxRaces, command))
	}
	mine := 0
	for _, s := range stanzas {
		if len(learnerFrames(s)) == 0 {
			continue
		}
		mine++
		if shown < maxStanzas {
			b = append(b, strings.Join(s, "\n"))
			shown++
		}
	}
	if mine > shown {
		b = append(b, fmt.Sprintf(moreStacksText, mine-shown, command))
	}
	return strings.Join(b, "\n\n")
}

// About makes a report of a kind that is not read from a test's output: what the tool
// found about the learner's own tests. what fills the %s of the kind's text and, when
// headline is empty, of its headline (a place, a bug).
func About(e *manifest.Exercise, kind Kind, test, headline, message, what string) Report {
	ki := info(kind)
	if headline == "" && ki.Headline != "" {
		headline = fmt.Sprintf(ki.Headline, what)
	}
	text := ki.Text
	if strings.Contains(text, "%s") {
		text = fmt.Sprintf(text, what)
	}
	return Report{Test: test, Kind: kind, Title: ki.Title, Headline: headline, Message: message, Text: text,
		Read: guideRef(e, ki.Section), Hint: hintFor(e, []string{test})}
}

// goroutineState matches a stanza's first line and captures the state in brackets, up
// to a comma ("chan receive (nil chan)" of "goroutine 7 [chan receive (nil chan), 2 minutes]:").
var goroutineState = regexp.MustCompile(`^\s*goroutine \d+ \[([^,\]]+)`)

// stuckOnNil reports whether a goroutine of the learner's waits on a nil channel.
func stuckOnNil(stanzas [][]string) bool {
	for _, s := range stanzas {
		if m := goroutineState.FindStringSubmatch(s[0]); m != nil && stuckRes[0].MatchString(m[1]) && len(learnerFrames(s)) > 0 {
			return true
		}
	}
	return false
}

// stuckText says what the learner's goroutines were doing when they were stopped: the
// most specific of their states, from stuckTexts.
func stuckText(stanzas [][]string) string {
	var states []string
	for _, s := range stanzas {
		if len(learnerFrames(s)) == 0 {
			continue
		}
		if m := goroutineState.FindStringSubmatch(s[0]); m != nil {
			states = append(states, m[1])
		}
	}
	for i, re := range stuckRes {
		if slices.ContainsFunc(states, re.MatchString) {
			return stuckTexts[i].Text
		}
	}
	return stuckFallback
}

// leakIsConsequence reports whether a leak reported in msg comes after the test's own
// headline, in a message of the test support (guard) that ends the bubble: the headline
// names the failure, and what was left behind follows from it.
func leakIsConsequence(msg, headline string) bool {
	at := strings.Index(msg, headline)
	loc := info(Leak).re.FindStringIndex(msg)
	return at >= 0 && loc != nil && loc[0] > at+len(headline) &&
		strings.Contains(msg[at+len(headline):], "main bubble goroutine has exited")
}
