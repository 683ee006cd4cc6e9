#!/usr/bin/env bash
# System calls per proxied request, for Sluice, HAProxy and nginx, and the origin alone.
#
#   bench/syscalls.sh [ROUNDS] [TARGETS...]
#     ROUNDS   rounds to run (default 3); the order of the targets rotates every round
#     TARGETS  any of: sluice haproxy nginx direct (default: all four; direct = the load
#              goes to the origin itself, whose syscalls are counted)
#   environment:
#     REQUESTS  requests per count (default 200000)
#     METHOD    perf (the default where it works) or strace
#     WARMUP, CONNS, DEPTH, ACCESS_LOG, SLUICE_BIN, SLUICE_START_TIMEOUT, RESULTS_DIR, OUT_DIR
#               as for compare.sh
#
# Per target and round: start origin and proxy, warm up as compare.sh does, then count the
# system calls of every thread of the proxy while h2load sends exactly REQUESTS requests at
# full speed over CONNS keep-alive connections: once plain, once DEPTH-deep pipelined.
#   perf    in-kernel counters on the tracepoint raw_syscalls:sys_enter (every call) and on
#           syscalls:sys_enter_<name> for the calls a proxy makes (NAMED below; the rest
#           shows as `other`), switched on right before h2load starts and off right after it
#           ends (perf stat --control). The proxy runs at full speed.
#   strace  strace -c -f, where perf cannot count. ptrace slows the proxy several times, so
#           each wakeup finds more work waiting: it undercounts epoll_wait and the like.
# syscalls per request = syscalls counted / requests that succeeded.
# Output: <run dir>/syscalls.csv (one row per target x mode x round, with the calls made
# most often), raw perf/strace and h2load output, summary.md.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

case "${1:-}" in -h|--help) usage; exit 0 ;; esac
own_session "$@"

parse_args "sluice haproxy nginx direct" "$@"
REQUESTS=${REQUESTS:-200000}
[[ $REQUESTS =~ ^[1-9][0-9]*$ ]] || die "REQUESTS must be a positive number (got '$REQUESTS')"
check_duration WARMUP "$WARMUP"
require_tools nginx wrk h2load curl python3 ss taskset timeout
require_targets

# perf_works : perf can count syscall tracepoints here (tracefs mounted, permission)
perf_works() {
  command -v perf >/dev/null || return 1
  [ -d /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
  perf stat -e raw_syscalls:sys_enter -x, true >/dev/null 2>&1
}

if [ -z "${METHOD:-}" ]; then
  if perf_works; then METHOD=perf; else METHOD=strace; fi
fi
case $METHOD in
  perf) perf_works || die "perf cannot count the raw_syscalls tracepoints here; try METHOD=strace" ;;
  strace) require_tools strace; log "counting with strace: it undercounts the polling calls" ;;
  *) die "METHOD must be perf or strace (got '$METHOD')" ;;
esac

begin_run syscalls
CSV="$OUT/syscalls.csv"
python3 "$BENCH_DIR/report.py" columns syscalls >"$CSV"
mkdir -p "$OUT/raw"
describe_env "$OUT/env.txt"
{
  echo "rounds:   $ROUNDS; targets: ${TARGETS[*]}"
  echo "load:     h2load --h1 -t1 -c$CONNS -n$REQUESTS (plain, and -m$DEPTH pipelined); warm-up wrk -t1 -c$CONNS -d$WARMUP"
  echo "method:   $METHOD"
} >>"$OUT/env.txt"
log "results in $OUT"

# h2load_count LOGFILE MODE : exactly REQUESTS requests to $URL, as fast as they go
h2load_count() {
  local args=(--h1 -t1 -c"$CONNS" -n"$REQUESTS")
  [ "$2" = pipelined ] && args+=(-m"$DEPTH")
  # bounded by a slow floor of 500 requests/s, traced included
  run_load "$CPU_LOAD" "$1" $((REQUESTS / 500 + 60)) h2load "${args[@]}" "$URL" ||
    die "h2load failed (status $?); see $1"
}

