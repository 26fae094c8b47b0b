package runner

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// The environment variables through which the runner asks a test binary's TestMain
// (guard.Main) for the run's result.
const (
	ReportEnv = "WORKBOOK_REPORT" // a file for TestMain to create with the result
	NonceEnv  = "WORKBOOK_NONCE"  // a value chosen for this run, written back
)

// Report is what TestMain reported of a run: the exit code of m.Run, or why there is no
// usable report.
type Report struct {
	Code    int    // m.Run's result, 0 when every test passed (with no goroutine left behind)
	Problem string // not empty when the report is missing, malformed, or for another run
}

// WriteReport creates the report file at path, which must not exist yet: TestMain calls
// it with the nonce the runner set and the result of m.Run.
func WriteReport(path, nonce string, code int) error {
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

// newReport makes a private directory for a run's report and a nonce, and returns the
// environment that asks TestMain for it.
func newReport() (dir, path, nonce string, env []string, err error) {
	dir, err = os.MkdirTemp("", "workbook-report-")
	if err != nil {
		return "", "", "", nil, err
	}
	b := make([]byte, 16)
	rand.Read(b)
	nonce = hex.EncodeToString(b)
	path = filepath.Join(dir, "report")
	return dir, path, nonce, []string{ReportEnv + "=" + path, NonceEnv + "=" + nonce}, nil
}

// readReport reads the report of a run, never following a symlink or reading more than
// a line.
func readReport(path, nonce string) *Report {
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
