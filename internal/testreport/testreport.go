// Package testreport is the protocol by which a chapter's TestMain (guard.Main) tells the
// workbook's runner the real result of m.Run: a one-line file, created once, holding a
// nonce the runner chose for the run. It is tiny on purpose: every chapter's test binary
// links it, and none links the tool.
package testreport

import (
	"fmt"
	"io"
	"os"
)

// The environment variables through which the runner asks for the report.
const (
	PathEnv  = "WORKBOOK_REPORT" // a file for TestMain to create with the result
	NonceEnv = "WORKBOOK_NONCE"  // a value chosen for this run, written back
)

// Report is what TestMain reported of a run: the exit code of m.Run, or why there is no
// usable report.
type Report struct {
	Code    int    // m.Run's result, 0 when every test passed (with no goroutine left behind)
	Problem string // not empty when the report is missing, malformed, or for another run
}

// Write creates the report file at path, which must not exist yet: TestMain calls it with
// the nonce the runner set and the result of m.Run.
func Write(path, nonce string, code int) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, werr := fmt.Fprintf(f, "workbook-report %s %d\n", nonce, code)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	return werr
}

// Read reads the report of a run, never following a symlink or reading more than a line.
func Read(path, nonce string) *Report {
	info, err := os.Lstat(path)
	if err != nil {
		return &Report{Code: -1, Problem: "TestMain wrote no report (the process ended before the tests did, or the chapter's TestMain does not call guard.Main)"}
	}
	if !info.Mode().IsRegular() {
		return &Report{Code: -1, Problem: "the report is not a regular file"}
	}
	f, err := os.Open(path)
	if err != nil {
		return &Report{Code: -1, Problem: err.Error()}
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, 256))
	var got string
	var code int
	if n, err := fmt.Sscanf(string(b), "workbook-report %s %d\n", &got, &code); err != nil || n != 2 {
		return &Report{Code: -1, Problem: "the report is malformed"}
	}
	if got != nonce {
		return &Report{Code: -1, Problem: "the report is for another run"}
	}
	return &Report{Code: code}
}
