package mutation

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// CheckAligned reports how a mutant file of a chapter whose learners write the tests
// could be told from the implementation file it replaces without running it: by its
// name, its package, the line of any line it leaves unchanged, or a name it declares.
//
// The rules, which every such mutant keeps:
//   - the same file name and package;
//   - the implementation's first line is a comment of its own, which the mutant's header
//     (`// mutant: ...`) replaces;
//   - the package clause and imports may be laid out differently (a mutant may import a
//     package more, moving its package clause up into the blank line under the header),
//     but the first declaration, with its doc comment, starts on the same line;
//   - from there on, each line the mutant keeps has the same number: a changed line
//     replaces a line one for one (several statements fit on one line in a function
//     literal), lines taken out become comments or blank lines, and what a mutant adds
//     goes at the end of the file (blank lines and lines of brackets alone do not count);
//   - the mutant declares the same package-level names and the same exported methods;
//     it may add unexported methods and fields, which learners' tests cannot name.
func CheckAligned(implFile, mutantFile string) error {
	if filepath.Base(implFile) != filepath.Base(mutantFile) {
		return fmt.Errorf("%s replaces %s: a mutant file has the name of the file it replaces", mutantFile, implFile)
	}
	impl, err := os.ReadFile(implFile)
	if err != nil {
		return err
	}
	mut, err := os.ReadFile(mutantFile)
	if err != nil {
		return err
	}
	fset := token.NewFileSet()
	fi, err := parser.ParseFile(fset, implFile, impl, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	fm, err := parser.ParseFile(fset, mutantFile, mut, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	if fi.Name.Name != fm.Name.Name {
		return fmt.Errorf("%s: package %s, want package %s as in %s", mutantFile, fm.Name.Name, fi.Name.Name, implFile)
	}
	li, lm := strings.Split(string(impl), "\n"), strings.Split(string(mut), "\n")
	if !strings.HasPrefix(li[0], "//") || strings.HasPrefix(li[0], "// mutant:") {
		return fmt.Errorf("%s:1: the implementation must begin with a comment line of its own, which a mutant's header replaces", implFile)
	}
	if !strings.HasPrefix(lm[0], "// mutant:") {
		return fmt.Errorf("%s:1: a mutant begins with its header, `// mutant: ...`", mutantFile)
	}
	si, sm := bodyLine(fset, fi), bodyLine(fset, fm)
	if si != sm {
		return fmt.Errorf("%s:%d: the first declaration starts on line %d, and on line %d in %s: lay out the package "+
			"clause and imports on as many lines as the implementation does", mutantFile, sm, sm, si, implFile)
	}
	if err := sameLines(li, lm, si, implFile, mutantFile); err != nil {
		return err
	}
	ni, nm := declared(fi), declared(fm)
	for _, n := range nm {
		if !slices.Contains(ni, n) {
			return fmt.Errorf("%s declares %s, which %s does not: a learner's test file can declare that name too, and "+
				"then the mutant, not the implementation, fails to build (make it an unexported method)", mutantFile, n, implFile)
		}
	}
	for _, n := range ni {
		if !slices.Contains(nm, n) {
			return fmt.Errorf("%s does not declare %s, which %s does", mutantFile, n, implFile)
		}
	}
	return nil
}

// bodyLine returns the line where the file's declarations begin: the first one that is
// not an import, or the doc comment above it.
func bodyLine(fset *token.FileSet, f *ast.File) int {
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			continue
		}
		pos := d.Pos()
		switch d := d.(type) {
		case *ast.GenDecl:
			if d.Doc != nil {
				pos = d.Doc.Pos()
			}
		case *ast.FuncDecl:
			if d.Doc != nil {
				pos = d.Doc.Pos()
			}
		}
		return fset.Position(pos).Line
	}
	return fset.Position(f.End()).Line + 1
}

// sameLines checks that, from line from on, every line the two files have in common
// keeps its number: the longest common subsequence of their significant lines is no
// longer than the count of those equal at the same number.
func sameLines(li, lm []string, from int, implFile, mutantFile string) error {
	type line struct {
		n    int
		text string
	}
	sig := func(ls []string) []line {
		var out []line
		for i := from - 1; i < len(ls); i++ {
			if strings.Trim(ls[i], " \t{}()[],;") != "" {
				out = append(out, line{i + 1, ls[i]})
			}
		}
		return out
	}
	a, b := sig(li), sig(lm)
	same := 0
	at := map[int]string{}
	for _, l := range a {
		at[l.n] = l.text
	}
	for _, l := range b {
		if t, ok := at[l.n]; ok && t == l.text {
			same++
		}
	}
	// lcs[i][j]: the longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i].text == b[j].text {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	if lcs[0][0] <= same {
		return nil
	}
	// Walk one longest common subsequence to the first pair of lines that moved.
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i].text == b[j].text && lcs[i][j] == lcs[i+1][j+1]+1:
			if a[i].n != b[j].n {
				return fmt.Errorf("%s:%d: this line is line %d in %s (%q): every line a mutant keeps keeps its number; "+
					"replace changed lines one for one, pad with comments or blank lines, and add at the end",
					mutantFile, b[j].n, a[i].n, implFile, strings.TrimSpace(a[i].text))
			}
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			i++
		default:
			j++
		}
	}
	return fmt.Errorf("%s: lines of %s moved", mutantFile, implFile)
}

// declared returns the package-level names of a file and its exported methods, as
// "Name" and "Type.Method".
func declared(f *ast.File) []string {
	var names []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				names = append(names, d.Name.Name)
				continue
			}
			if !d.Name.IsExported() || len(d.Recv.List) == 0 {
				continue
			}
			t := d.Recv.List[0].Type
			if s, ok := t.(*ast.StarExpr); ok {
				t = s.X
			}
			if ix, ok := t.(*ast.IndexExpr); ok {
				t = ix.X
			}
			if id, ok := t.(*ast.Ident); ok {
				names = append(names, id.Name+"."+d.Name.Name)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.ValueSpec:
					for _, n := range s.Names {
						names = append(names, n.Name)
					}
				case *ast.TypeSpec:
					names = append(names, s.Name.Name)
				}
			}
		}
	}
	slices.Sort(names)
	return names
}
