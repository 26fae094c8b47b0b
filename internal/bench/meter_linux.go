package bench

import (
	"bufio"
	"os"
	"strings"
	"syscall"
	"time"
)

// ProcStat reads the CPU counters of /proc/stat, and the CPU time of this process and of
// the children it has waited for (getrusage).
func ProcStat() (Usage, bool) {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return Usage{}, false
	}
	defer f.Close()
	u, ok := parseProcStat(bufio.NewScanner(f))
	if !ok {
		return Usage{}, false
	}
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if syscall.Getrusage(who, &ru) != nil {
			return Usage{}, false
		}
		u.Self += time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	}
	u.At = time.Now()
	return u, true
}

// loadAverage returns the 1-minute load average of /proc/loadavg, or "".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return ""
}
