package mutation

import (
	"cmp"
	"context"
	"fmt"
	"go/ast"
	"go/build"
	"go/constant"
	"go/importer"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/runner"
)

// The policy of the tests a learner writes. It works on type information (go/types,
// with the export data `go list -export` gives for the imports), never on spelling: an
// import alias, a dot import, a variable holding time.Sleep or a method value are the
// same object to it as the plain call.

// Rule names what a refused construct breaks.
type Rule string

// The rules of the policy.
const (
	// RealClock: reading or waiting on the real clock outside a synctest bubble.
	RealClock Rule = "real_clock"
	// FatalOffTest: t.Fatal, t.FailNow, t.Skip or require called from a goroutine other
	// than the one that runs the test that owns t.
	FatalOffTest Rule = "fatal_off_test"
	// Introspection: looking at the program (stacks, callers, files, build, addresses,
	// private names and fields of the implementation) instead of at what it does.
	Introspection Rule = "introspection"
)

// Refusal is one construct of a learner's tests that the policy refuses.
type Refusal struct {
	Pos     string // file:line, the file as the learner names it (exercises/14_testing/buffer_test.go:12)
	Rule    Rule
	What    string // the construct, such as "time.After" or "runtime.Caller"
	Message string // what it means for the learner and what to do instead, in full sentences
}

func (r Refusal) String() string { return r.Pos + ": " + r.Message }

// The sentences of the refusals (SetLang changes them). Each %s is the construct
// (Refusal.What).
var (
	realClockText = "%s outside a synctest bubble: a test on the real clock (a real sleep or timer, " +
		"or real durations compared with a tolerance) tests how busy the machine is, not the code: it " +
		"passes on an idle machine and fails on a loaded one, and it lets through code that is wrong by " +
		"less than the tolerance. Read and wait on the clock only inside a bubble, where time is fake and " +
		"exact: inside the function literal you pass to synctest.Test or guard.Bubble, or in a function " +
		"of your test files that is only ever used from inside such literals. Outside a bubble, bound a " +
		"wait with guard.Run."
	fatalText = "%s called from a goroutine your test started (line %d): t.Fatal, t.FailNow, t.Skip and " +
		"every require function stop only the goroutine that calls them, so from another goroutine they " +
		"do not stop the test, which goes on as if the check had passed (or hangs waiting for that " +
		"goroutine); Go's testing package forbids it. Send what the goroutine saw to the test's goroutine " +
		"(on a channel) and check it there, or use t.Error or assert, which only record the failure."
	fatalGlobalText = "%s called on a *testing.T kept in a package variable: nothing says which goroutine " +
		"runs that test, and t.Fatal, t.FailNow, t.Skip and require must be called from it. Pass t as an argument."
	fatalValueText = "%s used as a value: t.Fatal, t.FailNow, t.Skip and require must be called directly, " +
		"where it is plain that the test's own goroutine calls them."
	introText = "%s: %s. A test must tell a wrong implementation from the right one by what it does " +
		"(what its methods return, and when), never by how the program looks from inside; call the " +
		"exported API and check the contract in the doc comment."
)

// Why each kind of introspection is refused, completing introText.
var (
	whyStacks     = "it reads stacks or callers, which name files, lines and functions: the place of the code, not what it does"
	whyBuild      = "it reads how the test binary was built or how it runs (build information, flags, its path, profiles, coverage)"
	whyFiles      = "it reaches files, the environment or the system; a test of this chapter needs none of them"
	whyReflect    = "reflection looks at the program's structure (types, fields, function pointers); only reflect.DeepEqual is allowed"
	whyUnsafe     = "unsafe, cgo and compiler directives reach past the language's rules"
	whyCost       = "it measures what a call costs (allocations, memory, time per call), which differs from one correct implementation to another"
	whyAddress    = "it turns an address, a function or a channel into text (%p, or printing a func, chan, pointer or uintptr), and addresses change with the build, not with the behaviour"
	whyPrivate    = "it reaches a name the implementation does not export: its fields, helpers and unexported methods are free to change; test the exported API"
	whyImplValue  = "it hands a value of the implementation's types to code that can look inside it (printing, comparing, reflection)"
	whyMethod     = "it declares a method on a type of the implementation: tests call the implementation, they do not extend it"
	whyFuncValue  = "it turns a function into an interface value, which prints as its address"
	whyTestingT   = "testify reports through the *testing.T it is given: pass the test's own t (or the *assert.CollectT of EventuallyWithT), not a value of your own that can read the report"
	whyWorkbook   = "it brings in the workbook's own code beyond the test support (guard, rendezvous): a reference solution to compare with, or tools that read files"
	whyStateMatch = "guard.States and guard.AwaitState match the text of goroutine stacks: give them the name of an exported function or method of the implementation, as a constant"
)

