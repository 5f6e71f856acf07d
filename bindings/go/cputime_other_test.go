//go:build !unix

package dstoken

import "time"

// cpuTime is not measured here: the CPU-per-token ratio reads NaN.
func cpuTime() time.Duration { return 0 }
