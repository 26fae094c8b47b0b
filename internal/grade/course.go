package grade

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/layout"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/runner"
	"github.com/go-concurrency-workbook/workbook/internal/sums"
)

// MaxLearnerFile is the largest learner file a course-mode grade takes.
const MaxLearnerFile = 1 << 20

// maxIgnored bounds the list of ignored files in a report.
const maxIgnored = 200

// courseParts are what a grade takes from the course's checkout, never from a learner's.
var courseParts = []string{"go.mod", "go.sum", layout.Manifest, "internal", "testdata", layout.Exercises}

// ClassOptions says whom to grade against which course.
type ClassOptions struct {
	Course    string   // the course's own checkout: its tests, testdata, internal/, manifest, go.mod, go.sum
	Learners  []string // the learners' trees
	Limit     time.Duration
	Jobs      int
	Progress  func(learner string, done, total int, r *ExerciseReport) // may be nil
	MaxMemory int64                                                    // the cap on a test process's memory; 0 means 2 GiB
	// NoSandbox grades without bubblewrap: where it is missing (macOS, Windows), or
	// when the instructor says so. Every report's guarantees say which.
	NoSandbox bool
	// Cache is a directory of reports by key (CacheKey): a learner whose key has one
	// there is not regraded, and each new report is put there. "" turns it off.
	Cache string
}