// What the policy knows about objects, by funcID (see funcID).
var (
	// clockIDs read or wait on the real clock outside a bubble.
	clockIDs = setOf("time.Now", "time.Since", "time.Until", "time.Sleep", "time.After", "time.AfterFunc",
		"time.Tick", "time.NewTimer", "time.NewTicker", "time.Timer.Reset", "time.Ticker.Reset",
		"context.WithTimeout", "context.WithDeadline", "context.WithTimeoutCause", "context.WithDeadlineCause",
		"testing.Benchmark")
	// clockPkgs: every function of these reads the real clock.
	clockPkgs = setOf("golang.org/x/time/rate")
	// eventually: testify's polling assertions, on the real clock outside a bubble; their
	// condition runs on a goroutine of its own.
	eventually = setOf("Eventually", "Eventuallyf", "Never", "Neverf", "EventuallyWithT", "EventuallyWithTf")

	// goStarters run a function argument on a new goroutine; ownT gives it a *testing.T
	// (or *assert.CollectT) of its own; bubble starts a synctest bubble.
	goStarters = setOf("sync.WaitGroup.Go", "golang.org/x/sync/errgroup.Group.Go",
		"golang.org/x/sync/errgroup.Group.TryGo", "time.AfterFunc", "context.AfterFunc", guardPath+".Run",
		"testing.T.Run", "testing/synctest.Test", guardPath+".Bubble")
	ownTStarters   = setOf("testing.T.Run", "testing/synctest.Test", guardPath+".Bubble")
	bubbleStarters = setOf("testing/synctest.Test", guardPath+".Bubble")

	// fatalNames are the methods that end the calling goroutine (runtime.Goexit).
	fatalNames = setOf("Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow")

	// runtimeAllowed: the parts of package runtime a test may use.
	runtimeAllowed = setOf("GOMAXPROCS", "Gosched", "NumGoroutine", "NumCPU", "GC", "KeepAlive", "Goexit",
		"LockOSThread", "UnlockOSThread", "GOOS", "GOARCH", "Compiler", "Error", "TypeAssertionError")

	// introIDs: single objects refused anywhere, with why.
	introIDs = map[string]string{
		"testing.AllocsPerRun": whyCost, "testing.Coverage": whyBuild, "testing.CoverMode": whyBuild,
		"testing.RegisterCover": whyBuild, "testing.MainStart": whyBuild, "testing.RunTests": whyBuild,
		"testing.RunBenchmarks": whyBuild, "testing.RunExamples": whyBuild, "testing.Init": whyBuild,
		"go.uber.org/goleak.Find": whyStacks, guardPath + ".Stacks": whyStacks,
		testifyAssert + ".CallerInfo":                  whyStacks,
		"github.com/google/go-cmp/cmp.AllowUnexported": whyPrivate, "github.com/google/go-cmp/cmp.Exporter": whyPrivate,
	}
	// introPkgs: packages refused whole (an import of them is refused), by path or path
	// prefix ending in "/".
	introPkgs = map[string]string{
		"unsafe": whyUnsafe, "C": whyUnsafe, "runtime/debug": whyStacks, "runtime/pprof": whyBuild,
		"runtime/trace": whyBuild, "runtime/metrics": whyCost, "runtime/cgo": whyUnsafe, "os": whyFiles, "os/": whyFiles,
		"io/fs": whyFiles, "io/ioutil": whyFiles, "embed": whyFiles, "path/filepath": whyFiles, "syscall": whyFiles,
		"plugin": whyUnsafe, "debug/": whyBuild, "go/": whyFiles, "flag": whyBuild, "net/http/pprof": whyBuild,
		"expvar": whyBuild, "internal/": whyUnsafe, "golang.org/x/sys/": whyFiles, "testing/fstest": whyFiles,
		"github.com/google/go-cmp/cmp/cmpopts": whyPrivate, "net/http": whyFiles, "net/http/": whyFiles,
	}
	// fmtFormatters turn their operands into text a test can read.
	fmtFormatters = setOf("Sprint", "Sprintf", "Sprintln", "Errorf", "Append", "Appendf", "Appendln",
		"Fprint", "Fprintf", "Fprintln")
	// implValueOK: where a value of the implementation's types may become an interface
	// value: output only, or a nil or identity check.
	implValueOK = setOf("testing.common.Log", "testing.common.Logf", "testing.common.Error",
		"testing.common.Errorf", "testing.common.Fatal", "testing.common.Fatalf", "testing.common.Skip",
		"testing.common.Skipf", "testing.TB.Log", "testing.TB.Logf", "testing.TB.Error", "testing.TB.Errorf",
		"testing.TB.Fatal", "testing.TB.Fatalf", "testing.TB.Skip", "testing.TB.Skipf",
		testifyAssert+".Nil", testifyAssert+".NotNil", testifyAssert+".Same", testifyAssert+".NotSame",
		testifyRequire+".Nil", testifyRequire+".NotNil", testifyRequire+".Same", testifyRequire+".NotSame",
		testifyAssert+".Assertions.Nil", testifyAssert+".Assertions.NotNil", testifyAssert+".Assertions.Same",
		testifyAssert+".Assertions.NotSame", testifyRequire+".Assertions.Nil", testifyRequire+".Assertions.NotNil",
		testifyRequire+".Assertions.Same", testifyRequire+".Assertions.NotSame")
)

const (
	guardPath      = "github.com/go-concurrency-workbook/workbook/internal/guard"
	rendezvousPath = "github.com/go-concurrency-workbook/workbook/internal/rendezvous"
	testifyAssert  = "github.com/stretchr/testify/assert"
	testifyRequire = "github.com/stretchr/testify/require"
)

// Templates read files by name.
func init() {
	for _, pkg := range []string{"text/template", "html/template"} {
		for _, f := range []string{"ParseFiles", "ParseGlob", "ParseFS"} {
			introIDs[pkg+"."+f], introIDs[pkg+".Template."+f] = whyFiles, whyFiles
		}
	}
}

func setOf(s ...string) map[string]bool {
	m := map[string]bool{}
	for _, x := range s {
		m[x] = true
	}
	return m
}

// scanned is what the policy found in a package's tests.
type scanned struct {
	Tests     []string  // the tests of the exercise's files, in file order
	Unwritten []string  // those still the starting stub: a t.Fatal("TODO: ...") and nothing else
	Refused   []Refusal // sorted by position
}

// Policy checks the tests of exercise e in dir (the package's directory; pkg is its
// slash path relative to root, used to name files) against the policy, with type
// information. env is the go command's environment (nil: runner.Env(false)); strict
// forbids the go command to touch go.mod.
func Policy(ctx context.Context, root, dir, pkg string, e *manifest.Exercise, env []string, strict bool) (*scanned, error) {
	learner := map[string]bool{} // every file a learner writes in this chapter
	for _, x := range e.Chapter.Exercises {
		if x.Writes() {
			for _, f := range x.Files {
				learner[f] = true
			}
		}
	}
	mine := setOf(e.Files...)

	fset := token.NewFileSet()
	byName, names, err := parseRaceFiles(fset, dir, pkg, learner)
	if err != nil {
		return nil, err
	}
	info, pkgPath, err := typeCheck(ctx, root, pkg, env, strict, fset, byName, names)
	if err != nil {
		return nil, err
	}

	a := &analysis{fset: fset, info: info, pkgPath: pkgPath, module: strings.TrimSuffix(pkgPath, "/"+strings.Trim(pkg, "/")),
		learner: map[*ast.File]bool{},
		parent:  map[ast.Node]ast.Node{}, declOf: map[types.Object]ast.Node{}, funcOf: map[types.Object]ast.Node{},
		refs: map[types.Object][]ref{}, lit: map[*ast.FuncLit]litKind{}, varLit: map[types.Object]*ast.FuncLit{},
		bubbled: map[*ast.FuncDecl]bool{}, starterParams: map[types.Object]map[int]litKind{},
		fatalParams: map[types.Object]map[int]bool{}, impl: map[*token.File]bool{}, seen: map[string]bool{}}
	var roots []ast.Node
	for _, n := range names {
		f := byName[n]
		tf := fset.File(f.Pos())
		if !strings.HasSuffix(n, "_test.go") {
			a.impl[tf] = true
			continue
		}
		if !learner[n] {
			continue // the course's own test files (TestMain, benchmarks) are trusted
		}
		a.learner[f] = true
		a.files = append(a.files, f)
		for _, d := range f.Decls {
			if mine[n] {
				roots = append(roots, d)
			} else if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "init" {
				roots = append(roots, d) // runs whichever test runs
			} else if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.VAR {
				roots = append(roots, d) // initialised whichever test runs
			}
		}
	}
	a.index()
	a.classify()
	reach := a.reachable(roots)
	for _, f := range a.files {
		a.scanImports(f)
		for _, d := range f.Decls {
			if reach[d] {
				a.scanDecl(d)
			}
		}
	}
	out := &scanned{Refused: a.refused}
	for _, n := range names {
		if !mine[n] || byName[n] == nil {
			continue
		}
		for _, d := range byName[n].Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && a.isTestFunc(fn) {
				out.Tests = append(out.Tests, fn.Name.Name)
				if a.stub(fn) {
					out.Unwritten = append(out.Unwritten, fn.Name.Name)
				}
			}
		}
	}
	slices.SortStableFunc(out.Refused, func(x, y Refusal) int { return comparePos(x.Pos, y.Pos) })
	return out, nil
}

