package explain

import (
	"fmt"
	"regexp"
	"strings"
)

// codeLoc is a place in the learner's code: a frame in a non-test file under exercises/
// (or solutions/).
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

// learnerFrames returns the frames of a stack (lines of function, then file:line) that lie
// in the learner's files, innermost first.
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

// firstLearner returns the first of the learner's frames in out, or "".
func firstLearner(out string) string {
	if locs := learnerFrames(strings.Split(out, "\n")); len(locs) > 0 {
		return locs[0].String()
	}
	return ""
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
	raceAccessRE  = regexp.MustCompile(`^\s*((?:Previous )?(?:[Aa]tomic )?(?:[Rr]ead|[Ww]rite)) at 0x[0-9a-f]+ by (goroutine \d+|main goroutine):$`)
	raceCreatedRE = regexp.MustCompile(`^\s*Goroutine (\d+) \(\w+\) created at:$`)
)

// raceReports parses every "WARNING: DATA RACE" report of out into its accesses.
func raceReports(out string) [][]raceAccess {
	var reports [][]raceAccess
	for _, block := range strings.Split(out, "WARNING: DATA RACE\n")[1:] {
		block, _, _ = strings.Cut(block, raceSep)
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

// describe says where the access happened, what it did and in which goroutine.
func (a raceAccess) describe(past bool) string {
	where := outsideText
	if len(a.At) > 0 {
		where = a.At[0].String()
	}
	op := strings.ToLower(strings.TrimPrefix(a.Op, "Previous "))
	verb := raceVerbs[past][op]
	if verb == "" {
		verb = op
	}
	who := fmt.Sprintf(inGoroutine, a.Goroutine)
	if len(a.CreatedAt) > 0 {
		who = fmt.Sprintf(startedAtText, who, a.CreatedAt[0].String())
	}
	return fmt.Sprintf(raceAccessText, where, verb, who)
}

// raceWhere describes the two accesses of the first race report of out, or "".
func raceWhere(out string) string {
	reports := raceReports(out)
	if len(reports) == 0 || len(reports[0]) < 2 {
		return ""
	}
	return fmt.Sprintf(raceWhereText, reports[0][0].describe(false), reports[0][1].describe(true))
}
