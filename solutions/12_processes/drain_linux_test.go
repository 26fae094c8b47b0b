package processes

import (
	"os"
	"syscall"
	"time"
	"unsafe"
)

// awaitDrained waits, up to d, until the pipe f writes to is empty: its reader has read
// everything written so far. It returns right away if f is not a pipe.
func awaitDrained(f *os.File, d time.Duration) {
	const fionread = 0x541B
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		var n int32
		_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), fionread, uintptr(unsafe.Pointer(&n)))
		if errno != 0 || n == 0 {
			return
		}
		time.Sleep(time.Millisecond)
	}
}