// parseRaceFiles parses the Go files of dir that the race build takes (pkg, the
// package's slash path, names them in fset), and returns them by name and their
// names, sorted. learner holds the files a learner writes in the chapter.
func parseRaceFiles(fset *token.FileSet, dir, pkg string, learner map[string]bool) (map[string]*ast.File, []string, error) {
	bctx := build.Default
	bctx.BuildTags = append(slices.Clip(bctx.BuildTags), "race") // the tests are built with -race
	bctx.CgoEnabled = true
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	byName := map[string]*ast.File{}
	var names []string
	for _, de := range entries {
		name := de.Name()
		if de.IsDir() || !strings.HasSuffix(name, ".go") {
			continue
		}
		if ok, err := bctx.MatchFile(dir, name); err != nil || !ok {
			if learner[name] && err == nil {
				// A learner's file left out of the race build: its tests do not exist there.
				continue
			}
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, nil, err
		}
		f, err := parser.ParseFile(fset, pkg+"/"+name, b, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, nil, err
		}
		byName[name] = f
		names = append(names, name)
	}
	slices.Sort(names)
	return byName, names, nil
}

// typeCheck type-checks the files of byName (names sorted): the package under test
// with its in-package tests, then any external test package, with export data of
// their imports from the go command (env, strict as Policy's). It returns the type
// information and the package's import path.
func typeCheck(ctx context.Context, root, pkg string, env []string, strict bool, fset *token.FileSet,
	byName map[string]*ast.File, names []string) (*types.Info, string, error) {
	// The package under test and its in-package tests, and any external test package.
	base := ""
	for _, n := range names {
		if !strings.HasSuffix(n, "_test.go") {
			base = byName[n].Name.Name
			break
		}
	}
	var internal, external []*ast.File
	imports := map[string]bool{}
	for _, n := range names {
		f := byName[n]
		if base == "" {
			base = strings.TrimSuffix(f.Name.Name, "_test")
		}
		if f.Name.Name == base {
			internal = append(internal, f)
		} else {
			external = append(external, f)
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p != "C" && p != "unsafe" {
				imports[p] = true
			}
		}
	}
	pkgPath, err := importPath(root, pkg)
	if err != nil {
		return nil, "", err
	}
	delete(imports, pkgPath)
	exports, err := exportData(ctx, root, env, strict, slices.Sorted(mapKeys(imports)))
	if err != nil {
		return nil, "", err
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	var self *types.Package
	gc := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		file, ok := exports[path]
		if !ok || file == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(file)
	})
	imp := importerFunc(func(path string) (*types.Package, error) {
		if path == pkgPath && self != nil {
			return self, nil
		}
		if path == "unsafe" {
			return types.Unsafe, nil
		}
		return gc.Import(path)
	})
	var typeErr error
	conf := types.Config{Importer: imp, FakeImportC: true, Error: func(err error) { typeErr = cmp.Or(typeErr, err) }}
	self, _ = conf.Check(pkgPath, fset, internal, info)
	if typeErr == nil && len(external) > 0 {
		_, _ = conf.Check(pkgPath+"_test", fset, external, info)
	}
	if typeErr != nil {
		return nil, "", typeErr
	}
	return info, pkgPath, nil
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func mapKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

var modulePath = regexp.MustCompile(`(?m)^module\s+(\S+)`)

// importPath returns the import path of the package in root's module at pkg.
func importPath(root, pkg string) (string, error) {
	b, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", err
	}
	m := modulePath.FindSubmatch(b)
	if m == nil {
		return "", fmt.Errorf("%s: no module line", filepath.Join(root, "go.mod"))
	}
	p, err := strconv.Unquote(string(m[1]))
	if err != nil {
		p = string(m[1])
	}
	return p + "/" + strings.Trim(filepath.ToSlash(pkg), "/"), nil
}

// exportData returns the export data file of each package the imports need, built (or
// found in the build cache) with the flags the test binaries are built with, so that
// it costs nothing once the tests have been built once.
func exportData(ctx context.Context, root string, env []string, strict bool, imports []string) (map[string]string, error) {
	out := map[string]string{}
	if len(imports) == 0 {
		return out, nil
	}
	args := []string{"list", "-e", "-export", "-deps", "-race", "-trimpath", "-f", "{{.ImportPath}}\t{{.Export}}\t{{if .Error}}{{.Error}}{{end}}"}
	if strict {
		args = append(args, "-mod=readonly")
	}
	text, err := runner.Go(ctx, root, env, 2*time.Minute, append(args, imports...)...)
	if err != nil {
		return nil, fmt.Errorf("go list -export: %v\n%s", err, strings.TrimSpace(text))
	}
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		f := strings.SplitN(line, "\t", 3)
		if len(f) < 2 {
			continue
		}
		if len(f) == 3 && f[2] != "" {
			return nil, fmt.Errorf("%s", f[2])
		}
		out[f[0]] = f[1]
	}
	return out, nil
}

// litKind says how a function literal runs.
type litKind int

const (
	plain     litKind = iota // called where it is, or not known to run elsewhere
	goroutine                // on a goroutine of its own
	ownT                     // on a goroutine of its own, with a *testing.T of its own (t.Run)
	bubble                   // in a synctest bubble, with a *testing.T of its own
)

type ref struct {
	id *ast.Ident
	fn ast.Node // the innermost function around it: *ast.FuncDecl or *ast.FuncLit, nil at package level
}

type analysis struct {
	fset    *token.FileSet
	info    *types.Info
	pkgPath string
	module  string      // the workbook's module path
	files   []*ast.File // the learner's test files
	learner map[*ast.File]bool
	impl    map[*token.File]bool // the implementation's files

	parent  map[ast.Node]ast.Node         // function → the function around it
	declOf  map[types.Object]ast.Node     // package-level object of a learner file → its declaration
	funcOf  map[types.Object]ast.Node     // local variable or parameter → the function that declares it
	refs    map[types.Object][]ref        // every use, in learner files, of an object
	lit     map[*ast.FuncLit]litKind      // how each function literal runs
	litAt   map[*ast.FuncLit]token.Pos    // where a literal that runs elsewhere is started
	varLit  map[types.Object]*ast.FuncLit // local variable initialised with a function literal
	bubbled map[*ast.FuncDecl]bool        // learner function used only from inside bubbles
	// starterParams: learner functions that start a function parameter on a goroutine
	// (index → how); fatalParams: learner functions that call Fatal (and the like) on a
	// parameter (index; -1 is the receiver).
	starterParams map[types.Object]map[int]litKind
	fatalParams   map[types.Object]map[int]bool

	refused []Refusal
	seen    map[string]bool
}

// index records, for every learner file, which function encloses which, where each
// local is declared, and every use of every object.
func (a *analysis) index() {
	a.litAt = map[*ast.FuncLit]token.Pos{}
	for _, f := range a.files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if obj := a.info.Defs[d.Name]; obj != nil {
					a.declOf[obj] = d
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if obj := a.info.Defs[n]; obj != nil {
								a.declOf[obj] = d
							}
						}
					case *ast.TypeSpec:
						if obj := a.info.Defs[s.Name]; obj != nil {
							a.declOf[obj] = d
						}
					}
				}
			}
		}
		var stack []ast.Node
		var visit func(n ast.Node) bool
		visit = func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return false
			}
			var fn ast.Node
			for i := len(stack) - 1; i >= 0; i-- {
				if isFunc(stack[i]) {
					fn = stack[i]
					break
				}
			}
			switch n := n.(type) {
			case *ast.FuncDecl, *ast.FuncLit:
				a.parent[n] = fn
			case *ast.Ident:
				if obj := a.info.Defs[n]; obj != nil {
					if v, ok := obj.(*types.Var); ok && !v.IsField() && fn != nil {
						a.funcOf[obj] = fn // a parameter is inside its function's node too
					}
				}
				if obj := origin(a.info.Uses[n]); obj != nil {
					a.refs[obj] = append(a.refs[obj], ref{n, fn})
				}
			}
			stack = append(stack, n)
			return true
		}
		ast.Inspect(f, visit)
	}
}

