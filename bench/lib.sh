# shellcheck shell=bash
# Helpers for compare.sh and idle-mem.sh. Sourced, not run.
#
# Ground rules kept here so that every script follows them:
#  - all traffic stays on 127.0.0.1: origin on :9001, proxy under test on :8080;
#  - the proxy under test is pinned to CPU 1, the origin and the load generator to CPU 0;
#  - every process we start is remembered by PID and stopped by PID when the script exits
#    (never by name, so nothing else on the machine is touched);
#  - every load is bounded in time, by its own duration and by coreutils `timeout`.

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
CONF="$BENCH_DIR/conf"

# haproxy and nginx are installed in /usr/sbin, which not every PATH has.
PATH="$PATH:/usr/sbin:/sbin"

ORIGIN_PORT=9001
PROXY_PORT=8080
CPU_PROXY=${CPU_PROXY:-1}
CPU_LOAD=${CPU_LOAD:-0}
# Our processes run at nice -20 (root only) inside their own scheduler group, so that other
# work on the machine (a build, say) only gets a sliver of the CPUs while a benchmark runs.
if [ "$(id -u)" -eq 0 ]; then NICE=${NICE:--20}; else NICE=${NICE:-0}; fi
SLUICE_START_TIMEOUT=${SLUICE_START_TIMEOUT:-120}
# Every proxy logs each request to a file, as it would in service; ACCESS_LOG=off measures
# them without.
ACCESS_LOG=${ACCESS_LOG:-on}
# the load: wrk and h2load connections, and how many requests a pipelined connection sends at once
CONNS=${CONNS:-64}
DEPTH=${DEPTH:-16}
WARMUP=${WARMUP:-10s}
# shellcheck disable=SC2034 # used by the scripts that source this file
CLK_TCK=$(getconf CLK_TCK)

# usage : the comment at the top of the running script, for --help
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

case $ACCESS_LOG in on|off) ;; *) die "ACCESS_LOG must be on or off (got '$ACCESS_LOG')" ;; esac

# own_session ARGS... : run the calling script again as the leader of a new session, and
# give that session's scheduler autogroup nice $NICE. The kernel groups processes by session
# (sched(7), "autogroup") and shares CPU time between the groups first: per-process nice alone
# does nothing against a compiler started from another terminal, the group's nice does.
# The outer copy only waits for the inner one and passes INT/TERM/HUP on to it.
own_session() {
  if [ "${BENCH_IN_SESSION:-}" = 1 ] || [ "${BENCH_NO_SETSID:-0}" = 1 ]; then
    if [ -w /proc/self/autogroup ]; then echo "$NICE" >/proc/self/autogroup 2>/dev/null || true; fi
    return 0
  fi
  BENCH_IN_SESSION=1 setsid bash "$0" "$@" &
  local inner=$! rc
  # shellcheck disable=SC2064 # expand $inner now
  trap "kill -TERM $inner 2>/dev/null" INT TERM HUP
  while :; do
    rc=0; wait "$inner" || rc=$?
    [ -e "/proc/$inner" ] || break      # wait also returns when a trapped signal arrives
  done
  exit "$rc"
}

# ---- run directory, scratch space, cleanup --------------------------------------------

STARTED=()   # PIDs of the processes we started (top of each process tree)

# begin_run NAME : results go to $OUT (bench/results/<date>-NAME/; RESULTS_DIR moves the
# parent, OUT_DIR names the directory itself), scratch files (nginx prefixes, access logs)
# to $SCRATCH. Installs the exit trap.
begin_run() {
  local stamp; stamp=$(date +%Y%m%d-%H%M%S)
  OUT="${OUT_DIR:-${RESULTS_DIR:-$BENCH_DIR/results}/$stamp-$1}"
  mkdir -p "$OUT/logs"
  SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench.XXXXXX")
  trap end_run EXIT
  trap 'exit 130' INT TERM HUP
  # 10000 idle connections need ~10000 descriptors in one process: soft limit := hard limit.
  ulimit -n "$(ulimit -Hn)"
}

