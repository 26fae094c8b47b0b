package runner

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"

	"github.com/go-concurrency-workbook/workbook/internal/testreport"
)

// The environment variables through which the runner asks a test binary's TestMain
// (guard.Main) for the run's result (package testreport).
const (
	ReportEnv = testreport.PathEnv
	NonceEnv  = testreport.NonceEnv
)

// Report is what TestMain reported of a run.
type Report = testreport.Report

// WriteReport is testreport.Write.
func WriteReport(path, nonce string, code int) error { return testreport.Write(path, nonce, code) }

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

// readReport is testreport.Read.
func readReport(path, nonce string) *Report { return testreport.Read(path, nonce) }