// origin returns the generic object behind an instantiated function or method.
func origin(obj types.Object) types.Object {
	if f, ok := obj.(*types.Func); ok {
		return f.Origin()
	}
	return obj
}

func isFunc(n ast.Node) bool {
	switch n.(type) {
	case *ast.FuncDecl, *ast.FuncLit:
		return true
	}
	return false
}

// callee returns the function or method a call calls, if it is known statically.
func (a *analysis) callee(call *ast.CallExpr) types.Object {
	fun := ast.Unparen(call.Fun)
	switch f := fun.(type) {
	case *ast.IndexExpr:
		fun = f.X
	case *ast.IndexListExpr:
		fun = f.X
	}
	switch f := ast.Unparen(fun).(type) {
	case *ast.Ident:
		return origin(a.info.Uses[f])
	case *ast.SelectorExpr:
		return origin(a.info.Uses[f.Sel])
	}
	return nil
}

// funcID names a package-level object "path.Name" and a method "path.Type.Name"
// (pointer or not), the way the tables above do. An interface method of an unnamed
// interface is "interface.Name".
func funcID(obj types.Object) string {
	if obj == nil || obj.Pkg() == nil {
		return ""
	}
	if f, ok := obj.(*types.Func); ok {
		if recv := f.Type().(*types.Signature).Recv(); recv != nil {
			t := recv.Type()
			if p, ok := t.(*types.Pointer); ok {
				t = p.Elem()
			}
			if n, ok := types.Unalias(t).(*types.Named); ok {
				o := n.Obj()
				if o.Pkg() == nil {
					return "interface." + f.Name()
				}
				return o.Pkg().Path() + "." + o.Name() + "." + f.Name()
			}
			return "interface." + f.Name()
		}
	}
	if obj.Parent() != obj.Pkg().Scope() {
		return "" // a local or a field
	}
	return obj.Pkg().Path() + "." + obj.Name()
}

// starterKind says how a call runs its function arguments, if it starts them elsewhere.
func (a *analysis) starterKind(call *ast.CallExpr) (map[int]litKind, bool) {
	obj := a.callee(call)
	if obj == nil {
		return nil, false
	}
	id := funcID(obj)
	kind := plain
	switch {
	case bubbleStarters[id]:
		kind = bubble
	case ownTStarters[id]:
		kind = ownT
	case goStarters[id]:
		kind = goroutine
	case obj.Pkg() != nil && (obj.Pkg().Path() == testifyAssert || obj.Pkg().Path() == testifyRequire) && eventually[obj.Name()]:
		kind = goroutine
		if strings.HasPrefix(obj.Name(), "EventuallyWithT") {
			kind = ownT // the condition gets a *assert.CollectT of its own
		}
	}
	if kind != plain {
		all := map[int]litKind{}
		for i, arg := range call.Args {
			if _, ok := a.info.TypeOf(arg).Underlying().(*types.Signature); ok {
				all[i] = kind
			}
		}
		return all, true
	}
	if p, ok := a.starterParams[obj]; ok {
		return p, true
	}
	return nil, false
}

// classify finds how each function literal runs, which learner functions start their
// function parameters elsewhere, which are used only inside bubbles, and which call
// Fatal (or the like) on a parameter.
func (a *analysis) classify() {
	a.varLits()
	a.starters()
	a.litKinds()
	a.bubbledFuncs()
	a.fatalFuncs()
}

// varLits records the local variables that hold a function literal.
func (a *analysis) varLits() {
	for _, f := range a.files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				if len(n.Lhs) == len(n.Rhs) {
					for i, r := range n.Rhs {
						if lit, ok := ast.Unparen(r).(*ast.FuncLit); ok {
							if id, ok := n.Lhs[i].(*ast.Ident); ok {
								if obj := cmp.Or(a.info.Defs[id], a.info.Uses[id]); obj != nil {
									a.varLit[obj] = lit
								}
							}
						}
					}
				}
			case *ast.ValueSpec:
				if len(n.Names) == len(n.Values) {
					for i, r := range n.Values {
						if lit, ok := ast.Unparen(r).(*ast.FuncLit); ok {
							if obj := a.info.Defs[n.Names[i]]; obj != nil {
								a.varLit[obj] = lit
							}
						}
					}
				}
			}
			return true
		})
	}
}

// starters finds the learner functions that start a function parameter, and how: how
// every use of the parameter starts it, when all agree; a goroutine when they differ.
// A fixed point, for wrappers of wrappers.
func (a *analysis) starters() {
	for round, changed := 0, true; changed && round < 10; round++ {
		changed = false
		usage := map[*ast.Ident]litKind{}
		a.eachCall(func(call *ast.CallExpr, fn ast.Node, inGo bool) {
			if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && inGo {
				usage[id] = goroutine
			}
			if kinds, ok := a.starterKind(call); ok {
				for i, k := range kinds {
					if id, ok := ast.Unparen(call.Args[i]).(*ast.Ident); ok && i < len(call.Args) {
						usage[id] = k
					}
				}
			}
		})
		for obj, d := range a.declOf {
			decl, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			i := 0
			for _, f := range decl.Type.Params.List {
				if len(f.Names) == 0 {
					i++
				}
				for _, n := range f.Names {
					v := a.info.Defs[n]
					if k := combine(a.refs[v], usage); v != nil && k != plain && a.starterParams[obj][i] != k {
						if a.starterParams[obj] == nil {
							a.starterParams[obj] = map[int]litKind{}
						}
						a.starterParams[obj][i], changed = k, true
					}
					i++
				}
			}
		}
	}
}

// litKinds finds how each function literal runs.
func (a *analysis) litKinds() {
	a.eachCall(func(call *ast.CallExpr, fn ast.Node, inGo bool) {
		set := func(arg ast.Expr, k litKind) {
			var lit *ast.FuncLit
			switch x := ast.Unparen(arg).(type) {
			case *ast.FuncLit:
				lit = x
			case *ast.Ident:
				// A literal held in a variable runs where the variable is passed, and
				// maybe elsewhere too: never counted as inside a bubble.
				lit = a.varLit[a.info.Uses[x]]
				k = min(k, ownT)
			}
			if lit != nil && a.lit[lit] < k {
				a.lit[lit], a.litAt[lit] = k, call.Pos()
			}
		}
		if inGo {
			set(call.Fun, goroutine)
		}
		if kinds, ok := a.starterKind(call); ok {
			for i, k := range kinds {
				if i < len(call.Args) {
					set(call.Args[i], k)
				}
			}
		}
	})
}

