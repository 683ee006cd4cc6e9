#!/usr/bin/env python3
"""The report of one bench/run.sh run: every figure against its target, and a chart.

  scorecard.py RUN_DIR --md OUT.md [--png OUT.png]

RUN_DIR holds run.sh's env.txt and one directory per part (compare/, syscalls/, latency/,
transfer/, idle-mem/) with its CSV. Writes the markdown report; draws the chart as SVG in
RUN_DIR/chart.html and, with --png, has headless Chromium take a picture of it (skipped,
with a message, where there is no Chromium). Standard library only.
"""
import argparse
import html
import os
import shutil
import statistics
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
import report  # noqa: E402  (after the line above)

PROXIES = ["sluice", "haproxy", "nginx"]
COLUMNS = PROXIES + ["direct"]
NAMES = {"sluice": "Sluice", "haproxy": "HAProxy", "nginx": "nginx", "direct": "direct"}
COLOURS = {"sluice": "#1f77b4", "haproxy": "#d62728", "nginx": "#2ca02c", "direct": "#999999"}
GROWTH_LIMIT_MIB = 64
PARTS = {  # part -> its CSV and the column that counts errors
    "compare": ("runs.csv", "errors"), "syscalls": ("syscalls.csv", "errors"),
    "latency": ("latency.csv", "errors"), "transfer": ("transfer.csv", "errors"),
    "idle-mem": ("idle.csv", "failed"),
}


class Figure:
    """One row of the table: per-target values over rounds, how to show them, and the goal.

    goal(med) gets the median of every target that has values and returns (text, met),
    met being True, False, or None when a figure it needs is missing."""

    def __init__(self, label, values, fmt, goal=None, chart=None, ratio=True):
        self.label, self.values, self.fmt = label, values, fmt
        self.goal, self.chart, self.extra = goal, chart, {}
        self.ratio = ratio  # False where a ratio to HAProxy means nothing (an absolute limit)

    def median(self, target):
        v = [x for x in self.values.get(target, []) if x == x]
        return statistics.median(v) if v else None

    def medians(self):
        return {t: self.median(t) for t in COLUMNS if self.median(t) is not None}

    def cell(self, target):
        if not self.values.get(target):
            return "—"
        return report.spread(self.values[target], self.fmt) + self.extra.get(target, "")


def rows_of(run, part):
    path = os.path.join(run, part, PARTS[part][0])
    return report.read_csv(path) if os.path.exists(path) else []


def values(rows, key, **match):
    """{target: [values over rounds]} of one CSV column, over the rows matching `match`"""
    return collect((r["target"], float(r[key])) for r in rows
                   if all(r[k] == v for k, v in match.items()) and r[key] != "")


def collect(pairs):
    """{target: [values]} from (target, value) pairs, leaving out the missing (NaN) ones"""
    out = {}
    for t, v in pairs:
        if v == v:
            out.setdefault(t, []).append(v)
    return out


def at_most(ref, plus=0.0, text=None):
    """goal: Sluice's median at most ref's median (+ plus)"""
    def goal(med):
        words = text or ("≤ %s" % NAMES[ref] + (" + %s ms" % fmt_num(plus) if plus else ""))
        if "sluice" not in med or ref not in med:
            return words, None
        limit = med[ref] + plus
        return "%s (%s)" % (words, fmt_num(limit)), med["sluice"] <= limit
    return goal


def share_of_direct(minimum):
    def goal(med):
        text = "≥ %d%% of direct" % (minimum * 100)
        if "sluice" not in med or "direct" not in med:
            return text, None
        return text, med["sluice"] >= minimum * med["direct"]
    return goal


def below(limit, unit):
    def goal(med):
        return "< %s %s" % (fmt_num(limit), unit), (med["sluice"] < limit) if "sluice" in med else None
    return goal


def fmt_num(x):
    return ("%.2f" % x).rstrip("0").rstrip(".") if x < 100 else "%.0f" % x


def percent_of_direct(fig):
    """' (85%)' after each proxy's speed"""
    direct = fig.median("direct")
    if direct:
        fig.extra = {t: " (%.0f%%)" % (100 * fig.median(t) / direct) for t in PROXIES if fig.median(t)}
    return fig


