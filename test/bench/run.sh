#!/usr/bin/env bash
# Runs the benchmarks of test/bench against SQLite and, when it answers,
# PostgreSQL; prints the results with a summary table and saves them to a
# file under /tmp (the path is printed last). The benchmarks build crm, load
# each database with `crm demo --tickets N --users M`, run `crm serve` as a
# process of its own and drive it over HTTP; each page is preceded by the
# bare net/http limit (NAME/bare: a plain server in the harness answering
# the same requests with a static page of the same size, at the same
# concurrency), and reported as a percentage of it.
#
#   test/bench/run.sh                                          # 10,000 tickets from 200 users
#   test/bench/run.sh -load.tickets=2000                       # arguments go to the benchmark binary (after -args)
#   BENCH='App/sqlite/(Queue|Search)' test/bench/run.sh
#   test/bench/run.sh -clients=64                              # connections of the read benchmarks (default 32)
#
# At scale (about 20 tickets a person, so a person's first page is full):
#
#   test/bench/run.sh -load.tickets=1000 -load.users=50
#   test/bench/run.sh -load.tickets=100000 -load.users=5000
#   TIMEOUT=3h test/bench/run.sh -load.tickets=1000000 -load.users=50000 \
#     -load.reuse=sqlite:/var/tmp/crm-bench-1m.db \
#     -load.reuse='postgres://postgres@127.0.0.1:5432/crm_bench_1m?sslmode=disable'
#
# -load.reuse (once per dialect) keeps a database across runs: the first run
# loads it (a PostgreSQL database is created if missing), later runs find
# tickets in it and skip the load (load-s 0), so the million is loaded once.
# The write benchmarks add their tickets to it (some thousands a run); delete
# the file or DROP DATABASE to start again. A dialect without -load.reuse
# gets a fresh database, loaded with -load.tickets.
#
# A round of a benchmark lasts about BENCHTIME, so a page that answers 30
# requests a second gives percentiles of 30 requests: raise BENCHTIME (5s)
# for slow pages. The summary's figures are each benchmark's last round.
#
# Environment: CRM_TEST_POSTGRES_URL (default
# postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable when
# pg_isready answers there), BENCH (a -bench pattern; by default
# App/sqlite/ and App/postgres/, each in a process of its own),
# BENCHTIME (default 1s), COUNT (default 1), TIMEOUT (default 60m),
# OUT (the output file), BENCH_TAGS (build tags of crm: `pprof` serves
# net/http/pprof on CRM_PPROF_ADDR, default 127.0.0.1:6060, to profile the
# server during a long BENCHTIME).
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
# One go test process per database, one after the other, so that neither
# harness (load generator and bare server) carries the other's garbage.
if [[ -n "${BENCH:-}" ]]; then
  patterns=("$BENCH")
elif [[ -n "${CRM_TEST_POSTGRES_URL:-}" ]]; then
  patterns=('App/sqlite/' 'App/postgres/')
else
  patterns=('App/sqlite/')
fi
bench() {
  go test -run '^$' -bench "$1" -benchtime "${BENCHTIME:-1s}" -count "${COUNT:-1}" \
    -timeout "${TIMEOUT:-60m}" ./test/bench/ -args "${@:2}"
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
    echo "# go test -run '^\$' -bench '$p' -benchtime ${BENCHTIME:-1s} -count ${COUNT:-1} -timeout ${TIMEOUT:-60m} ./test/bench/ -args $*"
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

# The summary: one row per page or action (the bare rows are folded into
# their page's: bare req/s and % of bare), and the server's memory, start-up
# and load. Units are the ones the benchmarks report (b.ReportMetric);
# clients are connections. The database's CPU time per request is that of
# PostgreSQL's backends serving crm (empty on SQLite, whose work is in the
# server's). Pool wait is how long a request's queries waited for a free
# database connection, on average. The server's CPU time per request is the figure
# least moved by other work on the machine; req/s and the percentiles are
# the most. Steal is the machine's CPU time the hypervisor gave to other
# guests during the round, in per cent (the bare round's / the page's): a
# page measured with much more of it than its bare round is worse off than
# its "% of bare" says, and rounds with a few per cent of it do not compare
# with rounds without.
summary=$(awk '
  /^Benchmark/ {
    name = $1; sub(/^BenchmarkApp\//, "", name); sub(/-[0-9]+$/, "", name)
    if (name ~ /\/bare$/) next
    delete m
    for (i = 3; i < NF; i += 2) m[$(i + 1)] = $i
    if ("req/s" in m) {
      pct = ("pct-of-bare" in m) ? sprintf("%.1f", m["pct-of-bare"]) : ""
      bare = ("bare-req/s" in m) ? sprintf("%.0f", m["bare-req/s"]) : ""
      db = ("dbcpu-us/op" in m) ? sprintf("%.0f", m["dbcpu-us/op"]) : ""
      steal = ("steal-pct" in m) ? sprintf("%.1f", m["steal-pct"]) : "?"
      if ("bare-steal-pct" in m) steal = sprintf("%.1f / %s", m["bare-steal-pct"], steal)
      printf "| %s | %d | %.0f | %s | %s | %s | %s | %s | %.0f | %s | %.0f | %.0f | %.0f | %d | %s |\n", name, m["clients"], m["req/s"], pct, bare,
        m["p50-ms"], m["p95-ms"], m["p99-ms"], m["srvcpu-us/op"], db, m["poolwait-us/op"], m["page-B"], m["rss-MB"], m["errors"] + 0, steal
    } else if ("rss-MB" in m) {
      mem = mem sprintf("| %s | %.1f | %.1f | %.3f | %.1f | %d |\n", name, m["rss-MB"], m["rsspeak-MB"], m["start-s"], m["load-s"], m["tickets"])
    }
  }
  END {
    print ""
    print "| server | RSS MB | peak RSS MB | start-up s | load s | tickets |"
    print "|---|---|---|---|---|---|"
    printf "%s", mem
  }
' "$out")
{
  echo
  echo "| benchmark | clients | req/s | % of bare | bare req/s | p50 ms | p95 ms | p99 ms | server CPU µs/req | database CPU µs/req | pool wait µs/req | page B | RSS MB | errors | steal % |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  echo "$summary"
  echo
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
  echo "saved to $out"
} | tee -a "$out"