// bubbledFuncs finds the learner functions used only from inside bubbles: the
// greatest fixed point.
func (a *analysis) bubbledFuncs() {
	for obj, d := range a.declOf {
		if fd, ok := d.(*ast.FuncDecl); ok && len(a.refs[obj]) > 0 {
			a.bubbled[fd] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for obj, d := range a.declOf {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || !a.bubbled[fd] {
				continue
			}
			for _, r := range a.refs[obj] {
				if !a.inBubble(r.fn) {
					a.bubbled[fd], changed = false, true
					break
				}
			}
		}
	}
}

// fatalFuncs finds the learner functions that call Fatal (or the like) on a parameter,
// on the goroutine that called them.
func (a *analysis) fatalFuncs() {
	for changed := true; changed; {
		changed = false
		a.eachCall(func(call *ast.CallExpr, fn ast.Node, inGo bool) {
			if inGo {
				return
			}
			decl, _ := outerDecl(a, fn).(*ast.FuncDecl)
			if decl == nil {
				return
			}
			dobj := a.info.Defs[decl.Name]
			for _, owner := range a.fatalOwners(call) {
				v := a.rootVar(owner)
				if v == nil || a.funcOf[v] != ast.Node(decl) || a.crosses(fn, decl) != token.NoPos {
					continue
				}
				i := paramIndex(a, decl, v)
				if i == -2 {
					continue
				}
				if a.fatalParams[dobj] == nil {
					a.fatalParams[dobj] = map[int]bool{}
				}
				if !a.fatalParams[dobj][i] {
					a.fatalParams[dobj][i], changed = true, true
				}
			}
		})
	}
}

// combine returns how a parameter with these uses is started: the way all its uses
// agree on, a goroutine if they differ, plain if none starts it.
func combine(refs []ref, usage map[*ast.Ident]litKind) litKind {
	if len(refs) == 0 {
		return plain
	}
	k := usage[refs[0].id]
	for _, r := range refs[1:] {
		if usage[r.id] != k {
			if max(k, usage[r.id]) != plain {
				return goroutine
			}
		}
	}
	return k
}

// eachCall calls f with every call in the learner's files, the function around it,
// and whether it is the call of a go statement.
func (a *analysis) eachCall(f func(call *ast.CallExpr, fn ast.Node, inGo bool)) {
	for _, file := range a.files {
		var stack []ast.Node
		ast.Inspect(file, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return false
			}
			if call, ok := n.(*ast.CallExpr); ok {
				inGo := false
				if len(stack) > 0 {
					if g, ok := stack[len(stack)-1].(*ast.GoStmt); ok && g.Call == call {
						inGo = true
					}
				}
				f(call, innermost(stack), inGo)
			}
			stack = append(stack, n)
			return true
		})
	}
}

func innermost(stack []ast.Node) ast.Node {
	for i := len(stack) - 1; i >= 0; i-- {
		if isFunc(stack[i]) {
			return stack[i]
		}
	}
	return nil
}

// outerDecl returns the top-level function around fn.
func outerDecl(a *analysis, fn ast.Node) ast.Node {
	for n := fn; n != nil; n = a.parent[n] {
		if d, ok := n.(*ast.FuncDecl); ok {
			return d
		}
	}
	return nil
}

// paramIndex returns the index of v among decl's parameters, -1 for its receiver, -2 if
// it is neither.
func paramIndex(a *analysis, decl *ast.FuncDecl, v types.Object) int {
	if v == nil {
		return -2
	}
	if decl.Recv != nil {
		for _, f := range decl.Recv.List {
			for _, n := range f.Names {
				if a.info.Defs[n] == v {
					return -1
				}
			}
		}
	}
	i := 0
	for _, f := range decl.Type.Params.List {
		if len(f.Names) == 0 {
			i++
		}
		for _, n := range f.Names {
			if a.info.Defs[n] == v {
				return i
			}
			i++
		}
	}
	return -2
}

// inBubble reports whether code in function fn runs inside a synctest bubble: fn is, or
// is inside, a literal passed to synctest.Test or guard.Bubble (or to a function of the
// learner's that passes it on to them), or inside a learner function used only there.
func (a *analysis) inBubble(fn ast.Node) bool {
	for n := fn; n != nil; n = a.parent[n] {
		switch n := n.(type) {
		case *ast.FuncLit:
			if a.lit[n] == bubble {
				return true
			}
		case *ast.FuncDecl:
			return a.bubbled[n]
		}
	}
	return false
}

// fatalOwners returns the expressions whose *testing.T (or require.TestingT, or a
// learner value holding one) a call may stop the goroutine of, if it may.
func (a *analysis) fatalOwners(call *ast.CallExpr) []ast.Expr {
	obj := a.callee(call)
	if obj == nil {
		return nil
	}
	sel, _ := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if isFatal(obj) {
		if sel != nil && a.info.Selections[sel] != nil {
			return []ast.Expr{sel.X}
		}
		return nil
	}
	if obj.Pkg() != nil && obj.Pkg().Path() == testifyRequire && obj.Name() != "New" {
		if sel != nil && a.info.Selections[sel] != nil {
			return []ast.Expr{sel.X} // (*require.Assertions).NoError: r holds the t
		}
		if len(call.Args) > 0 {
			return []ast.Expr{call.Args[0]}
		}
		return nil
	}
	var owners []ast.Expr
	for i := range a.fatalParams[obj] {
		switch {
		case i == -1 && sel != nil:
			owners = append(owners, sel.X)
		case i >= 0 && i < len(call.Args):
			owners = append(owners, call.Args[i])
		}
	}
	return owners
}

// isFatal reports whether obj is a method that ends the calling goroutine: Fatal,
// FailNow, Skip and the like of package testing, or of an interface (which a
// *testing.T may be behind).
func isFatal(obj types.Object) bool {
	f, ok := obj.(*types.Func)
	if !ok || !fatalNames[f.Name()] {
		return false
	}
	recv := f.Type().(*types.Signature).Recv()
	if recv == nil {
		return false
	}
	if f.Pkg() != nil && f.Pkg().Path() == "testing" {
		return true
	}
	_, isIface := recv.Type().Underlying().(*types.Interface)
	return isIface
}

// rootVar returns the variable an expression such as t, h.t, (*p).t or ts[i] starts
// from, or nil.
func (a *analysis) rootVar(x ast.Expr) types.Object {
	for {
		switch e := x.(type) {
		case *ast.ParenExpr:
			x = e.X
		case *ast.SelectorExpr:
			if a.info.Selections[e] == nil { // a qualified identifier: pkg.Var
				return a.info.Uses[e.Sel]
			}
			x = e.X
		case *ast.IndexExpr:
			x = e.X
		case *ast.StarExpr:
			x = e.X
		case *ast.UnaryExpr:
			x = e.X
		case *ast.Ident:
			return cmp.Or(a.info.Uses[e], a.info.Defs[e])
		default:
			return nil
		}
	}
}

// crosses returns where a goroutine starts between the code in fn and the function
// owner that declares the *testing.T it uses (NoPos if none does): a literal run on
// another goroutine, unless it is owner itself and got a *testing.T of its own.
func (a *analysis) crosses(fn, owner ast.Node) token.Pos {
	for n := fn; n != nil; n = a.parent[n] {
		if lit, ok := n.(*ast.FuncLit); ok && a.lit[lit] != plain {
			if n != owner || a.lit[lit] == goroutine {
				return cmp.Or(a.litAt[lit], lit.Pos())
			}
		}
		if n == owner {
			return token.NoPos
		}
	}
	return token.NoPos
}

