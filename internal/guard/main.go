package guard

import (
	"fmt"
	"os"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/testreport"
	"go.uber.org/goleak"
)

// Main runs a chapter's tests; every chapter's TestMain calls it. It fails the run if a
// test left goroutines behind (goleak), and, when the workbook's runner asks for it
// (testreport.PathEnv), it writes the real result of m.Run, with the runner's nonce, to a
// file before it exits. Learner code cannot write that file with the imports a chapter
// allows, so a grader that requires it cannot be fooled by printed test output or by an
// early exit.
func Main(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: Errors on successful test run: %v\n", err)
			code = 1
		}
	}
	if path := os.Getenv(testreport.PathEnv); path != "" {
		if err := testreport.Write(path, os.Getenv(testreport.NonceEnv), code); err != nil {
			fmt.Fprintf(os.Stderr, "guard: cannot report the result to the grader: %v\n", err)
			code = 3
		}
	}
	os.Exit(code)
}
