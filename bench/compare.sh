#!/usr/bin/env bash
# Throughput, latency and CPU cost of Sluice beside HAProxy and nginx, doing the same job.
#
#   bench/compare.sh [ROUNDS] [TARGETS...]
#     ROUNDS   rounds to run (default 3); the order of the targets rotates every round
#     TARGETS  any of: sluice haproxy nginx (default: all three)
#   environment:
#     DURATION  length of each measured load (default 10s)
#     WARMUP    load before measuring, the same for every target (default 10s)
#     CONNS     wrk connections (default 64);  DEPTH  pipelining depth (default 16)
#     ACCESS_LOG            on (default): every proxy logs each request to a file; or off
#     SLUICE_BIN            the Sluice launcher (default ./sluice), run as
#                           `$SLUICE_BIN serve --config <bench/conf/sluice.yaml + access log>`
#     SLUICE_START_TIMEOUT  seconds to wait for Sluice to listen (default 120)
#     RESULTS_DIR, OUT_DIR  where the run directory goes / the run directory itself
#
# Per target and round: start the nginx origin (:9001, CPU 0) and the proxy (:8080, CPU 1),
# warm up, then measure with wrk on CPU 0: once plain keep-alive, once 16-deep pipelined.
# The warm-up is measured too (mode `warmup`): what a JVM costs before it has compiled.
# Output: <run dir>/runs.csv (one row per target x mode x round), raw wrk logs, summary.md.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

case "${1:-}" in -h|--help) usage; exit 0 ;; esac
own_session "$@"

parse_args "sluice haproxy nginx" "$@"
DURATION=${DURATION:-10s}
check_duration DURATION "$DURATION"
check_duration WARMUP "$WARMUP"
require_tools nginx wrk curl python3 ss taskset timeout
require_targets

begin_run compare
CSV="$OUT/runs.csv"
python3 "$BENCH_DIR/report.py" columns compare >"$CSV"
mkdir -p "$OUT/wrk"
describe_env "$OUT/env.txt"
{
  echo "rounds:   $ROUNDS; targets: ${TARGETS[*]}"
  echo "load:     wrk -t1 -c$CONNS -d$DURATION (plain, and pipelined $DEPTH deep); warm-up $WARMUP"
} >>"$OUT/env.txt"
log "results in $OUT"

# measure TARGET MODE ROUND [DURATION] : one measured load, appended to the CSV
# shellcheck disable=SC2086 # the PID lists are meant to be split into words
measure() {
  local target=$1 mode=$2 round=$3 dur=${4:-$DURATION} logf proxy origin
  local p0 pt0 o0 b00 b10 t0 p1 pt1 o1 b01 b11 t1
  logf="$OUT/wrk/$target-$mode-r$round.txt"
  proxy=$(pid_tree "$PROXY_PID"); origin=$(pid_tree "$ORIGIN_PID")
  p0=$(cpu_ns $proxy); pt0=$(cpu_ticks $proxy); o0=$(cpu_ns $origin)
  b00=$(busy_ticks "$CPU_LOAD"); b10=$(busy_ticks "$CPU_PROXY"); t0=$(date +%s%N)
  wrk_load "$logf" "$dur" "$mode"
  t1=$(date +%s%N); b01=$(busy_ticks "$CPU_LOAD"); b11=$(busy_ticks "$CPU_PROXY")
  p1=$(cpu_ns $proxy); pt1=$(cpu_ticks $proxy); o1=$(cpu_ns $origin)
  alive "$PROXY_PID" || die "$target exited during the $mode run; see $OUT/logs/$target.log"
  python3 "$BENCH_DIR/report.py" wrk-row "$logf" --round "$round" --target "$target" --mode "$mode" \
    --proxy-ns $((p1 - p0)) --proxy-ticks $((pt1 - pt0)) --origin-ns $((o1 - o0)) \
    --wall-ns $((t1 - t0)) --load-busy $((b01 - b00)) --proxy-busy $((b11 - b10)) --clk-tck "$CLK_TCK" \
    >>"$CSV" || die "could not read $logf"
  log "  $mode: $(tail -1 "$CSV" | awk -F, '{lat = $7 == "" ? "" : sprintf(", p50 %s ms, p99 %s ms", $7, $8); printf "%s req/s%s, errors %s, proxy %s CPU-s = %s per 100k req", $6, lat, $11, $12, $13}')"
}

# one TARGET ROUND : the warm-up (measured as such), then the plain and the pipelined load
one() {
  start_target "$1"
  measure "$1" warmup "$2" "$WARMUP"
  measure "$1" plain "$2"
  measure "$1" pipelined "$2"
  stop_servers
}

for_rounds one

python3 "$BENCH_DIR/report.py" compare "$CSV" >"$OUT/summary.md"
echo
cat "$OUT/summary.md"
echo
log "raw figures: $CSV"