// reachable returns the declarations of the learner's files that the roots use,
// directly or through others (a type brings its methods).
func (a *analysis) reachable(roots []ast.Node) map[ast.Node]bool {
	reach := map[ast.Node]bool{}
	methods := map[types.Object][]ast.Node{}
	for _, f := range a.files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil && len(fd.Recv.List) > 0 {
				if tn := recvTypeName(a, fd); tn != nil {
					methods[tn] = append(methods[tn], fd)
				}
			}
		}
	}
	todo := slices.Clone(roots)
	for len(todo) > 0 {
		d := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if reach[d] {
			continue
		}
		reach[d] = true
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil {
			if tn := recvTypeName(a, fd); tn != nil {
				if td := a.declOf[tn]; td != nil {
					todo = append(todo, td)
				}
			}
		}
		ast.Inspect(d, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			obj := a.info.Uses[id]
			if obj == nil {
				return true
			}
			if decl := a.declOf[obj]; decl != nil {
				todo = append(todo, decl)
			}
			if f, ok := obj.(*types.Func); ok {
				if decl := a.methodDecl(f); decl != nil {
					todo = append(todo, decl)
				}
			}
			todo = append(todo, methods[obj]...)
			return true
		})
	}
	return reach
}

func recvTypeName(a *analysis, fd *ast.FuncDecl) types.Object {
	obj, _ := a.info.Defs[fd.Name].(*types.Func)
	if obj == nil {
		return nil
	}
	t := obj.Type().(*types.Signature).Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Origin().Obj()
	}
	return nil
}

func (a *analysis) methodDecl(f *types.Func) ast.Node {
	return a.declOf[f.Origin()]
}

// refuse records a refusal at pos, once per position and rule.
func (a *analysis) refuse(pos token.Pos, rule Rule, what, message string) {
	p := a.fset.Position(pos)
	at := fmt.Sprintf("%s:%d", p.Filename, p.Line)
	if a.seen[at+string(rule)+what] {
		return
	}
	a.seen[at+string(rule)+what] = true
	a.refused = append(a.refused, Refusal{Pos: at, Rule: rule, What: what, Message: message})
}

func (a *analysis) intro(pos token.Pos, what, why string) {
	a.refuse(pos, Introspection, what, fmt.Sprintf(introText, what, why))
}

// scanImports refuses the imports of packages refused whole.
func (a *analysis) scanImports(f *ast.File) {
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		switch {
		case pkgWhy(p) != "":
			a.intro(imp.Pos(), "import "+strconv.Quote(p), pkgWhy(p))
		case strings.HasPrefix(p, a.module+"/") && p != guardPath && p != rendezvousPath:
			a.intro(imp.Pos(), "import "+strconv.Quote(p), whyWorkbook)
		}
	}
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if strings.HasPrefix(c.Text, "//go:") && !strings.HasPrefix(c.Text, "//go:build") {
				a.intro(c.Pos(), strings.Fields(c.Text)[0], whyUnsafe)
			}
		}
	}
}

func pkgWhy(p string) string {
	if why, ok := introPkgs[p]; ok {
		return why
	}
	for prefix, why := range introPkgs {
		if strings.HasSuffix(prefix, "/") && strings.HasPrefix(p, prefix) {
			return why
		}
	}
	return ""
}

// name is how a refusal names an object: pkg.Name or Type.Method, as a learner writes it.
func name(obj types.Object) string {
	if f, ok := obj.(*types.Func); ok {
		if recv := f.Type().(*types.Signature).Recv(); recv != nil {
			t := recv.Type()
			if p, ok := t.(*types.Pointer); ok {
				t = p.Elem()
			}
			if n, ok := types.Unalias(t).(*types.Named); ok {
				if n.Obj().Pkg() != nil {
					return n.Obj().Pkg().Name() + "." + n.Obj().Name() + "." + f.Name()
				}
				return n.Obj().Name() + "." + f.Name()
			}
			return f.Name()
		}
	}
	if obj.Pkg() != nil {
		return obj.Pkg().Name() + "." + obj.Name()
	}
	return obj.Name()
}

// scanDecl checks one reachable declaration of a learner file.
func (a *analysis) scanDecl(d ast.Node) {
	if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil {
		if tn := recvTypeName(a, fd); tn != nil && a.isImpl(tn) {
			a.intro(fd.Name.Pos(), "func ("+tn.Name()+") "+fd.Name.Name, whyMethod)
		}
	}
	var stack []ast.Node
	ast.Inspect(d, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return false
		}
		fn := innermost(stack)
		switch n := n.(type) {
		case *ast.Ident:
			a.scanUse(n, fn, stack)
		case *ast.CallExpr:
			inGo := len(stack) > 0 && isGoCall(stack[len(stack)-1], n)
			a.scanCall(n, fn, inGo)
		case *ast.CompositeLit:
			a.scanLiteral(n)
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i := range n.Lhs {
					a.convert(a.info.TypeOf(n.Lhs[i]), n.Rhs[i], nil)
				}
			}
		case *ast.ValueSpec:
			if n.Type != nil {
				for _, v := range n.Values {
					a.convert(a.info.TypeOf(n.Type), v, nil)
				}
			}
		case *ast.ReturnStmt:
			a.scanReturn(n, fn)
		case *ast.SendStmt:
			if ch, ok := a.info.TypeOf(n.Chan).Underlying().(*types.Chan); ok {
				a.convert(ch.Elem(), n.Value, nil)
			}
		}
		stack = append(stack, n)
		return true
	})
}

func isGoCall(parent ast.Node, call *ast.CallExpr) bool {
	g, ok := parent.(*ast.GoStmt)
	return ok && g.Call == call
}

// isImpl reports whether obj is declared in the implementation's files.
func (a *analysis) isImpl(obj types.Object) bool {
	if obj == nil || !obj.Pos().IsValid() || obj.Pkg() == nil || obj.Pkg().Path() != a.pkgPath {
		return false
	}
	return a.impl[a.fset.File(obj.Pos())]
}

// implType reports whether t is, points to, or holds a type declared in the
// implementation's files.
func (a *analysis) implType(t types.Type) bool {
	seen := map[types.Type]bool{}
	var walk func(t types.Type) bool
	walk = func(t types.Type) bool {
		if t == nil || seen[t] {
			return false
		}
		seen[t] = true
		switch x := types.Unalias(t).(type) {
		case *types.Named:
			if a.isImpl(x.Obj()) {
				return true
			}
			if x.Obj().Pkg() != nil && x.Obj().Pkg().Path() != a.pkgPath {
				return false // another package's type cannot hold ours, but through type arguments
			}
			return walk(x.Underlying())
		case *types.Pointer:
			return walk(x.Elem())
		case *types.Slice:
			return walk(x.Elem())
		case *types.Array:
			return walk(x.Elem())
		case *types.Map:
			return walk(x.Key()) || walk(x.Elem())
		case *types.Chan:
			return walk(x.Elem())
		case *types.Struct:
			for i := range x.NumFields() {
				if walk(x.Field(i).Type()) {
					return true
				}
			}
		}
		return false
	}
	return walk(t)
}

// revealing reports whether printing a value of type t shows an address or a function:
// a func, chan, unsafe.Pointer or uintptr, or a pointer that is not to a struct, array,
// slice or map at the top (those print their contents), anywhere in it.
func revealing(t types.Type) bool {
	seen := map[types.Type]bool{}
	var walk func(t types.Type, top bool) bool
	walk = func(t types.Type, top bool) bool {
		if t == nil || seen[t] {
			return false
		}
		seen[t] = true
		switch x := t.Underlying().(type) {
		case *types.Signature, *types.Chan:
			return true
		case *types.Basic:
			return x.Kind() == types.UnsafePointer || x.Kind() == types.Uintptr
		case *types.Pointer:
			if !top {
				return true
			}
			switch x.Elem().Underlying().(type) {
			case *types.Struct, *types.Array, *types.Slice, *types.Map:
				return walk(x.Elem(), false)
			}
			return true
		case *types.Slice:
			return walk(x.Elem(), false)
		case *types.Array:
			return walk(x.Elem(), false)
		case *types.Map:
			return walk(x.Key(), false) || walk(x.Elem(), false)
		case *types.Struct:
			for i := range x.NumFields() {
				if walk(x.Field(i).Type(), false) {
					return true
				}
			}
		}
		return false
	}
	return walk(t, true)
}

