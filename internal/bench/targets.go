package bench

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-concurrency-workbook/workbook/internal/layout"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// TargetProblems reports the targets of a chapter that name no benchmark (or sub-benchmark
// pattern) of its bench_test.go, or no benchmark of its Python peer, and what is wrong
// with the chapter's entry in Peers: make check runs it on every chapter.
func TargetProblems(root string, ch *manifest.Chapter) []string {
	file := filepath.Join(root, layout.Exercises, ch.ID, "bench_test.go")
	return append(targetProblems(file, ch.Targets), peerProblems(root, ch, file)...)
}

func targetProblems(file string, targets []*manifest.Target) []string {
	names, err := benchNames(file)
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	for _, t := range targets {
		for _, name := range []string{t.Benchmark, t.Baseline} {
			if name == "" || strings.HasPrefix(name, PythonPrefix) {
				continue // a Python peer's: peerProblems checks it
			}
			top, sub, _ := strings.Cut(name, "/")
			re, ok := names[top]
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("%q: no func %s in %s", t.Name, top, filepath.Base(file)))
			case sub == "" && re != nil:
				// Running the parent runs its sub-benchmarks; it reports no result of its own.
				problems = append(problems, fmt.Sprintf("%q: %s has sub-benchmarks; name one", t.Name, top))
			case sub != "" && (re == nil || !re.MatchString(sub)):
				problems = append(problems, fmt.Sprintf("%q: %s runs no sub-benchmark %q", t.Name, top, sub))
			}
		}
	}
	return problems
}

// benchNames returns the Benchmark functions of a file, each with a pattern that matches
// the path of its sub-benchmarks (nil when it has none).
func benchNames(file string) (map[string]*regexp.Regexp, error) {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		return nil, err
	}
	names := map[string]*regexp.Regexp{}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Benchmark") || fn.Body == nil {
			continue
		}
		var alts []string
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 2 {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Run" {
				alts = append(alts, subPattern(call.Args[0]))
			}
			return true
		})
		names[fn.Name.Name] = nil
		if len(alts) > 0 {
			alt := "(?:" + strings.Join(alts, "|") + ")"
			names[fn.Name.Name] = regexp.MustCompile("^" + alt + "(?:/" + alt + ")*$")
		}
	}
	return names, nil
}

var sprintfVerb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// subPattern returns a regular expression for the names the first argument of a b.Run
// call can take.
func subPattern(arg ast.Expr) string {
	if lit, ok := arg.(*ast.BasicLit); ok && lit.Kind == token.STRING {
		if s, err := strconv.Unquote(lit.Value); err == nil {
			return regexp.QuoteMeta(s)
		}
	}
	if call, ok := arg.(*ast.CallExpr); ok && len(call.Args) > 0 {
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" {
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if format, err := strconv.Unquote(lit.Value); err == nil {
					var b strings.Builder
					last := 0
					for _, loc := range sprintfVerb.FindAllStringIndex(format, -1) {
						b.WriteString(regexp.QuoteMeta(format[last:loc[0]]))
						switch v := format[loc[1]-1]; v {
						case '%':
							b.WriteString("%")
						case 'd':
							b.WriteString("-?[0-9]+")
						default:
							b.WriteString("[^/]+")
						}
						last = loc[1]
					}
					b.WriteString(regexp.QuoteMeta(format[last:]))
					return b.String()
				}
			}
		}
	}
	return ".+" // a name computed some other way: anything
}