def figures(run):
    """every row of the table, in order"""
    cmp_rows, sc_rows = rows_of(run, "compare"), rows_of(run, "syscalls")
    lat_rows, tr_rows, idle_rows = rows_of(run, "latency"), rows_of(run, "transfer"), rows_of(run, "idle-mem")
    rate = lat_rows[0]["rate"] if lat_rows else "?"
    figs = [
        Figure("CPU-s per 100k requests, keep-alive", values(cmp_rows, "proxy_cpu_s_per_100k", mode="plain"),
               "%.2f", at_most("haproxy", text="≤ 1.0× HAProxy"), "CPU per 100k req\nkeep-alive"),
        Figure("req/s, keep-alive (beside it)", values(cmp_rows, "rps", mode="plain"), "%.0f"),
        Figure("CPU-s per 100k requests, pipelined", values(cmp_rows, "proxy_cpu_s_per_100k", mode="pipelined"),
               "%.2f", at_most("nginx"), "CPU per 100k req\npipelined"),
        Figure("req/s, pipelined (beside it)", values(cmp_rows, "rps", mode="pipelined"), "%.0f"),
        Figure("syscalls per request, keep-alive", values(sc_rows, "per_request", mode="plain"),
               "%.2f", at_most("haproxy"), "syscalls / req\nkeep-alive"),
        Figure("syscalls per request, pipelined", values(sc_rows, "per_request", mode="pipelined"),
               "%.2f", at_most("haproxy"), "syscalls / req\npipelined"),
        Figure("p99 ms at %s req/s" % rate, values(lat_rows, "p99_ms"), "%.3f",
               at_most("haproxy", plus=0.1), "p99 latency\nat %s req/s" % rate),
        Figure("req/s reached at %s req/s (beside it)" % rate, values(lat_rows, "achieved_rps"), "%.0f"),
        Figure("p50 ms at %s req/s (beside it)" % rate, values(lat_rows, "p50_ms"), "%.3f"),
        Figure("p99.9 ms at %s req/s (beside it)" % rate, values(lat_rows, "p999_ms"), "%.3f"),
    ]
    for d, word in (("down", "download"), ("up", "upload")):
        rs = [(r["target"], report.transfer_figures(r)) for r in tr_rows if r["direction"] == d]
        per = {k: collect((t, f[k]) for t, f in rs) for k in ("mib_s", "growth_mib", "cpu_s_per_gib")}
        size = "%d MiB" % (int(tr_rows[0]["bytes"]) // report.MIB) if tr_rows else "1 GiB"
        figs += [
            percent_of_direct(Figure("%s %s, MiB/s" % (size, word), per["mib_s"], "%.0f",
                                     share_of_direct(0.9), "%s MiB/s\n(higher is better)" % word)),
            Figure("%s %s, proxy RSS growth MiB" % (size, word), per["growth_mib"], "%.1f",
                   below(GROWTH_LIMIT_MIB, "MiB"), ratio=False),
            Figure("%s %s, proxy CPU-s per GiB (beside it)" % (size, word), per["cpu_s_per_gib"],
                   "%.2f"),
        ]
    figs += [
        Figure("RSS bytes per idle keep-alive connection", values(idle_rows, "bytes_per_conn"), "%.0f", at_most("haproxy"), "RSS per idle\nconnection"),
        Figure("JVM heap bytes per idle connection (beside it)", values(idle_rows, "heap_bytes_per_conn"),
               "%.0f"),
        Figure("warm-up req/s, first %s" % env_value(read_env(run), "warm-up", "seconds"),
               values(cmp_rows, "rps", mode="warmup"),
               "%.0f"),
        Figure("warm-up CPU-s per 100k requests", values(cmp_rows, "proxy_cpu_s_per_100k", mode="warmup"),
               "%.2f"),
        Figure("errors, all parts", errors(run), "%.0f",
               lambda med: ("0", (med["sluice"] == 0) if "sluice" in med else None)),
    ]
    return figs


def errors(run):
    """{target: [total errors]} over every part"""
    total = {}
    for part, (_, key) in PARTS.items():
        for r in rows_of(run, part):
            total[r["target"]] = total.get(r["target"], 0) + int(r[key] or 0)
    return {t: [float(n)] for t, n in total.items()}


def read_env(run):
    """run.sh's env.txt, then what each part wrote about its own load (lines run.sh's lacks)"""
    def lines(path):
        return open(path).read().splitlines() if os.path.exists(path) else []
    own = lines(os.path.join(run, "env.txt"))
    keys = {l.split(":", 1)[0] for l in own}
    for part in PARTS:
        for l in lines(os.path.join(run, part, "env.txt")):
            key, _, value = l.partition(":")
            if key not in keys and key != "rounds":
                own.append("%s (%s): %s" % (key, part, value.strip()))
    return own


def env_value(env, key, default=""):
    return next((l.split(":", 1)[1].strip() for l in env if l.startswith(key + ":")), default)


def ratio(fig):
    med = fig.medians()
    if fig.ratio and "sluice" in med and med.get("haproxy"):
        return "%.2f" % (med["sluice"] / med["haproxy"])
    return "—"


def table(figs):
    out = ["| figure | Sluice | HAProxy | nginx | direct | Sluice/HAProxy | target | met? |",
           "|---|---|---|---|---|---|---|---|"]
    for f in figs:
        goal, met = f.goal(f.medians()) if f.goal else ("", None)
        mark = "" if not f.goal else {True: "yes", False: "**no**", None: "n/a"}[met]
        out.append("| %s | %s | %s | %s |" % (
            f.label, " | ".join(f.cell(t) for t in COLUMNS), ratio(f), goal + " | " + mark))
    return "\n".join(out)


def syscall_detail(run):
    rows = rows_of(run, "syscalls")
    if not rows:
        return ""
    out = ["| target | mode | syscalls per request | the calls, per request (median run) |", "|---|---|---|---|"]
    for t in report.targets_in(rows):
        for m in ("plain", "pipelined"):
            rs = [r for r in rows if r["target"] == t and r["mode"] == m]
            if rs:
                mid = report.median_row(rs, "per_request")
                out.append("| %s | %s | %s | %s |" % (NAMES.get(t, t), m, mid["per_request"], mid["top"]))
    return "\n".join(out)


def markdown(run, figs, png, failed):
    env = read_env(run)
    met = [f.goal(f.medians())[1] for f in figs if f.goal]
    logs = ("every proxy wrote its access log to a file" if env_value(env, "access log") == "on"
            else "access logs were off (ACCESS_LOG=off)")
    lines = ["# Sluice beside HAProxy and nginx, %s" % env_value(env, "date")[:10], "",
             "    %s" % env_value(env, "command", "bench/run.sh"), "",
             "Targets met: %d of %d (%d without a figure). Medians over rounds, [min–max] beside "
             "them; %s." % (met.count(True), len(met), met.count(None), logs), ""]
    if failed:
        lines += ["**Parts that failed, whose figures are missing: %s** (see their directories in the "
                  "run's raw data)." % ", ".join(failed), ""]
    lines += [table(figs), ""]
    if png:
        lines += ["![The figures against HAProxy's](%s)" % os.path.basename(png), ""]
    lines += [
        "How to read it: CPU-s per 100k requests is the proxy's own CPU time (all threads) over a "
        "measured load, divided by the requests; syscalls are counted over an exact number of "
        "requests at full speed; the latency is taken at one fixed rate, half of HAProxy's "
        "keep-alive req/s in this run, the same for every target; the transfers are one body each "
        "way, the proxy's RSS read every 100 ms; RSS per idle connection is (after − before) / "
        "connections held, for the JVM after a full collection. `direct` is the origin without a "
        "proxy. The warm-up rows are the load every target gets before it is measured. "
        "bench/README.md has the details.", "",
        "## Where the system calls go", "", syscall_detail(run), "",
        "## Environment", "", "```", *env, "```", "",
    ]
    for part in PARTS:
        path = os.path.join(run, part, "summary.md")
        if os.path.exists(path):
            lines += ["## Details: %s.sh" % part, "", open(path).read().strip(), ""]
    return "\n".join(lines)


# ---- the chart -------------------------------------------------------------------------

W, H = 1200, 700
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 110, 120
CAP = 3.0  # ratios above it are drawn cut, their value written on them


def chart_svg(figs, title):
    groups = [f for f in figs if f.chart and f.median("haproxy")]
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    y = lambda r: TOP + plot_h * (1 - min(r, CAP) / CAP)
    el = ['<text x="%d" y="32" font-size="22" font-weight="bold">%s</text>' % (LEFT, html.escape(title)),
          '<text x="%d" y="56" font-size="14" fill="#444">each figure divided by HAProxy\'s '
          '(HAProxy = 1.0); labels are the medians; lower is better unless marked</text>' % LEFT]
    for r in (0, 0.5, 1, 1.5, 2, 2.5, 3):
        el.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="%s"/>' % (
            LEFT, W - RIGHT, y(r), y(r), "#000" if r == 1 else "#ddd", 1.5 if r == 1 else 1))
        el.append('<text x="%d" y="%.1f" font-size="13" text-anchor="end">%.1f%s</text>' % (
            LEFT - 8, y(r) + 4, r, "+" if r == CAP else ""))
    slot = plot_w / max(1, len(groups))
    for i, f in enumerate(groups):
        med = f.medians()
        shown = [t for t in COLUMNS if t in med]
        bar = min(34, (slot - 20) / len(shown))
        x0 = LEFT + i * slot + (slot - bar * len(shown)) / 2
        for j, t in enumerate(shown):
            r = med[t] / med["haproxy"]
            x = x0 + j * bar
            el.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>' % (
                x + 1, y(r), bar - 2, y(0) - y(r), COLOURS[t]))
            if r > CAP:  # a cut bar: a white notch and the ratio
                el.append('<path d="M%.1f %.1f l%.1f -8 v5 l-%.1f 8 z" fill="#fff"/>' % (
                    x + 1, y(CAP) + 14, bar - 2, bar - 2))
            if r <= CAP:  # the value above the bar
                at, anchor, colour, label = y(r) - 4, "start", "#000", f.fmt % med[t]
            else:  # inside it, below the notch
                at, anchor, colour, label = y(CAP) + 22, "end", "#fff", "%s (%.1f×)" % (f.fmt % med[t], r)
            el.append('<text font-size="12" text-anchor="%s" fill="%s" transform="translate(%.1f %.1f) '
                      'rotate(-90)">%s</text>' % (anchor, colour, x + bar / 2 + 4, at, html.escape(label)))
        for k, part in enumerate(f.chart.split("\n")):
            el.append('<text x="%.1f" y="%d" font-size="13" text-anchor="middle">%s</text>' % (
                LEFT + i * slot + slot / 2, H - BOTTOM + 22 + 16 * k, html.escape(part)))
    for k, t in enumerate(COLUMNS):
        x = LEFT + k * 150
        el.append('<rect x="%d" y="%d" width="16" height="16" fill="%s"/>' % (x, H - 40, COLOURS[t]))
        el.append('<text x="%d" y="%d" font-size="14">%s</text>' % (x + 22, H - 27, NAMES[t]))
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif">'
            '<rect width="100%%" height="100%%" fill="#fff"/>%s</svg>' % (W, H, "".join(el)))