// scanUse checks a use of an object.
func (a *analysis) scanUse(id *ast.Ident, fn ast.Node, stack []ast.Node) {
	obj := a.info.Uses[id]
	if obj == nil {
		return
	}
	if _, isPkg := obj.(*types.PkgName); isPkg {
		return
	}
	if a.isImpl(obj) && !obj.Exported() {
		a.intro(id.Pos(), id.Name+" (of the implementation)", whyPrivate)
		return
	}
	id2 := funcID(obj)
	pkg := ""
	if obj.Pkg() != nil {
		pkg = obj.Pkg().Path()
	}
	// The real clock, outside a bubble.
	if clockIDs[id2] || (clockPkgs[pkg] && isFuncObj(obj)) ||
		((pkg == testifyAssert || pkg == testifyRequire) && eventually[obj.Name()] && isFuncObj(obj)) {
		if !a.inBubble(fn) {
			a.refuse(id.Pos(), RealClock, name(obj), fmt.Sprintf(realClockText, name(obj)))
		}
	}
	// Introspection.
	switch {
	case introIDs[id2] != "":
		a.intro(id.Pos(), name(obj), introIDs[id2])
	case pkg == "runtime" && obj.Parent() == obj.Pkg().Scope() && !runtimeAllowed[obj.Name()]:
		why := whyStacks
		if strings.Contains(obj.Name(), "Mem") || strings.Contains(obj.Name(), "Profile") {
			why = whyCost
		}
		a.intro(id.Pos(), name(obj), why)
	case pkg == "runtime" && isFuncObj(obj) && strings.HasPrefix(id2, "runtime.") && !runtimeAllowed[strings.Split(id2, ".")[1]]:
		a.intro(id.Pos(), name(obj), whyStacks) // methods of runtime.Func, runtime.Frames and the like
	case pkg == "reflect" && id2 != "reflect.DeepEqual":
		a.intro(id.Pos(), name(obj), whyReflect)
	case pkgWhy(pkg) != "" && isFuncObj(obj):
		// Functions of a refused package are refused at its import; a method reaches
		// the learner's file through a value that another package handed out.
		if obj.(*types.Func).Type().(*types.Signature).Recv() != nil {
			a.intro(id.Pos(), name(obj), pkgWhy(pkg))
		}
	}
	// Fatal and require used as values.
	if isFuncObj(obj) && (isFatal(obj) || pkg == testifyRequire && obj.Name() != "New") && !isCallee(id, stack) {
		what := obj.Name()
		if len(stack) > 0 {
			if sel, ok := stack[len(stack)-1].(*ast.SelectorExpr); ok && sel.Sel == id {
				what = exprText(a.fset, sel)
			}
		}
		a.refuse(id.Pos(), FatalOffTest, what, fmt.Sprintf(fatalValueText, what))
	}
}

func isFuncObj(obj types.Object) bool {
	_, ok := obj.(*types.Func)
	return ok
}

// isCallee reports whether id is what the call around it calls: f(), x.f(), f[T]().
func isCallee(id *ast.Ident, stack []ast.Node) bool {
	var child ast.Node = id
	for i := len(stack) - 1; i >= 0; i-- {
		switch p := stack[i].(type) {
		case *ast.SelectorExpr:
			if p.Sel != child {
				return false
			}
		case *ast.ParenExpr, *ast.IndexExpr, *ast.IndexListExpr:
		case *ast.CallExpr:
			return p.Fun == child
		default:
			return false
		}
		child = stack[i]
	}
	return false
}

// scanCall checks a call: Fatal off the test's goroutine, what fmt prints, what
// guard.States matches, and the conversions of its arguments.
func (a *analysis) scanCall(call *ast.CallExpr, fn ast.Node, inGo bool) {
	obj := a.callee(call)
	if tv, ok := a.info.Types[call.Fun]; ok && tv.IsType() && len(call.Args) == 1 {
		a.conversion(tv.Type, call.Args[0])
		return
	}
	// t.Fatal and the like, on the goroutine of the test that owns t.
	for _, owner := range a.fatalOwners(call) {
		what := exprText(a.fset, call.Fun) // as written: t.Fatal, require.NoError, check
		v := a.rootVar(owner)
		var at token.Pos
		switch {
		case inGo:
			at = call.Pos()
		case v != nil && v.Parent() == v.Pkg().Scope():
			a.refuse(call.Pos(), FatalOffTest, what, fmt.Sprintf(fatalGlobalText, what))
			continue
		default:
			var owns ast.Node
			if v != nil {
				owns = a.funcOf[v]
			}
			at = a.crosses(fn, owns)
		}
		if at != token.NoPos {
			a.refuse(call.Pos(), FatalOffTest, what, fmt.Sprintf(fatalText, what, a.fset.Position(at).Line))
		}
	}
	if obj == nil {
		return
	}
	id := funcID(obj)
	sig, _ := a.info.TypeOf(call.Fun).(*types.Signature)
	// What fmt turns into text.
	if obj.Pkg() != nil && obj.Pkg().Path() == "fmt" && fmtFormatters[obj.Name()] {
		for _, arg := range call.Args {
			if tv, ok := a.info.Types[arg]; ok && tv.Value != nil && tv.Value.Kind() == constant.String &&
				strings.Contains(strings.ReplaceAll(constant.StringVal(tv.Value), "%%", ""), "%p") {
				a.intro(arg.Pos(), "the verb %p", whyAddress)
			}
			// Functions and the implementation's values are refused as they become
			// interface values (convert); here, the addresses.
			t := a.info.TypeOf(arg)
			if _, isFunc := t.Underlying().(*types.Signature); !isFunc && !a.implType(t) && revealing(t) {
				a.intro(arg.Pos(), "fmt."+obj.Name()+" of a "+a.typeString(t), whyAddress)
			}
		}
	}
	// guard.States and guard.AwaitState match stack text.
	if (id == guardPath+".States" || id == guardPath+".AwaitState") && len(call.Args) > 0 {
		if !a.apiName(call.Args[0]) {
			a.intro(call.Args[0].Pos(), name(obj)+" of "+exprText(a.fset, call.Args[0]), whyStateMatch)
		}
	}
	// The arguments, as they become the parameters' types.
	if sig != nil {
		params := sig.Params()
		for i, arg := range call.Args {
			var pt types.Type
			switch {
			case sig.Variadic() && i >= params.Len()-1:
				if call.Ellipsis.IsValid() {
					pt = params.At(params.Len() - 1).Type()
				} else {
					pt = params.At(params.Len() - 1).Type().(*types.Slice).Elem()
				}
			case i < params.Len():
				pt = params.At(i).Type()
			}
			a.convert(pt, arg, obj)
		}
	}
}