end_run() {
  stop_started
  [ -n "${SCRATCH:-}" ] && rm -rf "$SCRATCH"
}

# alive PID : the process exists and is not a zombie
alive() {
  local st
  [ -r "/proc/$1/stat" ] || return 1
  st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  st=${st##*) }
  [ "${st%% *}" != Z ]
}

# pid_tree PID : PID and all its descendants (nginx master + worker, a launcher + its JVM)
pid_tree() {
  local c
  [ -d "/proc/$1" ] || return 0
  echo "$1"
  # shellcheck disable=SC2013 # the children files hold space-separated PIDs
  for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do pid_tree "$c"; done
}

# stop_tree PID : TERM the process and its descendants, KILL what is left after 10 s.
stop_tree() {
  local top=$1 p i tree left
  tree=$(pid_tree "$top")
  [ -n "$tree" ] || return 0
  # shellcheck disable=SC2086
  kill -TERM $tree 2>/dev/null || true
  for i in $(seq 100); do
    left=""
    for p in $tree; do alive "$p" && left="$left $p"; done
    [ -z "$left" ] && break
    sleep 0.1
  done
  if [ -n "$left" ]; then
    log "still running after TERM, killing:$left"
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null || true
  fi
  wait "$top" 2>/dev/null || true
}

# forget PID : a process we started has ended and was waited for; never signal its PID again
forget() {
  local keep=() p
  for p in "${STARTED[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  STARTED=("${keep[@]}")
}

# stop_started : stop everything we started, newest first
stop_started() {
  local i
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do stop_tree "${STARTED[i]}"; done
  STARTED=()
}

# ---- ports ----------------------------------------------------------------------------

require_free_port() {
  local who
  who=$(ss -Hltnp "sport = :$1" 2>/dev/null || true)
  [ -z "$who" ] || die "port $1 is already in use (needed on 127.0.0.1:$1); stop whatever listens there first:
$who"
}

# wait_port PORT SECONDS PID : until something accepts on 127.0.0.1:PORT. Fails early if
# PID (the process that should be listening) has exited.
wait_port() {
  local port=$1 secs=$2 pid=$3 i
  for i in $(seq $((secs * 10))); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    alive "$pid" || return 2
    sleep 0.1
  done
  return 1
}

# http_status URL : the status code of one GET (000 if there was no answer)
http_status() {
  curl -s -o /dev/null --max-time 5 -w '%{http_code}' "$1" || true
}

# ---- the servers ----------------------------------------------------------------------

# run_on CPU LOGFILE CMD... : start CMD in the background, pinned to CPU at our nice level,
# and remember it. Sets LAST_PID. (nice and taskset exec the command: $! is its PID.)
run_on() {
  local cpu=$1 logf=$2; shift 2
  nice -n "$NICE" taskset -c "$cpu" "$@" >"$logf" 2>&1 &
  LAST_PID=$!
  STARTED+=("$LAST_PID")
}

# started PID NAME SECONDS PORT : wait for NAME to listen on PORT, or fail with its log
started() {
  local pid=$1 name=$2 secs=$3 port=$4 rc=0
  wait_port "$port" "$secs" "$pid" || rc=$?
  case $rc in
    0) ;;
    2) die "$name exited before listening on :$port; its log ($OUT/logs/$name.log):
$(tail -20 "$OUT/logs/$name.log")" ;;
    *) die "$name did not listen on :$port within ${secs}s; its log ($OUT/logs/$name.log):
$(tail -20 "$OUT/logs/$name.log")" ;;
  esac
}

# start_nginx NAME CONFFILE CPU : nginx in the foreground (daemon off) with its own prefix
start_nginx() {
  local name=$1 conf=$2 cpu=$3 prefix="$SCRATCH/$1"
  mkdir -p "$prefix/logs" "$prefix/tmp"
  run_on "$cpu" "$OUT/logs/$name.log" nginx -p "$prefix/" -c "$conf" -e "$OUT/logs/$name.log"
}

