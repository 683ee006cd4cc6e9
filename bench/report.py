#!/usr/bin/env python3
"""Turn benchmark output into CSV rows and markdown tables (standard library only).

  report.py columns compare|idle|syscalls|latency|transfer    the CSV header of that script
  report.py wrk-row WRK_LOG --round R --target T --mode M --proxy-ns NS ...
      parse one wrk log and print one CSV row of compare.sh's runs.csv
  report.py syscall-row COUNT H2LOAD_LOG --method perf|strace --round R --target T --mode M
      one row of syscalls.sh's syscalls.csv, from perf stat -x, or strace -c output
  report.py latency-row H2LOAD_LOG REQUEST_LOG --round R --target T --rate N
      one row of latency.sh's latency.csv, from h2load's output and its --log-file
  report.py heap-used HEAP_INFO  kB of Java heap in use, from jcmd GC.heap_info
  report.py half-rate RUNS_CSV   half of HAProxy's median plain req/s (for latency.sh)
  report.py compare RUNS_CSV     markdown: median [min-max] per target x mode, ratios vs haproxy
  report.py idle IDLE_CSV        markdown: idle connection memory per target
  report.py syscalls|latency|transfer CSV   markdown: that script's figures per target
"""
import argparse
import csv
import re
import statistics
import sys

COMPARE_COLUMNS = [
    "round", "target", "mode", "requests", "seconds", "rps", "p50_ms", "p99_ms",
    "non2xx", "socket_errors", "errors", "proxy_cpu_s", "proxy_cpu_s_per_100k",
    "proxy_cpu_s_stat", "origin_cpu_s", "load_cpu_busy_pct", "proxy_cpu_busy_pct",
]
IDLE_COLUMNS = [
    "round", "target", "n", "held", "failed", "established", "upstream_conns",
    "rss_before_kb", "rss_after_kb", "bytes_per_conn",
    "heap_before_kb", "heap_after_kb", "heap_bytes_per_conn",
]
SYSCALL_COLUMNS = [
    "round", "target", "mode", "method", "requests", "syscalls", "per_request", "top", "errors",
]
LATENCY_COLUMNS = [
    "round", "target", "rate", "requests", "achieved_rps", "p50_ms", "p99_ms", "p999_ms",
    "max_ms", "errors",
]
TRANSFER_COLUMNS = [
    "round", "target", "direction", "bytes", "curl_bytes", "origin_bytes", "seconds",
    "rss_before_kb", "rss_peak_kb", "proxy_cpu_ns", "errors",
]
COLUMNS = {"compare": COMPARE_COLUMNS, "idle": IDLE_COLUMNS, "syscalls": SYSCALL_COLUMNS,
           "latency": LATENCY_COLUMNS, "transfer": TRANSFER_COLUMNS}
MS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}
TARGET_ORDER = ["sluice", "haproxy", "nginx", "direct"]
MIB = 1024 * 1024


def duration_ms(tok):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", tok)
    if not m:
        raise ValueError("not a wrk duration: %r" % tok)
    return float(m.group(1)) * MS[m.group(2)]


