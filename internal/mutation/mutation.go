// Package mutation grades tests a learner wrote (exercises of kind "tests"): they must
// pass on the correct implementation, fail on every wrong one the chapter keeps (its
// mutants), never sleep outside a synctest bubble, and finish within their limit.
package mutation

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/layout"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/runner"
)

// Options says whose tests to grade, and how.
type Options struct {
	Root     string // the module's root
	Tree     string // the tree of chapters that holds the learner's tests: "exercises" or "solutions"
	Exercise *manifest.Exercise
	Mutants  []*manifest.Mutant // the chapter's mutants; those of the exercise are used
	Limit    time.Duration      // real time for one test process
	Jobs     int                // processes (builds included) at once
	Env      []string           // nil means runner.Env(false)
	Strict   bool               // grade -course: TestMain's report and containment
	Tmp      string             // a directory for the binaries
}

// Outcome is the grade of the learner's tests.
type Outcome struct {
	Status    runner.Status
	Tests     []string           // the learner's tests, from their files
	Sleeps    []string           // file:line of each time.Sleep outside a synctest bubble
	BuildErr  string             // the package does not build
	OnCorrect *runner.Result     // the run on the correct implementation
	Survivors []*manifest.Mutant // wrong implementations the tests pass on
	Hung      []*manifest.Mutant // wrong implementations the tests ran out of time on
	Killed    int                // wrong implementations the tests caught
}

// Run grades the learner's tests of o.Exercise.
func Run(ctx context.Context, o Options) Outcome {
	e := o.Exercise
	pkg := o.Tree + "/" + e.Chapter.ID
	dir := filepath.Join(o.Root, filepath.FromSlash(pkg))
	var out Outcome
	for _, f := range e.Files {
		tests, sleeps, err := scan(filepath.Join(dir, f), pkg+"/"+f)
		if err != nil {
			out.Status, out.BuildErr = runner.Error, err.Error()
			return out
		}
		out.Tests, out.Sleeps = append(out.Tests, tests...), append(out.Sleeps, sleeps...)
	}
	if len(out.Tests) == 0 {
		out.Status = runner.Fail
		return out
	}
	pattern := "^(" + strings.Join(out.Tests, "|") + ")$"
	run := func(overlay map[string]string, name string) (*runner.Result, error) {
		bin := filepath.Join(o.Tmp, layout.Binary(e.Chapter.ID+"-"+name+".test"))
		err := runner.Build(ctx, runner.BuildSpec{Root: o.Root, Pkg: pkg, Out: bin, Race: true, Overlay: overlay,
			Env: o.Env, ReadOnly: o.Strict})
		if err != nil {
			return nil, err
		}
		return runner.Exec(ctx, runner.Spec{Bin: bin, Dir: dir, Run: pattern, Limit: o.Limit, Env: o.Env,
			Report: o.Strict, Contain: o.Strict}), nil
	}
	res, err := run(nil, "correct")
	if err != nil {
		out.Status, out.BuildErr = runner.Error, err.Error()
		return out
	}
	out.OnCorrect = res
	var mu sync.Mutex
	var jobs []func()
	for _, m := range o.Mutants {
		if !m.Of(e) {
			continue
		}
		overlay := map[string]string{}
		for _, to := range m.Overlay {
			overlay[filepath.Join(dir, filepath.Base(to))] = to
		}
		jobs = append(jobs, func() {
			r, err := run(overlay, m.Name)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil: // the mutant does not build with the learner's tests: nothing to learn from it
				out.Killed++
			case r.TimedOut:
				out.Hung = append(out.Hung, m)
			case r.Verdict(out.Tests) == runner.Pass:
				out.Survivors = append(out.Survivors, m)
			default:
				out.Killed++
			}
		})
	}
	runner.Parallel(o.Jobs, jobs)
	switch v := res.Verdict(out.Tests); {
	case ctx.Err() != nil:
		out.Status = runner.Error
	case v != runner.Pass:
		out.Status = v
	case len(out.Sleeps) > 0 || len(out.Survivors) > 0 || len(out.Hung) > 0:
		out.Status = runner.Fail
	default:
		out.Status = runner.Pass
	}
	return out
}

// scan returns the tests of a learner's test file and each call of time.Sleep outside a
// function literal passed to synctest.Test or guard.Bubble (where time is fake).
func scan(path, name string) (tests, sleeps []string, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, b, 0)
	if err != nil {
		return nil, nil, err
	}
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && strings.HasPrefix(fn.Name.Name, "Test") && isTest(fn) {
			tests = append(tests, fn.Name.Name)
		}
	}
	var walk func(n ast.Node, bubble bool)
	walk = func(n ast.Node, bubble bool) {
		ast.Inspect(n, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			switch callee(call) {
			case "time.Sleep":
				if !bubble {
					sleeps = append(sleeps, fmt.Sprintf("%s:%d", name, fset.Position(call.Pos()).Line))
				}
			case "synctest.Test", "guard.Bubble":
				for _, a := range call.Args {
					if lit, ok := a.(*ast.FuncLit); ok {
						walk(lit.Body, true)
					} else {
						walk(a, bubble)
					}
				}
				return false
			}
			return true
		})
	}
	walk(f, false)
	return tests, sleeps, nil
}

// isTest reports whether fn is func TestXxx(t *testing.T).
func isTest(fn *ast.FuncDecl) bool {
	name := fn.Name.Name
	if len(name) > 4 && strings.ToLower(name[4:5]) == name[4:5] && name[4] != '_' {
		return false
	}
	p := fn.Type.Params.List
	return len(p) == 1 && len(p[0].Names) <= 1 && exprString(p[0].Type) == "*testing.T"
}

func callee(call *ast.CallExpr) string {
	if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
		if id, ok := sel.X.(*ast.Ident); ok {
			return id.Name + "." + sel.Sel.Name
		}
	}
	return ""
}

func exprString(x ast.Expr) string {
	switch x := x.(type) {
	case *ast.StarExpr:
		return "*" + exprString(x.X)
	case *ast.SelectorExpr:
		return exprString(x.X) + "." + x.Sel.Name
	case *ast.Ident:
		return x.Name
	}
	return ""
}