# The calls counted one by one. Each tracepoint costs perf ~20 ms to set up and again to
# take down, so not all ~360 of them: these are what event loops, JVMs and loggers call.
NAMED="read write readv writev pread64 pwrite64 recvfrom sendto recvmsg sendmsg
  recvmmsg sendmmsg splice sendfile64 epoll_wait epoll_pwait epoll_pwait2 epoll_ctl poll ppoll
  select pselect6 io_uring_enter futex sched_yield nanosleep clock_nanosleep clock_gettime
  gettimeofday getpid gettid getsockopt setsockopt getsockname getpeername accept accept4
  connect socket shutdown close ioctl fcntl brk mmap munmap mprotect madvise mremap
  rt_sigprocmask rt_sigreturn restart_syscall openat newfstat newfstatat statx lseek fsync fdatasync"

# perf_events : the -e arguments: every call, and each of NAMED this kernel has a tracepoint for
perf_events() {
  local name
  echo "-e raw_syscalls:sys_enter"
  for name in $NAMED; do
    [ -d "/sys/kernel/tracing/events/syscalls/sys_enter_$name" ] && echo "-e syscalls:sys_enter_$name"
  done
}

# with_perf OUTFILE CMD... : count the syscalls of the SUT's processes while CMD runs
# shellcheck disable=SC2046 # perf_events is meant to be split into words
with_perf() {
  local out=$1 ctl="$SCRATCH/perf-ctl" ack="$SCRATCH/perf-ack" perf c a rc=0; shift
  rm -f "$ctl" "$ack"
  mkfifo "$ctl" "$ack"
  # read-write opens do not block, whether or not perf has opened its ends yet
  exec {c}<>"$ctl" {a}<>"$ack"
  # -D -1: counters start off; `enable` switches them on once every one is in place
  nice -n "$NICE" taskset -c "$CPU_LOAD" perf stat -x, -D -1 --control "fifo:$ctl,$ack" \
    $(perf_events) \
    -p "$(pid_tree "$SUT_PID" | paste -sd,)" -o "$out" 2>>"$OUT/logs/perf.log" &
  perf=$!
  STARTED+=("$perf")
  echo enable >&"$c"
  read -r -t 60 -u "$a" _ || die "perf did not start counting; see $OUT/logs/perf.log"
  "$@" || rc=$?
  echo disable >&"$c"
  read -r -t 60 -u "$a" _ || die "perf did not stop counting; see $OUT/logs/perf.log"
  kill -INT "$perf"
  wait "$perf" 2>/dev/null || true
  forget "$perf"
  exec {c}>&- {a}>&-
  return "$rc"
}

# traced -p PID... : every PID has a tracer attached
traced() {
  local p
  for p in "$@"; do
    [ "$p" = -p ] || [ "$(awk '/^TracerPid:/ {print $2}' "/proc/$p/status")" != 0 ] || return 1
  done
}

# with_strace OUTFILE CMD... : the same with strace -c -f, attached to every SUT process
with_strace() {
  local out=$1 tracer p i args=() rc=0; shift
  for p in $(pid_tree "$SUT_PID"); do args+=(-p "$p"); done
  nice -n "$NICE" taskset -c "$CPU_LOAD" strace -c -f -o "$out" "${args[@]}" 2>>"$OUT/logs/strace.log" &
  tracer=$!
  STARTED+=("$tracer")
  for ((i = 0; i < 100; i++)); do           # up to 10 s, until each of them is traced
    traced "${args[@]}" && break
    sleep 0.1
  done
  "$@" || rc=$?
  kill -INT "$tracer"
  wait "$tracer" 2>/dev/null || true
  forget "$tracer"
  return "$rc"
}

# one TARGET ROUND
one() {
  local target=$1 round=$2 mode raw
  start_target "$target"
  warm_up "$OUT/logs/$target-warmup-r$round.txt"
  for mode in plain pipelined; do
    raw="$OUT/raw/$target-$mode-r$round"
    "with_$METHOD" "$raw.$METHOD" h2load_count "$raw.h2load" "$mode"
    alive "$SUT_PID" || die "$target exited during the $mode count; see $OUT/logs/"
    python3 "$BENCH_DIR/report.py" syscall-row "$raw.$METHOD" "$raw.h2load" --method "$METHOD" \
      --round "$round" --target "$target" --mode "$mode" >>"$CSV" || die "could not read $raw.*"
    log "  $mode: $(tail -1 "$CSV" | awk -F, '{printf "%s syscalls for %s requests = %s per request; %s", $6, $5, $7, $8}')"
  done
  stop_servers
}

for_rounds one

python3 "$BENCH_DIR/report.py" syscalls "$CSV" >"$OUT/summary.md"
echo
cat "$OUT/summary.md"
echo
log "raw figures: $CSV"