// GradeClass grades each learner's tree against the course: a copy of the course's files
// with only the learner's files of each exercise (regular files of at most
// MaxLearnerFile bytes, at the paths the manifest names) put in, checked against the
// static policy, run strictly (Options.Strict). What else the learner changed is listed,
// not taken. One learner's code crashing, hanging or killing its processes does not stop
// the others'; a learner whose tree cannot be graded at all gets an error instead of a
// report. Learners are graded concurrently, o.Jobs processes in all (classJobs); with
// o.Cache, a learner whose key (CacheKey) has a report there is not regraded.
func GradeClass(ctx context.Context, o ClassOptions) (reports []*Report, errs []error) {
	reports, errs = make([]*Report, len(o.Learners)), make([]error, len(o.Learners))
	if len(o.Learners) == 0 {
		return reports, errs
	}
	var course *courseKey
	if o.Cache != "" {
		k, err := newCourseKey(o)
		if err != nil {
			for i := range errs {
				errs[i] = fmt.Errorf("the course's digest: %w", err)
			}
			return reports, errs
		}
		course = k
	}
	at, each := classJobs(max(o.Jobs, 1), len(o.Learners))
	lo := o
	lo.Jobs = each
	if o.Progress != nil {
		var mu sync.Mutex // one learner's progress line at a time
		lo.Progress = func(learner string, done, total int, r *ExerciseReport) {
			mu.Lock()
			defer mu.Unlock()
			o.Progress(learner, done, total, r)
		}
	}
	slots := runner.NewSlots(at)
	var wg sync.WaitGroup
	for i, learner := range o.Learners {
		slots.Take()
		if ctx.Err() != nil {
			slots.Give()
			break
		}
		wg.Go(func() {
			defer slots.Give()
			reports[i], errs[i] = gradeLearner(ctx, lo, course, learner)
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return reports, append(errs, ctx.Err())
	}
	return reports, errs
}

// classJobs splits jobs processes between learners: as many learners at once as there
// are processes (never more than there are learners), each with its share.
func classJobs(jobs, learners int) (at, each int) {
	at = max(min(jobs, learners), 1)
	return at, max(jobs/at, 1)
}

// takenFile is one learner file of the manifest: its content, or why it is not taken.
type takenFile struct {
	rel  string
	b    []byte
	why  string
	chID string
}

// takeLearnerFiles reads the learner's files the manifest names, in its order.
func takeLearnerFiles(m *manifest.Manifest, learner string) []takenFile {
	var out []takenFile
	seen := map[string]bool{}
	for _, ch := range m.Chapters {
		for _, e := range ch.Exercises {
			for _, f := range e.Files {
				rel := path.Join(layout.Exercises, ch.ID, f)
				if seen[rel] {
					continue
				}
				seen[rel] = true
				b, why := learnerFile(filepath.Join(learner, filepath.FromSlash(rel)))
				out = append(out, takenFile{rel: rel, b: b, why: why, chID: ch.ID})
			}
		}
	}
	return out
}

// learnerIgnored lists the learner's files that grading leaves out: the
// taken files refused for a reason other than being missing, and the files
// outside what the course takes, sorted by path and cut at maxIgnored. It is
// never nil.
func learnerIgnored(course, learner string, taken []takenFile) []sums.Change {
	learnerFiles := map[string]bool{}
	var ignored []sums.Change
	for _, f := range taken {
		learnerFiles[f.rel] = true
		if f.why != "" && f.why != "missing" {
			ignored = append(ignored, sums.Change{Path: f.rel, Change: f.why})
		}
	}
	ignored = append(ignored, ignoredFiles(course, learner, learnerFiles)...)
	slices.SortFunc(ignored, func(a, b sums.Change) int { return strings.Compare(a.Path, b.Path) })
	if len(ignored) > maxIgnored {
		ignored = append(ignored[:maxIgnored], sums.Change{Path: "...", Change: fmt.Sprintf("and %d more", len(ignored)-maxIgnored)})
	}
	if ignored == nil {
		ignored = []sums.Change{}
	}
	return ignored
}

func gradeLearner(ctx context.Context, o ClassOptions, course *courseKey, learner string) (*Report, error) {
	m, err := manifest.Load(o.Course)
	if err != nil {
		return nil, fmt.Errorf("the course: %w", err)
	}
	if info, err := os.Stat(learner); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", learner)
	}
	taken := takeLearnerFiles(m, learner)
	ignored := learnerIgnored(o.Course, learner, taken)
	key := ""
	if course != nil {
		key = course.learnerKey(taken)
		if rep := course.lookup(key); rep != nil {
			rep.Learner, rep.Ignored, rep.Reused, rep.CacheKey = learner, ignored, true, key
			return rep, nil
		}
	}

	ws, err := os.MkdirTemp("", "workbook-course-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(ws)
	if !o.NoSandbox {
		if err := runner.OpenToSandbox([]string{ws}, nil); err != nil { // the sandbox reads tree/, never the sums
			return nil, err
		}
	}
	root := filepath.Join(ws, "tree")
	for _, p := range courseParts {
		if err := copyTree(o.Course, root, p); err != nil {
			return nil, fmt.Errorf("copying the course's %s: %w", p, err)
		}
	}
	want, err := CurrentSums(o.Course, layout.Exercises)
	if err != nil {
		return nil, fmt.Errorf("the course's checksums: %w", err)
	}
	sumsPath := filepath.Join(ws, SumsFile)
	if err := os.WriteFile(sumsPath, want.Format(""), 0o600); err != nil {
		return nil, err
	}

	// The learner's files, and only those.
	byChapter := map[string]map[string][]byte{}
	for _, f := range taken {
		if byChapter[f.chID] == nil {
			byChapter[f.chID] = map[string][]byte{}
		}
		if f.why != "" {
			continue // the course's starting code stays
		}
		if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(f.rel)), f.b, 0o644); err != nil {
			return nil, err
		}
		byChapter[f.chID][f.rel] = f.b
	}
	violations := map[string][]Violation{}
	for _, ch := range m.Chapters {
		if v := CheckPolicy(ch, byChapter[ch.ID]); len(v) > 0 {
			violations[ch.ID] = v
		}
	}

	var progress func(done, total int, r *ExerciseReport)
	if o.Progress != nil {
		progress = func(done, total int, r *ExerciseReport) { o.Progress(learner, done, total, r) }
	}
	rep, err := Grade(ctx, Options{Root: root, Dir: layout.Exercises, Sums: sumsPath, Limit: o.Limit, Jobs: o.Jobs,
		Progress: progress, Strict: true, Violations: violations, MaxMemory: o.MaxMemory, Sandbox: !o.NoSandbox})
	if err != nil {
		return nil, err
	}
	if o.NoSandbox {
		why := "turned off (-no-sandbox)"
		if err := runner.SandboxProblem(); err != nil {
			why = err.Error()
		}
		rep.Guarantees = append(rep.Guarantees, "NOT sandboxed: the learner's code ran as the grader's user, with the grader's files and network in reach: "+why)
	}
	rep.Learner, rep.Ignored = learner, ignored
	rep.Integrity.SumsFile = "the course's " + SumsFile
	if course != nil {
		rep.CacheKey = key
		course.store(key, rep)
	}
	return rep, nil
}

