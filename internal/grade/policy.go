package grade

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// DefaultImports are the packages a learner's file may import in course mode, besides a
// chapter's Policy.Imports: the standard library's data, text, time and concurrency
// packages and golang.org/x/sync and x/time. Left out on purpose: unsafe, C (cgo), os and
// everything under it, syscall, reflect, runtime/debug, debug/*, testing, flag, plugin,
// log (log.Fatal exits), net, io/ioutil: what could reach the test binary's files,
// environment, exit status or memory from outside the language's rules.
var DefaultImports = []string{
	"bufio", "bytes", "cmp", "container/heap", "container/list", "container/ring", "context",
	"crypto/md5", "crypto/sha1", "crypto/sha256", "crypto/sha512", "encoding/base64", "encoding/binary",
	"encoding/hex", "encoding/json", "errors", "fmt", "hash", "hash/crc32", "hash/fnv", "hash/maphash",
	"io", "iter", "maps", "math", "math/big", "math/bits", "math/rand", "math/rand/v2", "runtime", "slices",
	"sort", "strconv", "strings", "sync", "sync/atomic", "time", "unicode", "unicode/utf16", "unicode/utf8",
	"golang.org/x/sync/errgroup", "golang.org/x/sync/semaphore", "golang.org/x/sync/singleflight",
	"golang.org/x/time/rate",
}

// Violation is one break of the static policy: where, and which rule.
type Violation struct {
	File string `json:"file"` // slash-separated, relative to the graded tree's root
	Line int    `json:"line"`
	Rule string `json:"rule"`
}

func (v Violation) String() string { return fmt.Sprintf("%s:%d: %s", v.File, v.Line, v.Rule) }

// CheckPolicy checks a chapter's learner files (name → content, names as they appear in
// reports): imports from the allow-list only, no cgo, no init functions, no
// //go:linkname or other compiler directives that reach past the language.
func CheckPolicy(ch *manifest.Chapter, files map[string][]byte) []Violation {
	allowed := slices.Clone(DefaultImports)
	if ch.Policy != nil {
		allowed = append(allowed, ch.Policy.Imports...)
	}
	var out []Violation
	for _, name := range sortedKeys(files) {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, files[name], parser.ParseComments)
		if err != nil {
			continue // the build reports it
		}
		at := func(p token.Pos) int { return fset.Position(p).Line }
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			switch {
			case path == "C":
				out = append(out, Violation{name, at(imp.Pos()), `cgo (import "C") is not allowed`})
			case !slices.Contains(allowed, path):
				out = append(out, Violation{name, at(imp.Pos()), fmt.Sprintf("import %q is not allowed in this chapter", path)})
			}
		}
		// Where a chapter allows os, its exit is still the grader's: os.Exit(0) outside a
		// test would end the binary with the status of a pass.
		osName := ""
		for _, imp := range f.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); path == "os" {
				osName = "os"
				if imp.Name != nil {
					osName = imp.Name.Name
				}
			}
		}
		if osName != "" {
			ast.Inspect(f, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "Exit" {
					if id, ok := sel.X.(*ast.Ident); ok && id.Name == osName {
						out = append(out, Violation{name, at(sel.Pos()), "os.Exit is not allowed: the test binary's exit status is the grader's"})
					}
				}
				return true
			})
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "init" {
				out = append(out, Violation{name, at(fn.Pos()), "func init is not allowed: set-up runs where the tests call it"})
			}
		}
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				text := strings.TrimSpace(strings.TrimPrefix(c.Text, "//"))
				switch {
				case strings.HasPrefix(c.Text, "//go:build") || strings.HasPrefix(text, "+build"):
					out = append(out, Violation{name, at(c.Pos()), "build constraints are not allowed: an exercise's file is built " +
						"with every flag and on every system, like the tests"})
				case strings.HasPrefix(c.Text, "//go:") && !strings.HasPrefix(text, "go:generate"):
					out = append(out, Violation{name, at(c.Pos()), "the directive //" + strings.Fields(text)[0] + " is not allowed"})
				case lineDirective.MatchString(c.Text):
					out = append(out, Violation{name, at(c.Pos()), "//line directives are not allowed"})
				}
			}
		}
	}
	return out
}

// lineDirective is a real //line (or /*line */) directive: it ends in :LINE or
// :LINE:COL. An ordinary comment that begins with the word "line" is none.
var lineDirective = regexp.MustCompile(`^(//line |/\*line ).*:\d+(:\d+)?\s*(\*/)?$`)

func sortedKeys[V any](m map[string]V) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	slices.Sort(k)
	return k
}
