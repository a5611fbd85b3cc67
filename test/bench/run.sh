#!/usr/bin/env bash
# Runs the benchmarks of test/bench against SQLite and, when it answers,
# PostgreSQL; prints the results with a summary table and saves them to a
# file under /tmp (the path is printed last). It starts nothing.
#
#   test/bench/run.sh                          # the whole set, 10,000 tickets from 200 users
#   test/bench/run.sh -load.tickets=2000       # arguments go to the benchmark binary (after -args)
#   BENCH='App/sqlite/(Queue|Search)' test/bench/run.sh
#
# Environment: CRM_TEST_POSTGRES_URL (default
# postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable when
# pg_isready answers there), BENCH (a -bench pattern; by default
# App/sqlite/ and App/postgres/, each in a process of its own),
# BENCHTIME (default 1s), COUNT (default 1), OUT (the output file).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/usr/local/go/bin:$PATH"

if [[ -z "${CRM_TEST_POSTGRES_URL:-}" ]] && command -v pg_isready >/dev/null 2>&1 &&
  pg_isready -h 127.0.0.1 -p 5432 -q; then
  export CRM_TEST_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable'
fi
if [[ -z "${CRM_TEST_POSTGRES_URL:-}" ]]; then
  echo "run.sh: PostgreSQL does not answer on 127.0.0.1:5432 and CRM_TEST_POSTGRES_URL is unset: SQLite only" >&2
fi

out="${OUT:-/tmp/crm-bench-$(date +%Y%m%d-%H%M%S).txt}"
# One process per database, so that each one's memory figures (RSS, the
# runtime's total) start from a fresh process.
if [[ -n "${BENCH:-}" ]]; then
  patterns=("$BENCH")
elif [[ -n "${CRM_TEST_POSTGRES_URL:-}" ]]; then
  patterns=('App/sqlite/' 'App/postgres/')
else
  patterns=('App/sqlite/')
fi
bench() {
  go test -run '^$' -bench "$1" -benchmem -benchtime "${BENCHTIME:-1s}" -count "${COUNT:-1}" \
    -timeout 60m ./test/bench/ -args "${@:2}"
}

{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo '+dirty')"
  echo "# $(go version); $(nproc) CPUs; $(uname -sr)"
  if [[ -n "${CRM_TEST_POSTGRES_URL:-}" ]]; then
    echo "# PostgreSQL $(psql "$CRM_TEST_POSTGRES_URL" -Atc 'SHOW server_version' 2>/dev/null || echo '(version unknown)')"
  else
    echo "# PostgreSQL: not used"
  fi
  echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
  for p in "${patterns[@]}"; do
    echo "# go test -run '^\$' -bench '$p' -benchmem -benchtime ${BENCHTIME:-1s} -count ${COUNT:-1} -timeout 60m ./test/bench/ -args $*"
  done
} | tee "$out"
# Other work on the machine skews every figure; say so rather than hide it.
if awk -v n="$(nproc)" '{ exit !($1 > n / 2) }' /proc/loadavg 2>/dev/null; then
  echo "run.sh: warning: the machine is busy (load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) CPUs); figures will be low" | tee -a "$out" >&2
fi

# With pipefail, a failed benchmark fails the script; its output is saved.
for p in "${patterns[@]}"; do
  bench "$p" "$@" 2>&1 | tee -a "$out"
done

# The summary: one row per benchmark, its req/s, latency percentiles and
# allocations, and the memory figures. Units are the ones the benchmarks
# report (b.ReportMetric).
summary=$(awk '
  /^Benchmark/ {
    name = $1; sub(/^BenchmarkApp\//, "", name); sub(/-[0-9]+$/, "", name)
    delete m
    for (i = 3; i < NF; i += 2) m[$(i + 1)] = $i
    if ("req/s" in m) {
      printf "| %s | %.0f | %s | %s | %s | %s | %s |\n", name, m["req/s"], m["p50-ms"], m["p95-ms"], m["p99-ms"], m["allocs/op"], m["errors"] + 0
    } else if ("heap-MB" in m) {
      mem = mem sprintf("| %s | %.1f | %.1f | %.1f | %.1f | %.2f |\n", name, m["heap-MB"], m["sys-MB"], m["rss-MB"], m["rsspeak-MB"], m["load-s"])
    }
  }
  END {
    print ""
    print "| memory | heap MB | runtime sys MB | RSS MB | peak RSS MB | load s |"
    print "|---|---|---|---|---|---|"
    printf "%s", mem
  }
' "$out")
{
  echo
  echo "| benchmark | req/s | p50 ms | p95 ms | p99 ms | allocs/op | errors |"
  echo "|---|---|---|---|---|---|---|"
  echo "$summary"
  echo
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
  echo "saved to $out"
} | tee -a "$out"