// learnerFile reads one learner file: a regular file (never a symlink) of at most
// MaxLearnerFile bytes. why says why it is not taken.
func learnerFile(p string) (b []byte, why string) {
	info, err := os.Lstat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, "missing"
	case err != nil:
		return nil, "unreadable"
	case !info.Mode().IsRegular():
		return nil, "not a regular file"
	case info.Size() > MaxLearnerFile:
		return nil, "larger than 1 MiB"
	}
	b, err = sums.ReadFile(p)
	if err != nil || len(b) > MaxLearnerFile {
		return nil, "unreadable"
	}
	return b, ""
}

// maxWalk bounds how many entries of a learner's tree are looked at for the ignored list.
const maxWalk = 20000

// ignoredFiles lists what the learner's tree has that differs from the course's, besides
// the learner's own files: edited, added or not regular. .git is skipped.
func ignoredFiles(course, learner string, learnerFiles map[string]bool) []sums.Change {
	var out []sums.Change
	seen := 0
	filepath.WalkDir(learner, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		seen++
		if seen > maxWalk {
			return filepath.SkipAll
		}
		rel, _ := filepath.Rel(learner, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if d.Name() == ".git" || d.Name() == layout.State {
				return filepath.SkipDir
			}
			return nil
		}
		if learnerFiles[rel] {
			return nil
		}
		if !d.Type().IsRegular() {
			out = append(out, sums.Change{Path: rel, Change: "not a regular file"})
			return nil
		}
		mine, err := sums.File(p)
		theirs, err2 := sums.File(filepath.Join(course, filepath.FromSlash(rel)))
		switch {
		case err2 != nil:
			out = append(out, sums.Change{Path: rel, Change: "added"})
		case err != nil || mine != theirs:
			out = append(out, sums.Change{Path: rel, Change: "edited"})
		}
		return nil
	})
	return out
}

// copyTree copies the regular files of src/rel to dst/rel, never following a symlink.
func copyTree(src, dst, rel string) error {
	base := filepath.Join(src, filepath.FromSlash(rel))
	return filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == base {
			return nil
		}
		if err != nil {
			return err
		}
		r, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, r)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := sums.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o644)
	})
}

func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

func mdField(s string) string { return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s) }

// reportName keeps the letters, digits, dots, dashes and underscores of a name.
var reportName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// ReportNames returns, for each learner's tree, the name of its report directory under
// -out: the tree's own directory name, made safe (never "", ".", "..", a path, or the
// name of a class table) and unique (a -2, -3 ... suffix).
func ReportNames(learners []string) []string {
	var names []string
	for _, l := range learners {
		base := l
		if abs, err := filepath.Abs(l); err == nil {
			base = abs
		}
		base = reportName.ReplaceAllString(filepath.Base(base), "_")
		base = strings.TrimLeft(base, ".")
		switch lower := strings.ToLower(base); {
		case base == "":
			base = "learner"
		case lower == "class.csv" || lower == "class.md":
			base = "learner-" + base
		}
		name := base
		for n := 2; slices.ContainsFunc(names, func(o string) bool { return strings.EqualFold(o, name) }); n++ {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		names = append(names, name)
	}
	return names
}
