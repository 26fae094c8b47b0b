package processes

import (
	"strconv"
	"syscall"
)

// sysProcess asks Windows about process pid: whether it can be opened, its exit code
// (stillActive while it runs) and its creation time, in 100 ns since 1601.
func sysProcess(pid int) (opened bool, exitCode uint32, created string) {
	h, err := syscall.OpenProcess(syscall.PROCESS_QUERY_INFORMATION, false, uint32(pid))
	if err != nil {
		return false, 0, ""
	}
	defer syscall.CloseHandle(h)
	if err := syscall.GetExitCodeProcess(h, &exitCode); err != nil {
		return false, 0, ""
	}
	return true, exitCode, creation(h)
}

// sysSelfStart returns this process's creation time, as sysProcess says it.
func sysSelfStart() string {
	h, err := syscall.GetCurrentProcess()
	if err != nil {
		return ""
	}
	return creation(h)
}

func creation(h syscall.Handle) string {
	var created, exited, kernel, user syscall.Filetime
	if syscall.GetProcessTimes(h, &created, &exited, &kernel, &user) != nil {
		return ""
	}
	return strconv.FormatUint(uint64(created.HighDateTime)<<32|uint64(created.LowDateTime), 10)
}