def render_png(page, png):
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not browser:
        print("no Chromium found (install it: bench/install.sh); the chart stays as %s, no PNG" % page,
              file=sys.stderr)
        return False
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--window-size=%d,%d" % (W, H), "--screenshot=" + os.path.abspath(png),
           "file://" + os.path.abspath(page)]
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        print("Chromium took over 120 s for the chart; no PNG", file=sys.stderr)
        return False
    if done.returncode != 0 or not os.path.exists(png):
        print("Chromium could not draw the chart (status %d): %s" % (
            done.returncode, done.stderr.decode(errors="replace")[-500:]), file=sys.stderr)
        return False
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run")
    ap.add_argument("--md", required=True)
    ap.add_argument("--png")
    ap.add_argument("--failed", default="", help="parts that failed, comma-separated")
    a = ap.parse_args()
    figs = figures(a.run)
    page = os.path.join(a.run, "chart.html")
    with open(page, "w") as f:
        f.write('<!doctype html><meta charset="utf-8"><body style="margin:0">%s</body>\n' % chart_svg(
            figs, "Sluice beside HAProxy and nginx, %s" % env_value(read_env(a.run), "date")[:10]))
    png = a.png if a.png and render_png(page, a.png) else None
    failed = [p for p in a.failed.split(",") if p]
    with open(a.md, "w") as f:
        f.write(markdown(a.run, figs, png, failed))
    print(table(figs))


if __name__ == "__main__":
    main()
