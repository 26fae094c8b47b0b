//go:build windows

package runner

import (
	"os/exec"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// treeSys makes a tree a Job Object: the command is created suspended, put in a job of
// its own that kills every process in it when the job is terminated or its last handle
// closes, and only then resumed. Every process it starts is in the job too.
type treeSys struct {
	job    uintptr
	limits caps // set by contain: zero means none
}

func (s *treeSys) prepare(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.CreationFlags |= windows.CREATE_SUSPENDED
}

func (s *treeSys) started(cmd *exec.Cmd) error {
	job, err := startInJob(winJobs{limits: s.limits}, cmd.Process.Pid)
	s.job = job
	return err
}

func (s *treeSys) kill(cmd *exec.Cmd) {
	if s.job != 0 {
		_ = winJobs{}.terminate(s.job)
	} else {
		_ = cmd.Process.Kill()
	}
}

func (s *treeSys) close() {
	if s.job != 0 {
		_ = winJobs{}.closeJob(s.job)
		s.job = 0
	}
}

// winJobs is jobAPI on Windows; limits, when set, cap the job's memory and processes.
type winJobs struct{ limits caps }

func (w winJobs) createJob() (uintptr, error) {
	h, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return 0, err
	}
	info := windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION{
		BasicLimitInformation: windows.JOBOBJECT_BASIC_LIMIT_INFORMATION{
			LimitFlags: windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
		},
	}
	if w.limits.memory > 0 {
		info.BasicLimitInformation.LimitFlags |= windows.JOB_OBJECT_LIMIT_JOB_MEMORY
		info.JobMemoryLimit = uintptr(w.limits.memory)
	}
	if w.limits.procs > 0 {
		info.BasicLimitInformation.LimitFlags |= windows.JOB_OBJECT_LIMIT_ACTIVE_PROCESS
		info.BasicLimitInformation.ActiveProcessLimit = uint32(w.limits.procs)
	}
	if _, err := windows.SetInformationJobObject(h, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		_ = windows.CloseHandle(h)
		return 0, err
	}
	return uintptr(h), nil
}

func (winJobs) assign(job uintptr, pid int) error {
	p, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, uint32(pid))
	if err != nil {
		return err
	}
	defer windows.CloseHandle(p)
	return windows.AssignProcessToJobObject(windows.Handle(job), p)
}

// resume resumes the threads of process pid: a process created suspended has one.
func (winJobs) resume(pid int) error {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPTHREAD, 0)
	if err != nil {
		return err
	}
	defer windows.CloseHandle(snap)
	e := windows.ThreadEntry32{Size: uint32(unsafe.Sizeof(windows.ThreadEntry32{}))}
	resumed := false
	for err = windows.Thread32First(snap, &e); err == nil; err = windows.Thread32Next(snap, &e) {
		if e.OwnerProcessID != uint32(pid) {
			continue
		}
		th, err := windows.OpenThread(windows.THREAD_SUSPEND_RESUME, false, e.ThreadID)
		if err != nil {
			return err
		}
		_, err = windows.ResumeThread(th)
		windows.CloseHandle(th)
		if err != nil {
			return err
		}
		resumed = true
	}
	if !resumed {
		return windows.ERROR_NOT_FOUND
	}
	return nil
}

func (winJobs) terminate(job uintptr) error {
	return windows.TerminateJobObject(windows.Handle(job), 1)
}

func (winJobs) closeJob(job uintptr) error { return windows.CloseHandle(windows.Handle(job)) }