# start_origin [nginx|sink] : the origin on CPU_LOAD, port 9001: nginx (conf/origin-nginx.conf),
# or upload_sink.py, which reads a whole request body before it answers. Sets ORIGIN_PID.
start_origin() {
  require_free_port "$ORIGIN_PORT"
  case ${1:-nginx} in
    nginx) start_nginx origin "$CONF/origin-nginx.conf" "$CPU_LOAD" ;;
    sink)
      run_on "$CPU_LOAD" "$OUT/logs/sink.log" \
        python3 "$BENCH_DIR/upload_sink.py" --port "$ORIGIN_PORT" --log "$SCRATCH/sink-requests.log"
      ;;
  esac
  ORIGIN_PID=$LAST_PID
  started "$ORIGIN_PID" origin 10 "$ORIGIN_PORT"
  [ "$(http_status "http://127.0.0.1:$ORIGIN_PORT/")" = 200 ] || die "origin does not answer 200"
}

# proxy_conf TARGET : the config file TARGET runs with. The files in conf/ log every request
# into the proxy's scratch directory ($SCRATCH/TARGET/logs/access.log); HAProxy's turns the
# log off by itself when ACCESS_LOG=off, nginx's gets a copy with `access_log off`, and
# Sluice's gets its access_log section here, as it takes an absolute path.
proxy_conf() {
  local dir="$SCRATCH/$1"
  mkdir -p "$dir/logs"
  case $1 in
    haproxy) echo "$CONF/haproxy.cfg" ;;
    nginx)
      if [ "$ACCESS_LOG" = on ]; then echo "$CONF/nginx.conf"; return; fi
      sed 's|^\( *\)access_log logs/access.log;|\1access_log off;|' "$CONF/nginx.conf" >"$dir/nginx.conf"
      grep -q '^ *access_log off;' "$dir/nginx.conf" || die "no access_log line to turn off in $CONF/nginx.conf"
      echo "$dir/nginx.conf"
      ;;
    sluice)
      cp "$CONF/sluice.yaml" "$dir/sluice.yaml"
      [ "$ACCESS_LOG" = off ] ||
        printf 'access_log:\n  path: %s\n  format: json\n' "$dir/logs/access.log" >>"$dir/sluice.yaml"
      echo "$dir/sluice.yaml"
      ;;
  esac
}

# sluice_cmd CONFIG : the command that runs Sluice in the foreground
sluice_cmd() { echo "${SLUICE_BIN:-$ROOT/sluice} serve --config $1"; }

# start_proxy TARGET : the proxy under test on CPU_PROXY, port 8080. Sets PROXY_PID.
start_proxy() {
  local target=$1 secs=10 conf
  require_free_port "$PROXY_PORT"
  conf=$(proxy_conf "$target")
  case $target in
    haproxy)
      # its config reads ACCESS_LOG from the environment (.if blocks)
      ACCESS_LOG=$ACCESS_LOG haproxy -c -q -f "$conf" >/dev/null || die "haproxy rejects $conf"
      # `log stdout` in its config: standard output is the access log
      # shellcheck disable=SC2016 # expanded by sh, from its arguments
      run_on "$CPU_PROXY" "$OUT/logs/haproxy.log" env ACCESS_LOG="$ACCESS_LOG" \
        sh -c 'exec haproxy -db -f "$1" >"$2"' sh "$conf" "$SCRATCH/haproxy/logs/access.log"
      ;;
    nginx)
      start_nginx nginx "$conf" "$CPU_PROXY"
      ;;
    sluice)
      secs=$SLUICE_START_TIMEOUT
      # exec: the PID we keep is the launcher's own, and the JVM's once the launcher execs it
      run_on "$CPU_PROXY" "$OUT/logs/sluice.log" bash -c "exec $(sluice_cmd "$conf")"
      ;;
    *) die "unknown target '$target' (known: sluice haproxy nginx)" ;;
  esac
  PROXY_PID=$LAST_PID
  started "$PROXY_PID" "$target" "$secs" "$PROXY_PORT"
  local code; code=$(http_status "http://127.0.0.1:$PROXY_PORT/")
  [ "$code" = 200 ] || die "$target listens on :$PROXY_PORT but GET / answered '$code', not 200"
}

