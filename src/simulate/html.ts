// --html: one self-contained report (inline data, CSS, SVG drawn by inline JS; no network fetches):
// load, instances (with bounds and event markers), queue and drops in separate panels that share a
// time axis, each with ticks, gridlines and labels; hover read-outs, series toggles, summary.
import { primaryField } from './chart.js';
import { renderSummary } from './summary.js';
import type { SimulationResult } from './types.js';
import { makeStyle } from '../output/style.js';

const MAX_POINTS = 1500;

function downsample(values: ArrayLike<number>, points: number, mode: 'max' | 'sum'): number[] {
  const n = values.length;
  const out: number[] = [];
  for (let c = 0; c < points; c++) {
    const from = Math.floor((c * n) / points);
    const to = Math.max(from + 1, Math.floor(((c + 1) * n) / points));
    let acc = mode === 'max' ? 0 : 0;
    for (let i = from; i < to && i < n; i++) acc = mode === 'max' ? Math.max(acc, values[i]) : acc + values[i];
    out.push(Math.round(acc * 100) / 100);
  }
  return out;
}

function runData(result: SimulationResult, label: string) {
  const points = Math.min(MAX_POINTS, result.steps);
  const field = primaryField(result);
  return {
    label,
    service: result.service,
    loadField: field ?? null,
    load: field ? downsample(result.load[field as keyof typeof result.load]!, points, 'max') : [],
    instances: downsample(result.series.instances, points, 'max'),
    ready: downsample(result.series.ready, points, 'max'),
    boundsMin: downsample(result.series.boundsMin, points, 'max'),
    boundsMax: downsample(result.series.boundsMax, points, 'max'),
    queued: downsample(result.series.queued, points, 'max'),
    dropped: downsample(result.series.dropped, points, 'sum'),
    events: result.events.slice(0, 2000).map((e) => ({ at: e.at, kind: e.kind, from: e.from ?? null, to: e.to ?? null, detail: e.detail })),
    summary: result.summary,
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

// The report for one run, or two (--compare) sharing one load. `timeZone` (the schedules' zone)
// puts wall-clock times on the time axis; without it the axis counts from the start.
export function renderHtml(results: SimulationResult[], options: { title: string; load: string; labels?: string[]; timeZone?: string }): string {
  const labels = options.labels ?? results.map((r) => r.service);
  const first = results[0];
  const data = {
    title: options.title,
    load: options.load,
    start: first.start,
    startMs: Date.parse(first.start),
    durationMs: first.steps * first.stepMs,
    timeZone: options.timeZone ?? null,
    runs: results.map((r, i) => runData(r, labels[i])),
  };
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const table = renderSummary(results, makeStyle(false), labels).join('\n');
  const zone = options.timeZone ? ` · times in ${escapeHtml(options.timeZone)}` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(options.title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d232a;background:#fff;max-width:1100px}
h1{font-size:20px;margin:0 0 4px}.sub{color:#5b6670;margin-bottom:12px}h3{font-size:14px;margin:14px 0 2px}
.chart{position:relative;margin:0 0 6px}svg{display:block;width:100%;height:auto;background:#fff;border:1px solid #e3e6ea}
.grid{stroke:#eceff2}.axis{stroke:#99a3ad}.tick{font-size:11px;fill:#5b6670}.none{font-size:13px;fill:#5b6670}
.legend label{margin-right:14px;cursor:pointer;user-select:none}.sw{display:inline-block;width:12px;height:3px;margin-right:4px;vertical-align:middle}
#tip{position:fixed;pointer-events:none;background:#1d232a;color:#fff;padding:6px 8px;border-radius:4px;font-size:12px;white-space:pre;display:none;z-index:2}
table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #eceff2;text-align:right}td:first-child,th:first-child{text-align:left}
.events{max-height:260px;overflow:auto;font:12px ui-monospace,monospace}.ev-drops{color:#c0392b}.ev-flapping-avoided{color:#b7791f}
pre{background:#f4f6f8;padding:8px}
</style></head>
<body>
<h1>${escapeHtml(options.title)}</h1>
<div class="sub">load: <code>${escapeHtml(options.load)}</code> · start ${escapeHtml(first.start)}${zone}</div>
<div class="legend" id="legend"></div>
<div id="tip"></div>
<h3 id="load-title">Load</h3><div class="chart" id="load"></div>
<h3>Instances <small>(solid: instances, dashed: ready, shaded: min–max bounds; markers: scaling events)</small></h3><div class="chart" id="main"></div>
<h3>Queued requests</h3><div class="chart" id="queue"></div>
<h3>Dropped requests <small>(per interval)</small></h3><div class="chart" id="drops"></div>
<h2>Summary</h2>
<table id="summary"></table>
<noscript><pre>${escapeHtml(table)}</pre></noscript>
<h2>Events</h2>
<div class="events" id="events"></div>
<script id="data" type="application/json">${json}</script>
<script>
${CLIENT}
</script>
</body></html>
`;
}

// The inline client: draws SVG from the embedded data; no external resources.
const CLIENT = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('data').textContent);
  var NS = 'http://www.w3.org/2000/svg';
  var W = 1000, PAD = { l: 64, r: 40, t: 10, b: 26 };
  var COLORS = ['#2b7a3d', '#7b3fb8', '#d35400'];
  var hidden = {};
  var number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
  function fmt(v) { return number.format(v); }
  function el(name, attrs, parent) { var e = document.createElementNS(NS, name); for (var k in attrs) e.setAttribute(k, attrs[k]); if (parent) parent.appendChild(e); return e; }
  function clock(ms) { var m = Math.round(ms / 60000); return m < 60 ? m + 'm' : Math.floor(m / 60) + 'h' + (m % 60 ? String(m % 60).padStart(2, '0') : ''); }
  var wall = data.timeZone ? new Intl.DateTimeFormat('en-GB', { timeZone: data.timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false }) : null;
  // A time label: wall-clock in the schedules' zone, else the offset from the start.
  function when(offsetMs) { return wall ? wall.format(new Date(data.startMs + offsetMs)).replace(',', '') : clock(offsetMs); }
  function xOf(offsetMs) { return PAD.l + (offsetMs / data.durationMs) * (W - PAD.l - PAD.r); }
  // Ticks at a round step: 1 2 5 × 10^k (whole numbers only for counts).
  function yTicks(max, whole) {
    var raw = max / 4, mag = Math.pow(10, Math.floor(Math.log10(raw))), step = mag;
    [1, 2, 5, 10].some(function (m) { step = m * mag; return step >= raw; });
    if (whole) step = Math.max(1, Math.ceil(step));
    var ticks = [];
    for (var v = 0; v <= max + step * 0.001; v += step) ticks.push(v);
    if (ticks[ticks.length - 1] < max) ticks.push(ticks[ticks.length - 1] + step);
    return ticks;
  }
  var STEPS = [60e3, 120e3, 300e3, 600e3, 900e3, 1800e3, 3600e3, 7200e3, 10800e3, 21600e3, 43200e3, 86400e3, 172800e3, 604800e3];
  function xTicks() {
    var step = STEPS.find(function (s) { return data.durationMs / s <= 8; }) || STEPS[STEPS.length - 1];
    var ticks = [], first = wall ? Math.ceil(data.startMs / step) * step - data.startMs : 0;
    for (var t = first; t <= data.durationMs + 1; t += step) ticks.push(t);
    return ticks;
  }
  function maxOf(lists) { var m = 0; lists.forEach(function (v) { v.forEach(function (x) { if (x > m) m = x; }); }); return m; }
  // One panel: gridlines, a y axis with ticks and labels, the time axis; returns y(value).
  function panel(id, h, max, unit, whole) {
    var box = document.getElementById(id);
    var old = box.querySelector('svg'); if (old) box.removeChild(old);
    var svg = el('svg', { viewBox: '0 0 ' + W + ' ' + h, id: id + '-svg', role: 'img', 'aria-label': unit }, box);
    var top = PAD.t, bottom = h - PAD.b;
    xTicks().forEach(function (t) {
      var x = xOf(t);
      el('line', { x1: x, y1: top, x2: x, y2: bottom, class: 'grid' }, svg);
      el('text', { x: x, y: h - 8, 'text-anchor': 'middle', class: 'tick x-tick' }, svg).textContent = when(t);
    });
    var ticks = max > 0 ? yTicks(max, whole) : [0];
    var yMax = ticks[ticks.length - 1] || 1;
    var y = function (v) { return bottom - (v / yMax) * (bottom - top); };
    ticks.forEach(function (v) {
      el('line', { x1: PAD.l, y1: y(v), x2: W - PAD.r, y2: y(v), class: 'grid' }, svg);
      el('text', { x: PAD.l - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick y-tick' }, svg).textContent = fmt(v);
    });
    el('line', { x1: PAD.l, y1: bottom, x2: W - PAD.r, y2: bottom, class: 'axis' }, svg);
    el('line', { x1: PAD.l, y1: top, x2: PAD.l, y2: bottom, class: 'axis' }, svg);
    el('text', { x: 12, y: (top + bottom) / 2, transform: 'rotate(-90 12 ' + (top + bottom) / 2 + ')', 'text-anchor': 'middle', class: 'tick' }, svg).textContent = unit;
    hover(svg);
    return { svg: svg, y: y, top: top, bottom: bottom };
  }
  function path(values, y, step) {
    var n = values.length, d = '';
    for (var i = 0; i < n; i++) {
      var x = xOf((i / Math.max(1, n - 1)) * data.durationMs), py = y(values[i]);
      if (step && i > 0) d += 'H' + x.toFixed(1) + 'V' + py.toFixed(1); else d += (i ? 'L' : 'M') + x.toFixed(1) + ',' + py.toFixed(1);
    }
    return d;
  }
  function nothing(p, text) { el('text', { x: (PAD.l + W - PAD.r) / 2, y: (p.top + p.bottom) / 2 + 4, 'text-anchor': 'middle', class: 'none' }, p.svg).textContent = text; }
  var run0 = data.runs[0];
  var series = [];
  if (run0.loadField) series.push({ id: 'load', name: 'load (' + run0.loadField + ')', color: '#3b82c4', values: run0.load });
  data.runs.forEach(function (r, i) {
    var suffix = data.runs.length > 1 ? ' — ' + r.label : '';
    series.push({ id: 'instances-' + i, name: 'instances' + suffix, color: COLORS[i % COLORS.length], values: r.instances });
    series.push({ id: 'ready-' + i, name: 'ready' + suffix, color: COLORS[i % COLORS.length], values: r.ready, dash: '4 3' });
  });
  series.push({ id: 'max', name: 'min–max bounds', color: '#99a3ad', values: run0.boundsMax });
  function drawLoad() {
    if (!run0.loadField) { document.getElementById('load-title').style.display = 'none'; return; }
    document.getElementById('load-title').textContent = 'Load (' + run0.loadField + ')';
    var p = panel('load', 200, hidden.load ? 0 : maxOf([run0.load]), run0.loadField, false);
    if (hidden.load) return;
    var d = path(run0.load, p.y, false);
    el('path', { d: d + 'V' + p.bottom + 'H' + PAD.l + 'Z', fill: '#3b82c4', 'fill-opacity': 0.15, stroke: 'none' }, p.svg);
    el('path', { d: d, fill: 'none', stroke: '#3b82c4', 'stroke-width': 1.5, class: 'series series-load' }, p.svg);
  }
  function drawMain() {
    var shown = series.filter(function (s) { return s.id !== 'load' && !hidden[s.id]; });
    var p = panel('main', 260, Math.max(1, maxOf(shown.map(function (s) { return s.values; }))), 'instances', true);
    if (!hidden.max) {
      // The band between the bounds: forward along max, then back along min (both as steps).
      var mins = run0.boundsMin, n = mins.length;
      var xAt = function (i) { return xOf((i / Math.max(1, n - 1)) * data.durationMs).toFixed(1); };
      var d = path(run0.boundsMax, p.y, true) + 'L' + xAt(n - 1) + ',' + p.y(mins[n - 1]).toFixed(1);
      for (var i = n - 1; i > 0; i--) d += 'V' + p.y(mins[i - 1]).toFixed(1) + 'H' + xAt(i - 1);
      el('path', { d: d + 'Z', fill: '#99a3ad', 'fill-opacity': 0.18, stroke: 'none', class: 'bounds' }, p.svg);
    }
    series.forEach(function (s) {
      if (s.id === 'load' || s.id === 'max' || hidden[s.id]) return;
      el('path', { d: path(s.values, p.y, true), fill: 'none', stroke: s.color, 'stroke-width': 2, 'stroke-dasharray': s.dash || '', class: 'series series-' + s.id, 'data-name': s.name }, p.svg);
    });
    data.runs.forEach(function (r, i) {
      r.events.forEach(function (e) {
        if (e.kind === 'schedule') return;
        var x = xOf(e.at);
        var color = e.kind === 'drops' ? '#c0392b' : e.kind === 'flapping-avoided' ? '#b7791f' : e.kind === 'scale-in' || e.kind === 'idle-removed' ? '#2980b9' : COLORS[i % COLORS.length];
        var y = e.kind === 'drops' ? p.bottom - 4 : p.top + 4 + i * 8;
        var mark = el('circle', { cx: x, cy: y, r: 3.5, fill: color, class: 'event event-' + e.kind }, p.svg);
        el('title', {}, mark).textContent = when(e.at) + ' ' + e.kind + (e.from !== null ? ' ' + e.from + '→' + e.to : '') + ': ' + e.detail;
      });
    });
  }
  function drawQueue() {
    var qMax = maxOf(data.runs.map(function (r) { return r.queued; }));
    var p = panel('queue', 160, qMax, 'requests', true);
    if (qMax === 0) return nothing(p, 'nothing queued');
    data.runs.forEach(function (r, i) { el('path', { d: path(r.queued, p.y, true), fill: 'none', stroke: i ? '#8e5b00' : '#b7791f', 'stroke-width': 1.5, class: 'series series-queued-' + i }, p.svg); });
  }
  function drawDrops() {
    var dMax = maxOf(data.runs.map(function (r) { return r.dropped; }));
    var p = panel('drops', 140, dMax, 'requests', true);
    if (dMax === 0) return nothing(p, 'nothing dropped');
    data.runs.forEach(function (r, i) { el('path', { d: path(r.dropped, p.y, true), fill: 'none', stroke: i ? '#7b1d12' : '#c0392b', 'stroke-width': 1.5, class: 'series series-dropped-' + i }, p.svg); });
  }
  var tip = document.getElementById('tip');
  // A read-out of every series at the pointer's time, in any panel.
  function hover(svg) {
    svg.addEventListener('mousemove', function (ev) {
      var rect = svg.getBoundingClientRect();
      var x = ((ev.clientX - rect.left) / rect.width) * W;
      var f = Math.min(1, Math.max(0, (x - PAD.l) / (W - PAD.l - PAD.r)));
      var idx = Math.round(f * (run0.instances.length - 1));
      var lines = [when(f * data.durationMs)];
      series.forEach(function (s) { if (!hidden[s.id] && s.id !== 'max') lines.push(s.name + ': ' + fmt(s.values[idx])); });
      lines.push('bounds: ' + run0.boundsMin[idx] + '–' + run0.boundsMax[idx]);
      data.runs.forEach(function (r) { var sfx = data.runs.length > 1 ? ' — ' + r.label : ''; lines.push('queued' + sfx + ': ' + fmt(r.queued[idx]) + ', dropped' + sfx + ': ' + fmt(r.dropped[idx])); });
      tip.textContent = lines.join('\n');
      tip.style.display = 'block';
      tip.style.left = (ev.clientX + 14) + 'px';
      tip.style.top = (ev.clientY + 14) + 'px';
    });
    svg.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
  }
  function legend() {
    var box = document.getElementById('legend');
    series.forEach(function (s) {
      var label = document.createElement('label');
      var input = document.createElement('input');
      input.type = 'checkbox'; input.checked = true; input.dataset.series = s.id;
      input.addEventListener('change', function () { hidden[s.id] = !input.checked; drawLoad(); drawMain(); });
      var sw = document.createElement('span'); sw.className = 'sw'; sw.style.background = s.color;
      label.appendChild(input); label.appendChild(sw); label.appendChild(document.createTextNode(s.name));
      box.appendChild(label);
    });
  }
  function summary() {
    var rows = [['peak instances', 'peakInstances'], ['mean instances', 'meanInstances'], ['cold starts', 'coldStarts'], ['scale-outs', 'scaleOuts'], ['scale-ins', 'scaleIns'], ['flapping avoided', 'flappingAvoided'], ['requests', 'requests'], ['queued (waited)', 'queuedRequests'], ['dropped', 'dropped'], ['peak queue', 'peakQueued'], ['added latency p50 (ms)', 'waitP50'], ['added latency p95 (ms)', 'waitP95'], ['added latency p99 (ms)', 'waitP99'], ['instance-hours', 'instanceHours']];
    var table = document.getElementById('summary');
    var head = document.createElement('tr');
    head.innerHTML = '<th></th>';
    data.runs.forEach(function (r) { var th = document.createElement('th'); th.textContent = r.label; head.appendChild(th); });
    table.appendChild(head);
    rows.forEach(function (row) {
      var tr = document.createElement('tr');
      var td = document.createElement('td'); td.textContent = row[0]; tr.appendChild(td);
      data.runs.forEach(function (r) { var c = document.createElement('td'); c.textContent = fmt(r.summary[row[1]]); c.dataset.key = row[1]; tr.appendChild(c); });
      table.appendChild(tr);
    });
  }
  function events() {
    var box = document.getElementById('events');
    data.runs.forEach(function (r) {
      r.events.forEach(function (e) {
        var div = document.createElement('div');
        div.className = 'ev ev-' + e.kind;
        div.textContent = (data.runs.length > 1 ? r.label + '  ' : '') + when(e.at).padStart(wall ? 9 : 6) + '  ' + e.kind + (e.from !== null ? ' ' + e.from + '→' + e.to : '') + '  ' + e.detail;
        box.appendChild(div);
      });
    });
  }
  legend(); drawLoad(); drawMain(); drawQueue(); drawDrops(); summary(); events();
  document.body.setAttribute('data-rendered', 'yes');
})();
`;
