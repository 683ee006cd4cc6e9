// The Sluice dashboard: polls /api/stats once a second and draws the last five minutes.
// Plain script, no build step; uPlot is vendored beside it (vendor/uPlot.iife.min.js).
(() => {
  'use strict';

  const KEEP_SECONDS = 300;
  const POLL_MS = 1000;
  const ANSWER_WITHIN_MS = 5000; // a proxy that hangs is as unreachable as one that refuses
  const css = getComputedStyle(document.documentElement);
  const color = name => css.getPropertyValue(name).trim();
  const C = {
    muted: color('--muted'), line: color('--line'), blue: color('--blue'), green: color('--green'),
    amber: color('--amber'), red: color('--red'), violet: color('--violet'),
  };

  // Columns as uPlot takes them: times, then one array per series.
  const columns = { time: [], requests: [], p50: [], p99: [], s4xx: [], s5xx: [], cNew: [], cActive: [], cIdle: [] };
  let lastTime = 0;
  let previousLoad = null; // {at, requests by backend} from the last poll, for req/s per backend

  const $ = id => document.getElementById(id);

  function fill(stroke) {
    return stroke + '1f'; // the series colour at 12% opacity
  }

  // unit: a value as the legend shows it; tick: as the y axis shows it (the caption names the unit).
  function chart(el, series, unit, tick = unit) {
    const axis = {
      stroke: C.muted,
      grid: { stroke: C.line, width: 1 },
      ticks: { stroke: C.line, width: 1 },
      font: '12px system-ui, sans-serif',
    };
    const plot = new uPlot({
      width: Math.max(el.clientWidth, 200),
      height: 220,
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(max * 1.1, 1)] } },
      series: [{ value: (u, t) => t == null ? '–' : new Date(t * 1000).toLocaleTimeString() }, ...series.map(s => ({
        label: s.label, stroke: s.stroke, width: 2, fill: s.fill ? fill(s.stroke) : undefined,
        points: { show: false }, spanGaps: false,
        value: (u, v) => v == null ? '–' : unit(v),
      }))],
      axes: [axis, { ...axis, size: 60, values: (u, ticks) => ticks.map(tick) }],
      legend: { live: true },
      cursor: { points: { size: 6 } },
    }, [columns.time, ...series.map(s => columns[s.column])], el);
    new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 200), height: 220 })).observe(el);
    return { plot, series };
  }

  const count = v => v >= 1000 ? Math.round(v).toLocaleString('en-US') : String(Math.round(v * 10) / 10);
  const millis = v => v == null ? '–' : v >= 1000 ? (v / 1000).toFixed(2) + ' s'
      : v >= 10 ? Math.round(v) + ' ms' : v >= 1 ? v.toFixed(1) + ' ms' : v.toFixed(2) + ' ms';

  let charts = [];

  function start() {
    charts = [
      chart($('chart-rps'), [{ label: 'requests/s', column: 'requests', stroke: C.blue, fill: true }], count),
      chart($('chart-latency'), [
        { label: 'p50', column: 'p50', stroke: C.green },
        { label: 'p99', column: 'p99', stroke: C.amber },
      ], millis, v => String(Math.round(v * 100) / 100)),
      chart($('chart-errors'), [
        { label: '4xx/s', column: 's4xx', stroke: C.amber },
        { label: '5xx/s', column: 's5xx', stroke: C.red, fill: true },
      ], count),
      chart($('chart-conns'), [
        { label: 'active', column: 'cActive', stroke: C.blue, fill: true },
        { label: 'idle', column: 'cIdle', stroke: C.muted },
        { label: 'new', column: 'cNew', stroke: C.violet },
      ], count),
    ];
    poll();
  }

  async function poll() {
    try {
      const response = await fetch('/api/stats' + (lastTime ? '?since=' + lastTime : ''),
          { cache: 'no-store', signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
      if (!response.ok) {
        throw new Error('the admin listener answered ' + response.status + ' ' + response.statusText);
      }
      show(await response.json());
      reachable(true);
    } catch (e) {
      reachable(false, e);
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  function reachable(ok, error) {
    const status = $('status');
    status.className = 'status ' + (ok ? 'live' : 'down');
    status.textContent = ok ? 'live' : 'unreachable';
    $('unreachable').hidden = ok;
    if (!ok) {
      const why = error && error.name === 'TimeoutError' ? 'no answer within ' + ANSWER_WITHIN_MS / 1000 + ' s'
          : error && error.message || String(error);
      $('unreachable-detail').textContent = '(' + location.origin + ': ' + why + ')';
    }
  }

  function show(stats) {
    for (const s of stats.seconds) {
      if (s.time <= lastTime) continue;
      columns.time.push(s.time);
      columns.requests.push(s.requests);
      columns.p50.push(s.p50_ms);
      columns.p99.push(s.p99_ms);
      columns.s4xx.push(s.status_4xx);
      columns.s5xx.push(s.status_5xx);
      columns.cNew.push(s.connections.new);
      columns.cActive.push(s.connections.active);
      columns.cIdle.push(s.connections.idle);
      lastTime = s.time;
    }
    const excess = columns.time.length - KEEP_SECONDS;
    if (excess > 0) {
      Object.values(columns).forEach(c => c.splice(0, excess));
    }
    for (const { plot, series } of charts) {
      plot.setData([columns.time, ...series.map(s => columns[s.column])]);
      if (!(plot.cursor.left >= 0)) { // no pointer over it: the legend shows the newest second
        plot.setLegend({ idx: columns.time.length - 1 });
      }
    }
    tiles(stats);
    backends(stats.pools);
    $('table-version').textContent = stats.route_table_version;
    document.body.dataset.seconds = columns.time.length;
  }

  function tiles(stats) {
    const n = columns.time.length;
    if (n === 0) return;
    const last = i => columns[i][n - 1];
    $('rps').textContent = count(last('requests'));
    setMillis($('p50'), last('p50'));
    setMillis($('p99'), last('p99'));
    setCount($('err4xx'), last('s4xx'));
    setCount($('err5xx'), last('s5xx'));
    const c = stats.connections;
    $('conns').textContent = count(c.new + c.active + c.idle);
    $('conns-detail').textContent = c.active + ' active · ' + c.idle + ' idle · ' + c.new + ' new';
    $('updated').textContent = new Date(lastTime * 1000).toLocaleTimeString();
  }

  function setMillis(el, v) {
    const [number, unit] = millis(v).split(' ');
    el.textContent = number;
    if (unit) {
      const u = document.createElement('span');
      u.className = 'unit';
      u.textContent = unit;
      el.appendChild(u);
    }
  }

  function setCount(el, v) {
    el.textContent = count(v);
    el.classList.toggle('nonzero', v > 0);
  }

  function backends(pools) {
    const now = performance.now();
    const load = new Map();
    const rows = [];
    for (const pool of pools) {
      pool.backends.forEach((b, i) => {
        const key = pool.name + '\n' + b.address;
        load.set(key, b.requests);
        let rate = null;
        if (previousLoad && previousLoad.requests.has(key)) {
          const seconds = (now - previousLoad.at) / 1000;
          rate = seconds > 0 ? Math.max(0, b.requests - previousLoad.requests.get(key)) / seconds : null;
        }
        rows.push({ pool, first: i === 0, b, rate });
      });
    }
    previousLoad = { at: now, requests: load };
    const maxRate = Math.max(1, ...rows.map(r => r.rate || 0));
    const body = $('backends');
    body.replaceChildren();
    if (rows.length === 0) {
      body.appendChild(row([cell('no pools: no route leads anywhere yet', 'empty', 7)]));
      return;
    }
    for (const { pool, first, b, rate } of rows) {
      const poolCell = cell(first ? pool.name : '', 'pool');
      if (first) {
        const small = document.createElement('small');
        small.textContent = pool.balance.replace('_', ' ');
        poolCell.appendChild(small);
      }
      const health = document.createElement('span');
      health.className = 'health ' + b.state;
      health.textContent = b.state;
      const healthCell = cell('');
      healthCell.appendChild(health);
      const rateCell = cell('', 'num');
      const bar = document.createElement('span');
      bar.className = 'load';
      const fillBar = document.createElement('span');
      fillBar.style.width = Math.round(100 * (rate || 0) / maxRate) + '%';
      bar.appendChild(fillBar);
      rateCell.append(bar, rate == null ? '–' : count(rate));
      body.appendChild(row([poolCell, cell(b.address), healthCell, cell(b.in_flight, 'num'),
        cell(b.connections, 'num'), rateCell, cell(b.requests.toLocaleString('en-US'), 'num')]));
    }
  }

  function cell(text, className, span) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    if (span) td.colSpan = span;
    return td;
  }

  function row(cells) {
    const tr = document.createElement('tr');
    tr.append(...cells);
    return tr;
  }

  start();
})();
