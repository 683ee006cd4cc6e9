#!/usr/bin/env bash
# Memory per idle HTTP/1.1 keep-alive client connection, for Sluice, HAProxy and nginx.
#
#   bench/idle-mem.sh [ROUNDS] [TARGETS...]
#     ROUNDS   rounds to run (default 3); the order of the targets rotates every round
#     TARGETS  any of: sluice haproxy nginx (default: all three)
#   environment:
#     N         idle connections to hold (default 10000; each needs a descriptor in the
#               proxy and in the opener, so N must stay below the hard fd limit)
#     WARMUP    load before measuring, the same for every target (default 3s)
#     DEADLINE  seconds the opener may take for one target, opening included (default 300)
#     ACCESS_LOG, SLUICE_BIN, SLUICE_START_TIMEOUT, RESULTS_DIR, OUT_DIR   as for compare.sh
#
# Per target and round: start the origin and the proxy as compare.sh does, warm up with wrk,
# read the proxy's RSS, open N keep-alive connections (bench/idle_conns.py: one request on
# each, then idle), read the RSS again, and report (RSS after - RSS before) / connections held.
# For a JVM both readings come after a full collection (jcmd GC.run), and the heap in use
# (jcmd GC.heap_info) is read beside the RSS: bytes of heap per connection.
# Output: <run dir>/idle.csv (one row per target x round), summary.md.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

case "${1:-}" in -h|--help) usage; exit 0 ;; esac
own_session "$@"

parse_args "sluice haproxy nginx" "$@"
N=${N:-10000}
DEADLINE=${DEADLINE:-300}
[[ $N =~ ^[1-9][0-9]*$ ]] || die "N must be a positive number (got '$N')"
[[ $DEADLINE =~ ^[1-9][0-9]*$ ]] || die "DEADLINE must be a number of seconds (got '$DEADLINE')"
check_duration WARMUP "$WARMUP"
require_tools nginx wrk curl python3 ss taskset timeout
require_targets

begin_run idle-mem
fds=$(ulimit -n)
[ "$N" -lt $((fds - 200)) ] || die "N=$N needs more descriptors than the limit of $fds allows"
CSV="$OUT/idle.csv"
python3 "$BENCH_DIR/report.py" columns idle >"$CSV"
describe_env "$OUT/env.txt"
{
  echo "rounds:   $ROUNDS; targets: ${TARGETS[*]}"
  echo "idle:     N=$N keep-alive connections, one request each; warm-up wrk -t1 -c$CONNS -d$WARMUP"
  echo "fd limit: $fds"
} >>"$OUT/env.txt"
log "results in $OUT"

established() { ss -Htn state established "( sport = :$1 )" | wc -l; }
upstream_conns() { ss -Htn state established "( dport = :$ORIGIN_PORT )" | wc -l; }

# jvm_of PID... : the first of these processes that runs a Java VM, if any
jvm_of() {
  local p
  for p in "$@"; do
    case $(readlink "/proc/$p/exe" 2>/dev/null) in */java) echo "$p"; return ;; esac
  done
}

# settle LABEL PID... : wait for deferred frees and timers. A JVM's RSS also holds garbage
# not collected yet, as much as the heap had grown to: collect it fully first (jcmd of the
# JDK the JVM runs on), then print the heap in use in kB. Prints nothing without a JVM.
settle() {
  local label=$1 jvm jcmd; shift
  sleep 2
  jvm=$(jvm_of "$@")
  [ -n "$jvm" ] || return 0
  jcmd="$(dirname "$(readlink "/proc/$jvm/exe")")/jcmd"
  [ -x "$jcmd" ] || die "no jcmd beside the JVM's java ($jcmd)"
  run_load "$CPU_LOAD" "$OUT/logs/$label-gc.txt" 60 "$jcmd" "$jvm" GC.run ||
    die "jcmd $jvm GC.run failed; see $OUT/logs/$label-gc.txt"
  sleep 1
  run_load "$CPU_LOAD" "$OUT/logs/$label-heap.txt" 60 "$jcmd" "$jvm" GC.heap_info ||
    die "jcmd $jvm GC.heap_info failed; see $OUT/logs/$label-heap.txt"
  python3 "$BENCH_DIR/report.py" heap-used "$OUT/logs/$label-heap.txt"
}

# hold LOGFILE : start the opener, wait until it holds its connections. Sets OPENER, HELD, FAILED.
hold() {
  local logf=$1 i line=""
  # the opener bounds itself (DEADLINE); timeout is the backstop. TERM to timeout reaches it.
  timeout -k 5 $((DEADLINE + 15)) nice -n "$NICE" taskset -c "$CPU_LOAD" \
    python3 "$BENCH_DIR/idle_conns.py" --port "$PROXY_PORT" -n "$N" --deadline "$DEADLINE" \
    >"$logf" 2>&1 &
  OPENER=$!
  STARTED+=("$OPENER")
  for ((i = 0; i < DEADLINE * 10; i++)); do
    line=$(grep -m1 '^HOLDING' "$logf" || true)
    [ -n "$line" ] && break
    alive "$OPENER" || break
    sleep 0.1
  done
  [ -n "$line" ] || die "the connection opener stopped early; see $logf:
$(tail -5 "$logf")"
  read -r _ HELD FAILED _ <<<"$line"
  [ "$HELD" -gt 0 ] || die "no connection could be held: $line"
  [ "$FAILED" -eq 0 ] || log "warning: $FAILED of $N connections failed ($line)"
}

release() {
  kill -TERM "$OPENER" 2>/dev/null || true
  wait "$OPENER" 2>/dev/null || true
  forget "$OPENER"
}

# per_conn BEFORE_KB AFTER_KB : bytes per held connection (empty when there is no figure)
per_conn() { [ -z "$1" ] || echo $(( ($2 - $1) * 1024 / HELD )); }

# one TARGET ROUND
# shellcheck disable=SC2086 # the PID list is meant to be split into words
one() {
  local target=$1 round=$2 proxy before after heap0 heap1 est up
  start_target "$target"
  warm_up "$OUT/logs/$target-warmup-r$round.txt"
  proxy=$(pid_tree "$PROXY_PID")
  heap0=$(settle "$target-before-r$round" $proxy)
  before=$(rss_kb $proxy)

  hold "$OUT/logs/$target-opener-r$round.txt"
  heap1=$(settle "$target-after-r$round" $proxy)  # the proxy settles with every connection idle
  after=$(rss_kb $proxy)
  est=$(established "$PROXY_PORT")
  up=$(upstream_conns)
  alive "$PROXY_PID" || die "$target exited while holding the connections"
  release

  echo "$round,$target,$N,$HELD,$FAILED,$est,$up,$before,$after,$(per_conn "$before" "$after"),$heap0,$heap1,$(per_conn "$heap0" "$heap1")" >>"$CSV"
  log "  held $HELD (failed $FAILED, established on :$PROXY_PORT $est, upstream $up): RSS $before kB -> $after kB = $(per_conn "$before" "$after") bytes per connection${heap0:+; heap $heap0 kB -> $heap1 kB = $(per_conn "$heap0" "$heap1") bytes per connection}"
  stop_servers
}

for_rounds one

python3 "$BENCH_DIR/report.py" idle "$CSV" >"$OUT/summary.md"
echo
cat "$OUT/summary.md"
echo
log "raw figures: $CSV"