# start_target TARGET [nginx|sink] : the origin, then the proxy under test; for `direct` only
# the origin, which then takes the load itself. Sets URL (where the load goes) and SUT_PID
# (the process whose CPU time, memory and syscalls are measured).
# shellcheck disable=SC2034 # URL and SUT_PID are for the scripts
start_target() {
  start_origin "${2:-nginx}"
  if [ "$1" = direct ]; then
    SUT_PID=$ORIGIN_PID
    URL="http://127.0.0.1:$ORIGIN_PORT/"
  else
    start_proxy "$1"
    SUT_PID=$PROXY_PID
    URL="http://127.0.0.1:$PROXY_PORT/"
  fi
}

# run_load CPU LOGFILE SECONDS CMD... : run a load generator pinned to CPU, killed by
# `timeout` if it is still running after SECONDS; wait for it (interruptibly: the wait
# builtin returns on a signal, so Ctrl-C is not held up by the load). Returns its status.
run_load() {
  local cpu=$1 logf=$2 bound=$3 pid rc=0; shift 3
  timeout -k 5 "$bound" nice -n "$NICE" taskset -c "$cpu" "$@" >"$logf" 2>&1 &
  pid=$!
  STARTED+=("$pid")
  wait "$pid" || rc=$?
  forget "$pid"
  return "$rc"
}

# wrk_load LOGFILE DURATION [pipelined] : wrk on CPU_LOAD against $URL with CONNS
# connections; pipelined, every write carries DEPTH requests (pipeline.lua)
wrk_load() {
  local logf=$1 dur=$2 args=(-t1 -c"$CONNS" -d"$2" --timeout 5s --latency)
  [ "${3:-}" = pipelined ] && args+=(-s "$BENCH_DIR/pipeline.lua")
  run_load "$CPU_LOAD" "$logf" $(($(seconds "$dur") + 30)) \
    env PIPELINE_DEPTH="$DEPTH" wrk "${args[@]}" "$URL" || die "wrk failed (status $?); see $logf"
}

# warm_up LOGFILE : the same load before every measurement of every target, WARMUP long:
# a JVM compiles its hot paths, and every proxy fills its pool of origin connections
warm_up() { wrk_load "$1" "$WARMUP"; }

# stop_servers : stop proxy and origin (and anything else started), by PID. The access logs
# go too, after their size is noted (a log that stays empty was not written).
stop_servers() {
  local f
  stop_started
  for f in "$SCRATCH"/*/logs/access.log; do
    [ -f "$f" ] || continue
    echo "$(basename "$(dirname "$(dirname "$f")")") $(wc -l <"$f") lines" >>"$OUT/logs/access-log-lines.txt"
    rm -f "$f"
  done
  sleep 0.5
}

# ---- measuring ------------------------------------------------------------------------

# cpu_ns PID... : nanoseconds on CPU, summed over every thread of the given processes
# (/proc/PID/task/TID/schedstat, first field: exact, not sampled by the tick)
cpu_ns() {
  local p t v s=0
  for p in "$@"; do
    for t in /proc/"$p"/task/*/schedstat; do
      read -r v _ <"$t" 2>/dev/null && s=$((s + v))
    done
  done
  echo "$s"
}

# cpu_ticks PID... : utime + stime from /proc/PID/stat, in clock ticks. Coarser than
# cpu_ns, but it still counts threads that exited meanwhile; kept as a cross-check.
cpu_ticks() {
  local p line f s=0
  for p in "$@"; do
    line=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    read -ra f <<<"${line##*) }"      # f[0] is field 3, so utime (14) is f[11], stime f[12]
    s=$((s + f[11] + f[12]))
  done
  echo "$s"
}

