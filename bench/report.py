#!/usr/bin/env python3
"""Turn benchmark output into CSV rows and markdown tables (standard library only).

  report.py wrk-row WRK_LOG --round R --target T --mode M --proxy-ns NS ...
      parse one wrk log and print one CSV row of compare.sh's runs.csv
  report.py compare RUNS_CSV     markdown: median [min-max] per target x mode, ratios vs haproxy
  report.py idle IDLE_CSV        markdown: idle connection memory per target
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
]
MS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}
TARGET_ORDER = ["sluice", "haproxy", "nginx"]


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


def num(x, fmt="%.3f"):
    """a CSV cell: empty for a figure we do not have"""
    return "" if x != x else fmt % x


def column(rows, key):
    """the numeric values of one CSV column, NaN where the cell is empty"""
    return [float(r[key]) if r[key] != "" else float("nan") for r in rows]


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


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
    rows = read_csv(a.csv)
    if not rows:
        sys.exit("no rows in %s" % a.csv)
    modes = [m for m in ("plain", "pipelined") if any(r["mode"] == m for r in rows)]
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
    print("Medians [min–max] over rounds. wrk reports no usable latency percentiles when "
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
    rows = read_csv(a.csv)
    if not rows:
        sys.exit("no rows in %s" % a.csv)
    col = column
    print("| target | runs | connections held | failed | RSS before kB | RSS after kB | "
          "**bytes per idle connection** | upstream conns |")
    print("|---|---|---|---|---|---|---|---|")
    for t in targets_in(rows):
        rs = [r for r in rows if r["target"] == t]
        print("| %s | %d | %s | %d | %s | %s | **%s** | %s |" % (
            t, len(rs), spread(col(rs, "held"), "%.0f"), sum(int(r["failed"]) for r in rs),
            spread(col(rs, "rss_before_kb"), "%.0f"), spread(col(rs, "rss_after_kb"), "%.0f"),
            spread(col(rs, "bytes_per_conn"), "%.0f"), spread(col(rs, "upstream_conns"), "%.0f")))
    print()
    print("bytes per idle connection = (RSS after - RSS before) / connections held; "
          "median [min–max] over rounds.")


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
    c = sub.add_parser("compare")
    c.add_argument("csv")
    c.set_defaults(fn=cmd_compare)
    i = sub.add_parser("idle")
    i.add_argument("csv")
    i.set_defaults(fn=cmd_idle)
    sub.add_parser("columns").set_defaults(
        fn=lambda a: print(",".join(COMPARE_COLUMNS if a.which == "compare" else IDLE_COLUMNS)))
    sub.choices["columns"].add_argument("which", choices=["compare", "idle"])
    a = ap.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
