//go:build unix

package dstoken

import (
	"syscall"
	"time"
)

// cpuTime is the process's user + system CPU time so far (all threads).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
