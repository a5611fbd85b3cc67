package bootstrap

import (
	"os"
	"runtime/debug"
)

// Garbage collector settings of `crm serve`, unless GOGC or GOMEMLIMIT set
// them. The server keeps a few megabytes live and allocates a page's worth
// per request, so at Go's default (collect when the heap doubles) it
// collected every few hundred requests and spent about a tenth of its CPU
// there. Letting the heap grow to five times what is live between
// collections gave /tickets about 40 % more requests a second on 2 cores
// (GOGC=100 against 400, the same binary and data, in turns); the soft
// limit makes the collector work harder before the process passes it.
// Pages keep the heap well under it; what reaches it is logins, each
// argon2id hash 19 MiB of garbage. Beside SQLite's page caches, which are
// outside Go's heap, a limit of 100 MiB let the resident set peak at
// 133–152 MB during the harness's logins, 80 MiB at 114–117 MB, with the
// same throughput for pages and logins (test/bench, in turns).
const (
	serveGCPercent   = 400
	serveMemoryLimit = 80 << 20 // bytes
)

// tuneGC applies the settings above where the environment does not.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(serveGCPercent)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
}