# rss_kb PID... : resident set size (VmRSS) in kB, summed
rss_kb() {
  local p v s=0
  for p in "$@"; do
    v=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
    s=$((s + ${v:-0}))
  done
  echo "$s"
}

# busy_ticks CPU : ticks CPU spent not idle (user nice system irq softirq steal), /proc/stat
busy_ticks() { awk -v c="cpu$1" '$1 == c {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }

# seconds DURATION : wrk-style duration (10, 10s, 2m, 1h) in whole seconds
seconds() {
  case $1 in
    *h) echo $(( ${1%h} * 3600 )) ;;
    *m) echo $(( ${1%m} * 60 )) ;;
    *s) echo "${1%s}" ;;
    *) echo "$1" ;;
  esac
}

# check_duration NAME VALUE
check_duration() {
  [[ $2 =~ ^[0-9]+[smh]?$ ]] || die "$1 must look like 10s, 2m or 30 (got '$2')"
}

# parse_args "KNOWN..." [ROUNDS] [TARGETS...] : ROUNDS (default 3) and TARGETS (default: all
# of KNOWN) from a script's arguments
parse_args() {
  local known=$1 t
  ROUNDS=${2:-3}
  [[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive number (got '$ROUNDS')"
  TARGETS=("${@:3}")
  [ ${#TARGETS[@]} -gt 0 ] || read -ra TARGETS <<<"$known"
  for t in "${TARGETS[@]}"; do
    [[ " $known " == *" $t "* ]] || die "unknown target '$t' (known: $known)"
  done
}

# rotated ROUND : the targets in this round's order (round r starts at target r-1)
rotated() {
  local n=${#TARGETS[@]} i
  for ((i = 0; i < n; i++)); do echo "${TARGETS[(i + $1 - 1) % n]}"; done
}

# for_rounds FN : FN TARGET ROUND for every round, the targets in the round's order, so that
# slow phases of the machine hit every target alike
for_rounds() {
  local round target
  for round in $(seq "$ROUNDS"); do
    for target in $(rotated "$round"); do
      log "round $round/$ROUNDS: $target"
      "$1" "$target" "$round"
    done
  done
}

# describe_env FILE : versions and settings of this run
describe_env() {
  {
    echo "date:       $(date -Is)"
    echo "commit:     $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "kernel:     $(uname -r)"
    echo "cpu:        $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo) x $(nproc)"
    echo "haproxy:    $(haproxy -v 2>/dev/null | head -1)"
    echo "nginx:      $(nginx -v 2>&1)"
    echo "wrk:        $(wrk -v 2>&1 | head -1)"
    echo "h2load:     $(h2load --version 2>/dev/null | head -1)"
    echo "curl:       $(curl --version 2>/dev/null | head -1 | cut -d' ' -f1-2)"
    echo "sluice:     $(sluice_cmd "<config>"); $("${SLUICE_BIN:-$ROOT/sluice}" --version 2>&1 | paste -sd' ')"
    echo "access log: $ACCESS_LOG"
    echo "pinning:    proxy on CPU $CPU_PROXY; origin and load on CPU $CPU_LOAD; nice $NICE"
    echo "autogroup:  $(cat /proc/self/autogroup 2>/dev/null || echo n/a)"
    echo "loadavg:    $(cat /proc/loadavg)"
  } >"$1"
}

require_tools() {
  local t missing=()
  for t in "$@"; do command -v "$t" >/dev/null || missing+=("$t"); done
  [ ${#missing[@]} -eq 0 ] || die "missing tools: ${missing[*]} (run bench/install.sh)"
}

# require_targets : what the chosen TARGETS need besides the common tools
require_targets() {
  local t bin=${SLUICE_BIN:-$ROOT/sluice}
  for t in "${TARGETS[@]}"; do
    case $t in
      haproxy) require_tools haproxy ;;
      sluice) [ -x "$bin" ] || die "no Sluice launcher at $bin; set SLUICE_BIN to one" ;;
    esac
  done
}
