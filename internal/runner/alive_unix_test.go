//go:build unix

package runner

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// processAlive reports whether process pid exists and is not a zombie.
func processAlive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	return err != nil || !strings.Contains(string(b), ") Z ")
}