def parse_wrk(text):
    """The figures we use from wrk's text output (wrk 4.x, run with --latency)."""
    m = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m|h),", text)
    if not m:
        raise ValueError("no request count in wrk output")
    out = {"requests": int(m.group(1)), "seconds": duration_ms(m.group(2) + m.group(3)) / 1e3}
    out["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    for p in ("50", "99"):
        m = re.search(r"^\s+%s%%\s+(\S+)" % p, text, re.M)
        out["p" + p] = duration_ms(m.group(1)) if m else float("nan")
    # "Non-2xx or 3xx responses" is wrk's wording; it counts status >= 400
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    out["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    out["socket_errors"] = sum(int(x) for x in m.groups()) if m else 0
    return out


def cmd_wrk_row(a):
    try:
        w = parse_wrk(open(a.log).read())
    except (ValueError, AttributeError) as e:
        sys.exit("cannot read wrk output %s: %s" % (a.log, e))
    if a.mode == "pipelined":
        # wrk records one latency per pipelined batch and its percentile table comes out
        # as zeros; leave the figures out rather than print nonsense
        w["p50"] = w["p99"] = float("nan")
    cpu = a.proxy_ns / 1e9
    wall = a.wall_ns / 1e9
    row = [
        a.round, a.target, a.mode, w["requests"], "%.2f" % w["seconds"], "%.0f" % w["rps"],
        num(w["p50"]), num(w["p99"]), w["non2xx"], w["socket_errors"],
        w["non2xx"] + w["socket_errors"],
        "%.3f" % cpu, "%.3f" % (cpu / w["requests"] * 1e5 if w["requests"] else float("nan")),
        "%.2f" % (a.proxy_ticks / a.clk_tck), "%.3f" % (a.origin_ns / 1e9),
        # busy time comes in clock ticks: a fully busy CPU can read slightly above 100%
        "%.0f" % min(100, 100 * a.load_busy / a.clk_tck / wall),
        "%.0f" % min(100, 100 * a.proxy_busy / a.clk_tck / wall),
    ]
    print(",".join(str(x) for x in row))


def parse_h2load(text):
    """h2load's request counts. `failed` covers every request that did not end in 2xx:
    errors, timeouts and other statuses alike."""
    m = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, "
                  r"(\d+) failed", text)
    if not m:
        raise ValueError("no request counts in h2load output")
    return {"done": int(m.group(3)), "succeeded": int(m.group(4)), "failed": int(m.group(5))}


def parse_perf(text):
    """perf stat -x, output -> (all syscalls, {name: calls})"""
    total, calls = None, {}
    for line in text.splitlines():
        f = line.split(",")
        if len(f) < 3 or not f[0].isdigit():
            continue  # comments, and "<not counted>" (a thread that never ran)
        if f[2] == "raw_syscalls:sys_enter":
            total = int(f[0])
        elif f[2].startswith("syscalls:sys_enter_"):
            calls[f[2][len("syscalls:sys_enter_"):]] = int(f[0])
    if total is None:
        raise ValueError("no raw_syscalls:sys_enter count in perf output")
    return total, calls


def parse_strace(text):
    """strace -c summary -> (all syscalls, {name: calls})"""
    total, calls = None, {}
    for line in text.splitlines():
        f = line.split()
        if len(f) >= 5 and f[-1] == "total":  # % time, seconds, usecs/call, calls, [errors,] total
            total = int(f[3])
        elif len(f) >= 5 and re.fullmatch(r"[\d.]+", f[0]) and f[3].isdigit():
            calls[f[-1]] = int(f[3])
    if total is None:
        raise ValueError("no total line in strace -c output")
    return total, calls


def cmd_syscall_row(a):
    try:
        total, calls = (parse_perf if a.method == "perf" else parse_strace)(open(a.count).read())
        h = parse_h2load(open(a.h2load).read())
    except (OSError, ValueError) as e:
        sys.exit("cannot read %s / %s: %s" % (a.count, a.h2load, e))
    n = h["succeeded"]
    if not n:
        sys.exit("no request succeeded (%s)" % a.h2load)
    calls["other"] = total - sum(calls.values())  # perf: the calls not named one by one
    top = sorted(calls.items(), key=lambda kv: -kv[1])[:8]
    print(",".join(str(x) for x in [
        a.round, a.target, a.mode, a.method, n, total, "%.2f" % (total / n),
        " ".join("%s=%.2f" % (k, v / n) for k, v in top if v), h["failed"]]))


def percentile(sorted_values, p):
    """nearest rank: the smallest value with at least p% of the values at or below it"""
    i = max(0, min(len(sorted_values) - 1, int(-(-len(sorted_values) * p // 100)) - 1))
    return sorted_values[i]


def cmd_latency_row(a):
    try:
        h = parse_h2load(open(a.h2load).read())
        times, bad, starts = [], 0, []
        for line in open(a.requests):
            start_us, status, took_us = line.split("\t")[:3]
            starts.append(int(start_us))
            times.append(int(took_us) / 1e3)
            bad += not status.startswith("2")
    except (OSError, ValueError) as e:
        sys.exit("cannot read %s / %s: %s" % (a.h2load, a.requests, e))
    if not times:
        sys.exit("no request in %s" % a.requests)
    times.sort()
    span = (max(starts) - min(starts)) / 1e6 or 1.0
    print(",".join(str(x) for x in [
        a.round, a.target, a.rate, len(times), "%.0f" % (len(times) / span),
        "%.3f" % percentile(times, 50), "%.3f" % percentile(times, 99),
        "%.3f" % percentile(times, 99.9), "%.3f" % times[-1], max(h["failed"], bad)]))


def cmd_heap_used(a):
    """the heap's own lines look like `<space name>  total 9792K, used 3010K [...]`
    (one per generation for the serial collector, one for G1); Metaspace's do not"""
    used = [int(m.group(1)) for m in re.finditer(r"total \d+K, used (\d+)K", open(a.file).read())]
    if not used:
        sys.exit("no heap figure in %s" % a.file)
    print(sum(used))


def cmd_half_rate(a):
    rps = [float(r["rps"]) for r in read_csv(a.csv) if r["target"] == "haproxy" and r["mode"] == "plain"]
    if not rps:
        sys.exit("no plain haproxy rows in %s" % a.csv)
    print(int(statistics.median(rps) / 2))


def num(x, fmt="%.3f"):
    """a CSV cell: empty for a figure we do not have"""
    return "" if x != x else fmt % x


def column(rows, key):
    """the numeric values of one CSV column, NaN where the cell is empty"""
    return [float(r[key]) if r[key] != "" else float("nan") for r in rows]


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def measured_rows(path):
    """the rows of a part's CSV; a part that measured nothing is an error"""
    rows = read_csv(path)
    if not rows:
        sys.exit("no rows in %s" % path)
    return rows


def spread(values, fmt):
    """median [min-max] of the values, formatted with fmt"""
    v = [x for x in values if x == x]  # drop NaN
    if not v:
        return "n/a"
    if len(v) == 1:
        return fmt % v[0]
    return (fmt + " [" + fmt + "–" + fmt + "]") % (statistics.median(v), min(v), max(v))


def targets_in(rows):
    seen = {r["target"] for r in rows}
    return [t for t in TARGET_ORDER if t in seen] + sorted(seen - set(TARGET_ORDER))


def cmd_compare(a):
    rows = measured_rows(a.csv)
    modes = [m for m in ("warmup", "plain", "pipelined") if any(r["mode"] == m for r in rows)]
    col = column
    groups = {}
    print("| target | mode | runs | req/s | p50 ms | p99 ms | errors | proxy CPU-s | "
          "**CPU-s per 100k req** | proxy CPU busy % |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for t in targets_in(rows):
        for m in modes:
            rs = [r for r in rows if r["target"] == t and r["mode"] == m]
            if not rs:
                continue
            groups[t, m] = rs
            print("| %s | %s | %d | %s | %s | %s | %d | %s | **%s** | %s |" % (
                t, m, len(rs), spread(col(rs, "rps"), "%.0f"),
                spread(col(rs, "p50_ms"), "%.2f"), spread(col(rs, "p99_ms"), "%.2f"),
                sum(int(r["errors"]) for r in rs), spread(col(rs, "proxy_cpu_s"), "%.2f"),
                spread(col(rs, "proxy_cpu_s_per_100k"), "%.2f"),
                spread(col(rs, "proxy_cpu_busy_pct"), "%.0f")))
    print()
    print("Medians [min–max] over rounds. `warmup` is the load before the measured ones "
          "(WARMUP long, plain keep-alive). wrk reports no usable latency percentiles when "
          "it pipelines, hence n/a there.")
    others = [t for t in targets_in(rows) if t != "haproxy"]
    if not any(("haproxy", m) in groups for m in modes) or not others:
        return
    print()
    print("Against haproxy (ratio of medians; CPU-s per 100k: lower is better, "
          "req/s: higher is better):")
    print()
    print("| target | mode | CPU-s per 100k vs haproxy | req/s vs haproxy |")
    print("|---|---|---|---|")
    med = lambda rs, k: statistics.median(col(rs, k))
    for t in others:
        for m in modes:
            if (t, m) not in groups or ("haproxy", m) not in groups:
                continue
            mine, ref = groups[t, m], groups["haproxy", m]
            print("| %s | %s | %.2f | %.2f |" % (
                t, m, med(mine, "proxy_cpu_s_per_100k") / med(ref, "proxy_cpu_s_per_100k"),
                med(mine, "rps") / med(ref, "rps")))


def cmd_idle(a):
    rows = measured_rows(a.csv)
    col = column
    print("| target | runs | connections held | failed | RSS before kB | RSS after kB | "
          "**bytes per idle connection** | heap bytes per connection | upstream conns |")
    print("|---|---|---|---|---|---|---|---|---|")
    for t in targets_in(rows):
        rs = [r for r in rows if r["target"] == t]
        print("| %s | %d | %s | %d | %s | %s | **%s** | %s | %s |" % (
            t, len(rs), spread(col(rs, "held"), "%.0f"), sum(int(r["failed"]) for r in rs),
            spread(col(rs, "rss_before_kb"), "%.0f"), spread(col(rs, "rss_after_kb"), "%.0f"),
            spread(col(rs, "bytes_per_conn"), "%.0f"), spread(col(rs, "heap_bytes_per_conn"), "%.0f"),
            spread(col(rs, "upstream_conns"), "%.0f")))
    print()
    print("bytes per idle connection = (RSS after - RSS before) / connections held; "
          "median [min–max] over rounds. For a JVM both readings follow a full collection, "
          "and the heap in use after it is read too (heap bytes per connection).")


def cmd_syscalls(a):
    rows = measured_rows(a.csv)
    print("| target | mode | runs | method | **syscalls per request** | errors | "
          "calls per request (the run with the median total) |")
    print("|---|---|---|---|---|---|---|")
    for t in targets_in(rows):
        for m in ("plain", "pipelined"):
            rs = [r for r in rows if r["target"] == t and r["mode"] == m]
            if rs:
                print("| %s | %s | %d | %s | **%s** | %d | %s |" % (
                    t, m, len(rs), "/".join(sorted({r["method"] for r in rs})),
                    spread(column(rs, "per_request"), "%.2f"), sum(int(r["errors"]) for r in rs),
                    median_row(rs, "per_request")["top"]))
    print()
    print("Median [min–max] over rounds; `direct` is the origin alone, taking the load itself.")


def median_row(rows, key):
    """the row whose value of key is the median (the lower middle one for an even count)"""
    ordered = sorted(rows, key=lambda r: float(r[key]))
    return ordered[(len(ordered) - 1) // 2]


def cmd_latency(a):
    rows = measured_rows(a.csv)
    print("| target | runs | rate req/s | achieved req/s | p50 ms | **p99 ms** | p99.9 ms | "
          "max ms | errors |")
    print("|---|---|---|---|---|---|---|---|---|")
    for t in targets_in(rows):
        rs = [r for r in rows if r["target"] == t]
        print("| %s | %d | %s | %s | %s | **%s** | %s | %s | %d |" % (
            t, len(rs), rs[0]["rate"], spread(column(rs, "achieved_rps"), "%.0f"),
            spread(column(rs, "p50_ms"), "%.3f"), spread(column(rs, "p99_ms"), "%.3f"),
            spread(column(rs, "p999_ms"), "%.3f"), spread(column(rs, "max_ms"), "%.2f"),
            sum(int(r["errors"]) for r in rs)))
    print()
    print("Percentiles of every request's own time (h2load --log-file); median [min–max] over rounds.")


def transfer_figures(r):
    """MiB/s, RSS growth in MiB, proxy CPU-s per GiB of one transfer.csv row (NaN where
    there is no figure: a direct transfer has no proxy)"""
    secs = float(r["seconds"] or "nan")
    out = {"mib_s": int(r["curl_bytes"]) / MIB / secs if secs else float("nan")}
    if r["rss_before_kb"]:
        out["growth_mib"] = (int(r["rss_peak_kb"]) - int(r["rss_before_kb"])) / 1024
        out["cpu_s_per_gib"] = int(r["proxy_cpu_ns"]) / 1e9 / (int(r["bytes"]) / MIB / 1024)
    else:
        out["growth_mib"] = out["cpu_s_per_gib"] = float("nan")
    return out


def cmd_transfer(a):
    rows = measured_rows(a.csv)
    print("| target | direction | runs | MiB | **MiB/s** | % of direct | RSS growth MiB | "
          "proxy CPU-s per GiB | errors |")
    print("|---|---|---|---|---|---|---|---|---|")
    for d in ("down", "up"):
        direct = [transfer_figures(r)["mib_s"] for r in rows
                  if r["target"] == "direct" and r["direction"] == d]
        ref = statistics.median(direct) if direct else float("nan")
        for t in targets_in(rows):
            rs = [r for r in rows if r["target"] == t and r["direction"] == d]
            if not rs:
                continue
            f = [transfer_figures(r) for r in rs]
            speed = [x["mib_s"] for x in f]
            print("| %s | %s | %d | %d | **%s** | %s | %s | %s | %d |" % (
                t, d, len(rs), int(rs[0]["bytes"]) // MIB, spread(speed, "%.0f"),
                num(100 * statistics.median(speed) / ref, "%.0f%%") if ref == ref else "n/a",
                spread([x["growth_mib"] for x in f], "%.1f"),
                spread([x["cpu_s_per_gib"] for x in f], "%.2f"), sum(int(r["errors"]) for r in rs)))
    print()
    print("down: GET from the nginx origin; up: PUT to upload_sink.py. MiB/s = bytes / curl's "
          "total time; RSS growth = peak (read every 100 ms) - before. Median [min–max] over rounds.")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("wrk-row")
    w.add_argument("log")
    for name in ("round", "target", "mode"):
        w.add_argument("--" + name, required=True)
    for name in ("proxy-ns", "proxy-ticks", "origin-ns", "wall-ns", "load-busy", "proxy-busy", "clk-tck"):
        w.add_argument("--" + name, type=int, required=True)
    w.set_defaults(fn=cmd_wrk_row)
    sc = sub.add_parser("syscall-row")
    sc.add_argument("count")
    sc.add_argument("h2load")
    sc.add_argument("--method", choices=["perf", "strace"], required=True)
    for name in ("round", "target", "mode"):
        sc.add_argument("--" + name, required=True)
    sc.set_defaults(fn=cmd_syscall_row)
    lt = sub.add_parser("latency-row")
    lt.add_argument("h2load")
    lt.add_argument("requests")
    for name in ("round", "target", "rate"):
        lt.add_argument("--" + name, required=True)
    lt.set_defaults(fn=cmd_latency_row)
    sub.add_parser("heap-used").set_defaults(fn=cmd_heap_used)
    sub.choices["heap-used"].add_argument("file")
    for name, fn in (("half-rate", cmd_half_rate), ("compare", cmd_compare), ("idle", cmd_idle),
                     ("syscalls", cmd_syscalls), ("latency", cmd_latency), ("transfer", cmd_transfer)):
        sub.add_parser(name).set_defaults(fn=fn)
        sub.choices[name].add_argument("csv")
    sub.add_parser("columns").set_defaults(fn=lambda a: print(",".join(COLUMNS[a.which])))
    sub.choices["columns"].add_argument("which", choices=sorted(COLUMNS))
    a = ap.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