// apiName reports whether x is a constant naming exported functions, methods or types
// of the implementation (such as "(*Buffer).Get" or "NewBuffer"), and nothing else.
func (a *analysis) apiName(x ast.Expr) bool {
	tv, ok := a.info.Types[x]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return false
	}
	s := constant.StringVal(tv.Value)
	words := identRE.FindAllString(s, -1)
	if len(words) == 0 || strings.Trim(identRE.ReplaceAllString(s, ""), "().*") != "" {
		return false
	}
	for _, w := range words {
		if !token.IsExported(w) || !a.implAPI(w) {
			return false
		}
	}
	return true
}

var identRE = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// implAPI reports whether name is an exported name the implementation declares: a
// type, function, or method of one of its types.
func (a *analysis) implAPI(name string) bool {
	for id, obj := range a.info.Defs {
		if obj == nil || id.Name != name || !a.isImpl(obj) {
			continue
		}
		if _, ok := obj.(*types.Func); ok {
			return true
		}
		if _, ok := obj.(*types.TypeName); ok {
			return true
		}
	}
	return false
}

// convert checks a value x becoming type to (a parameter of call, or an assignment).
func (a *analysis) convert(to types.Type, x ast.Expr, call types.Object) {
	if to == nil {
		return
	}
	from := a.info.TypeOf(x)
	if from == nil {
		return
	}
	if _, isIface := to.Underlying().(*types.Interface); !isIface {
		return
	}
	if _, fromIface := from.Underlying().(*types.Interface); fromIface {
		return
	}
	if b, ok := from.(*types.Basic); ok && b.Kind() == types.UntypedNil {
		return
	}
	if n, ok := types.Unalias(to).(*types.Named); ok && n.Obj().Name() == "TestingT" && n.Obj().Pkg() != nil &&
		(n.Obj().Pkg().Path() == testifyAssert || n.Obj().Pkg().Path() == testifyRequire) && !a.testingT(from) {
		a.intro(x.Pos(), "a "+a.typeString(from)+" as testify's TestingT", whyTestingT)
		return
	}
	if _, isFunc := from.Underlying().(*types.Signature); isFunc {
		a.intro(x.Pos(), "a function as an interface value", whyFuncValue)
		return
	}
	if a.implType(from) && (call == nil || !implValueOK[funcID(call)]) {
		a.intro(x.Pos(), "a "+a.typeString(from)+" as an interface value", whyImplValue)
	}
}

// typeString writes a type as the learner's file would: the package's own names bare,
// others qualified by their package's name.
func (a *analysis) typeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string {
		if p.Path() == a.pkgPath || p.Path() == a.pkgPath+"_test" {
			return ""
		}
		return p.Name()
	})
}

// testingT reports whether t is one of the reporters testify may be given: the test's
// *testing.T (or testing.TB) or EventuallyWithT's *assert.CollectT.
func (a *analysis) testingT(t types.Type) bool {
	s := types.TypeString(t, nil)
	return s == "*testing.T" || s == "testing.TB" || s == "*"+testifyAssert+".CollectT"
}

// conversion checks an explicit conversion T(x).
func (a *analysis) conversion(to types.Type, x ast.Expr) {
	from := a.info.TypeOf(x)
	if from == nil {
		return
	}
	if _, isIface := to.Underlying().(*types.Interface); isIface {
		a.convert(to, x, nil)
		return
	}
	if !types.Identical(from, to) && (a.implType(from) || a.implType(to)) {
		a.intro(x.Pos(), "a conversion between "+a.typeString(from)+" and "+
			a.typeString(to), whyPrivate)
	}
}

// scanLiteral refuses a composite literal of an implementation's struct type that sets
// fields: they are private (and unkeyed elements reach them too).
func (a *analysis) scanLiteral(lit *ast.CompositeLit) {
	t := a.info.TypeOf(lit)
	if t == nil {
		return
	}
	if n, ok := types.Unalias(t).(*types.Named); ok && a.isImpl(n.Obj()) && len(lit.Elts) > 0 {
		if _, isStruct := n.Underlying().(*types.Struct); isStruct {
			a.intro(lit.Pos(), n.Obj().Name()+"{...}", whyPrivate)
			return
		}
	}
	switch u := t.Underlying().(type) {
	case *types.Struct:
		for i, e := range lit.Elts {
			if kv, ok := e.(*ast.KeyValueExpr); ok {
				if id, ok := kv.Key.(*ast.Ident); ok {
					if f, ok := a.info.Uses[id].(*types.Var); ok {
						a.convert(f.Type(), kv.Value, nil)
					}
				}
			} else if i < u.NumFields() {
				a.convert(u.Field(i).Type(), e, nil)
			}
		}
	case *types.Slice, *types.Array, *types.Map:
		var elem types.Type
		switch u := u.(type) {
		case *types.Slice:
			elem = u.Elem()
		case *types.Array:
			elem = u.Elem()
		case *types.Map:
			elem = u.Elem()
		}
		for _, e := range lit.Elts {
			if kv, ok := e.(*ast.KeyValueExpr); ok {
				e = kv.Value
			}
			a.convert(elem, e, nil)
		}
	}
}

func (a *analysis) scanReturn(r *ast.ReturnStmt, fn ast.Node) {
	var ft *ast.FuncType
	switch f := fn.(type) {
	case *ast.FuncDecl:
		ft = f.Type
	case *ast.FuncLit:
		ft = f.Type
	default:
		return
	}
	sig, _ := a.info.TypeOf(ft).(*types.Signature)
	if sig == nil || sig.Results().Len() != len(r.Results) {
		return
	}
	for i, x := range r.Results {
		a.convert(sig.Results().At(i).Type(), x, nil)
	}
}

// isTestFunc reports whether fn is func TestXxx(t *testing.T).
func (a *analysis) isTestFunc(fn *ast.FuncDecl) bool {
	obj, _ := a.info.Defs[fn.Name].(*types.Func)
	if obj == nil || !isTestName(fn.Name.Name) {
		return false
	}
	sig := obj.Type().(*types.Signature)
	return sig.Params().Len() == 1 && sig.Results().Len() == 0 && sig.TypeParams() == nil &&
		types.TypeString(sig.Params().At(0).Type(), nil) == "*testing.T"
}

// stub reports whether a test is still the starting stub: its only statement calls
// t.Fatal (or Fatalf, Skip) with a constant that begins with "TODO".
func (a *analysis) stub(fn *ast.FuncDecl) bool {
	if fn.Body == nil || len(fn.Body.List) != 1 {
		return false
	}
	es, ok := fn.Body.List[0].(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := es.X.(*ast.CallExpr)
	if !ok || len(call.Args) == 0 || !isFatal(a.callee(call)) {
		return false
	}
	tv, ok := a.info.Types[call.Args[0]]
	return ok && tv.Value != nil && tv.Value.Kind() == constant.String &&
		strings.HasPrefix(constant.StringVal(tv.Value), "TODO")
}

func exprText(fset *token.FileSet, x ast.Expr) string {
	var b strings.Builder
	_ = printer.Fprint(&b, fset, x)
	return b.String()
}

// comparePos orders "file:line" positions by file, then line.
func comparePos(x, y string) int {
	fx, lx, _ := cutLast(x, ":")
	fy, ly, _ := cutLast(y, ":")
	if c := strings.Compare(fx, fy); c != 0 {
		return c
	}
	nx, _ := strconv.Atoi(lx)
	ny, _ := strconv.Atoi(ly)
	return nx - ny
}

func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}
