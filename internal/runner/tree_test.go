package runner

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// fakeJobs records the calls of startInJob and fails the one named in fail.
type fakeJobs struct {
	fail  string
	calls []string
}

func (f *fakeJobs) call(name string) error {
	f.calls = append(f.calls, name)
	if name == f.fail {
		return errors.New(name + " refused")
	}
	return nil
}

func (f *fakeJobs) createJob() (uintptr, error) {
	if err := f.call("create"); err != nil {
		return 0, err
	}
	return 7, nil
}
func (f *fakeJobs) assign(job uintptr, pid int) error { return f.call("assign") }
func (f *fakeJobs) resume(pid int) error              { return f.call("resume") }
func (f *fakeJobs) terminate(job uintptr) error       { return f.call("terminate") }
func (f *fakeJobs) closeJob(job uintptr) error        { return f.call("close") }

// The Windows sequence: the process runs (resume) only once it is in its job, and a job
// that could not take it is released, never leaked; a process that cannot be resumed is
// killed with its job.
func TestStartInJob(t *testing.T) {
	for _, tc := range []struct {
		name, fail string
		calls      []string
	}{
		{name: "ok", calls: []string{"create", "assign", "resume"}},
		{name: "create_fails", fail: "create", calls: []string{"create"}},
		{name: "assign_fails", fail: "assign", calls: []string{"create", "assign", "close"}},
		{name: "resume_fails", fail: "resume", calls: []string{"create", "assign", "resume", "terminate", "close"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeJobs{fail: tc.fail}
			job, err := startInJob(f, 42)
			assert.Equal(t, tc.calls, f.calls, "the calls, in order")
			if tc.fail == "" {
				assert.NoError(t, err)
				assert.Equal(t, uintptr(7), job)
				return
			}
			assert.Zero(t, job)
			if assert.Error(t, err) {
				assert.True(t, strings.Contains(err.Error(), tc.fail+" refused"), "the error says what failed: %v", err)
			}
		})
	}
}
