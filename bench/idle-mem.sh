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
#     SLUICE_CMD, SLUICE_START_TIMEOUT, RESULTS_DIR   as for compare.sh
#
# Per target and round: start the origin and the proxy as compare.sh does, warm up with wrk,
# read the proxy's RSS, open N keep-alive connections (bench/idle_conns.py: one request on
# each, then idle), read the RSS again, and report (RSS after - RSS before) / connections held.
# Output: <run dir>/idle.csv (one row per target x round), summary.md.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

case "${1:-}" in -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
own_session "$@"

ROUNDS=${1:-3}; shift || true
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive number (got '$ROUNDS')"
pick_targets "$@"
N=${N:-10000}
WARMUP=${WARMUP:-3s}
DEADLINE=${DEADLINE:-300}
[[ $N =~ ^[1-9][0-9]*$ ]] || die "N must be a positive number (got '$N')"
[[ $DEADLINE =~ ^[1-9][0-9]*$ ]] || die "DEADLINE must be a number of seconds (got '$DEADLINE')"
check_duration WARMUP "$WARMUP"
require_tools nginx wrk curl python3 ss taskset timeout
for t in "${TARGETS[@]}"; do [ "$t" != haproxy ] || require_tools haproxy; done
for t in "${TARGETS[@]}"; do [ "$t" != sluice ] || sluice_cmd >/dev/null; done

begin_run idle-mem
fds=$(ulimit -n)
[ "$N" -lt $((fds - 200)) ] || die "N=$N needs more descriptors than the limit of $fds allows"
CSV="$OUT/idle.csv"
python3 "$BENCH_DIR/report.py" columns idle >"$CSV"
describe_env "$OUT/env.txt"
{
  echo "rounds:   $ROUNDS; targets: ${TARGETS[*]}"
  echo "idle:     N=$N keep-alive connections, one request each; warm-up wrk -t1 -c64 -d$WARMUP"
  echo "fd limit: $fds"
} >>"$OUT/env.txt"
log "results in $OUT"

established() { ss -Htn state established "( sport = :$1 )" | wc -l; }
upstream_conns() { ss -Htn state established "( dport = :$ORIGIN_PORT )" | wc -l; }

# one TARGET ROUND
# shellcheck disable=SC2086 # the PID list is meant to be split into words
one() {
  local target=$1 round=$2 proxy before after est up opener_log opener i line held failed
  start_origin
  start_proxy "$target"
  run_load "$CPU_LOAD" "$OUT/logs/$target-warmup-r$round.txt" $(($(seconds "$WARMUP") + 30)) \
    wrk -t1 -c64 -d"$WARMUP" "http://127.0.0.1:$PROXY_PORT/" || die "warm-up failed"
  sleep 2                                # let deferred frees and timers settle
  proxy=$(pid_tree "$PROXY_PID")
  before=$(rss_kb $proxy)

  opener_log="$OUT/logs/$target-opener-r$round.txt"
  # the opener bounds itself (DEADLINE); timeout is the backstop. TERM to timeout reaches it.
  timeout -k 5 $((DEADLINE + 15)) nice -n "$NICE" taskset -c "$CPU_LOAD" \
    python3 "$BENCH_DIR/idle_conns.py" --port "$PROXY_PORT" -n "$N" --deadline "$DEADLINE" \
    >"$opener_log" 2>&1 &
  opener=$!
  STARTED+=("$opener")
  line=""
  for ((i = 0; i < DEADLINE * 10; i++)); do
    line=$(grep -m1 '^HOLDING' "$opener_log" || true)
    [ -n "$line" ] && break
    alive "$opener" || break
    sleep 0.1
  done
  [ -n "$line" ] || die "the connection opener stopped early; see $opener_log:
$(tail -5 "$opener_log")"
  read -r _ held failed _ <<<"$line"
  [ "$held" -gt 0 ] || die "no connection could be held: $line"
  [ "$failed" -eq 0 ] || log "warning: $failed of $N connections failed ($line)"

  sleep 2                                # let the proxy settle with all connections idle
  after=$(rss_kb $proxy)
  est=$(established "$PROXY_PORT")
  up=$(upstream_conns)
  alive "$PROXY_PID" || die "$target exited while holding the connections"
  kill -TERM "$opener" 2>/dev/null || true
  wait "$opener" 2>/dev/null || true
  forget "$opener"

  echo "$round,$target,$N,$held,$failed,$est,$up,$before,$after,$(( (after - before) * 1024 / held ))" >>"$CSV"
  log "  held $held (failed $failed, established on :$PROXY_PORT $est, upstream $up): RSS $before kB -> $after kB = $(( (after - before) * 1024 / held )) bytes per connection"
  stop_servers
}

for round in $(seq "$ROUNDS"); do
  for target in $(rotated "$round"); do
    log "round $round/$ROUNDS: $target"
    one "$target" "$round"
  done
done

python3 "$BENCH_DIR/report.py" idle "$CSV" >"$OUT/summary.md"
echo
cat "$OUT/summary.md"
echo
log "raw figures: $CSV"
