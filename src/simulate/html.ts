// --html: one self-contained report (inline data, CSS, SVG drawn by inline JS; no network fetches):
// load vs instances with event markers, queue and drops, hover read-outs, series toggles, summary.
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

// The report for one run, or two (--compare) sharing one load.
export function renderHtml(results: SimulationResult[], options: { title: string; load: string; labels?: string[] }): string {
  const labels = options.labels ?? results.map((r) => r.service);
  const first = results[0];
  const data = {
    title: options.title,
    load: options.load,
    start: first.start,
    durationMs: first.steps * first.stepMs,
    runs: results.map((r, i) => runData(r, labels[i])),
  };
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const table = renderSummary(results, makeStyle(false), labels).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(options.title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d232a;background:#fff}
h1{font-size:20px;margin:0 0 4px}.sub{color:#5b6670;margin-bottom:16px}
.chart{position:relative;margin:8px 0 20px}svg{display:block;width:100%;height:auto;background:#fafbfc;border:1px solid #e3e6ea}
.legend label{margin-right:14px;cursor:pointer;user-select:none}.sw{display:inline-block;width:12px;height:3px;margin-right:4px;vertical-align:middle}
#tip{position:absolute;pointer-events:none;background:#1d232a;color:#fff;padding:6px 8px;border-radius:4px;font-size:12px;white-space:pre;display:none}
table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #eceff2;text-align:right}td:first-child,th:first-child{text-align:left}
.events{max-height:260px;overflow:auto;font:12px ui-monospace,monospace}.ev-drops{color:#c0392b}.ev-flapping-avoided{color:#b7791f}
pre{background:#f4f6f8;padding:8px}
</style></head>
<body>
<h1>${escapeHtml(options.title)}</h1>
<div class="sub">load: <code>${escapeHtml(options.load)}</code> · start ${escapeHtml(first.start)}</div>
<div class="legend" id="legend"></div>
<div class="chart" id="main"><div id="tip"></div></div>
<div class="chart" id="queue"></div>
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
  var W = 1000, H = 300, PAD = { l: 50, r: 50, t: 10, b: 24 };
  var COLORS = ['#2b7a3d', '#7b3fb8', '#d35400'];
  var hidden = {};
  function el(name, attrs, parent) { var e = document.createElementNS(NS, name); for (var k in attrs) e.setAttribute(k, attrs[k]); if (parent) parent.appendChild(e); return e; }
  function clock(ms) { var m = Math.round(ms / 60000); return m < 60 ? m + 'm' : Math.floor(m / 60) + 'h' + (m % 60 ? String(m % 60).padStart(2, '0') : ''); }
  function path(values, maxY, h, step) {
    var n = values.length, d = '';
    for (var i = 0; i < n; i++) {
      var x = PAD.l + (i / Math.max(1, n - 1)) * (W - PAD.l - PAD.r);
      var y = PAD.t + (1 - values[i] / maxY) * (h - PAD.t - PAD.b);
      if (step && i > 0) d += 'H' + x.toFixed(1) + 'V' + y.toFixed(1); else d += (i ? 'L' : 'M') + x.toFixed(1) + ',' + y.toFixed(1);
    }
    return d;
  }
  function max(list) { var m = 0; list.forEach(function (v) { v.forEach(function (x) { if (x > m) m = x; }); }); return m || 1; }
  function axes(svg, h, leftMax, rightMax, leftLabel, rightLabel) {
    el('line', { x1: PAD.l, y1: h - PAD.b, x2: W - PAD.r, y2: h - PAD.b, stroke: '#99a3ad' }, svg);
    for (var k = 0; k <= 4; k++) {
      var x = PAD.l + (k / 4) * (W - PAD.l - PAD.r);
      el('text', { x: x, y: h - 6, 'font-size': 11, 'text-anchor': 'middle', fill: '#5b6670' }, svg).textContent = clock((data.durationMs * k) / 4);
    }
    el('text', { x: 4, y: PAD.t + 10, 'font-size': 11, fill: '#5b6670' }, svg).textContent = leftLabel + ' ' + Math.round(leftMax);
    if (rightLabel) el('text', { x: W - 4, y: PAD.t + 10, 'font-size': 11, 'text-anchor': 'end', fill: '#5b6670' }, svg).textContent = rightLabel + ' ' + Math.round(rightMax);
  }
  var series = [];
  var run0 = data.runs[0];
  if (run0.loadField) series.push({ id: 'load', name: 'load (' + run0.loadField + ')', color: '#3b82c4', values: run0.load, axis: 'left', area: true });
  data.runs.forEach(function (r, i) {
    var suffix = data.runs.length > 1 ? ' — ' + r.label : '';
    series.push({ id: 'instances-' + i, name: 'instances' + suffix, color: COLORS[i % COLORS.length], values: r.instances, axis: 'right', step: true });
    series.push({ id: 'ready-' + i, name: 'ready' + suffix, color: COLORS[i % COLORS.length], values: r.ready, axis: 'right', step: true, dash: '4 3' });
  });
  series.push({ id: 'max', name: 'max bound', color: '#99a3ad', values: run0.boundsMax, axis: 'right', step: true, dash: '2 4' });
  function drawMain() {
    var box = document.getElementById('main');
    var old = box.querySelector('svg'); if (old) box.removeChild(old);
    var svg = el('svg', { viewBox: '0 0 ' + W + ' ' + H, id: 'main-svg', role: 'img' });
    box.insertBefore(svg, box.firstChild);
    var leftMax = max(series.filter(function (s) { return s.axis === 'left'; }).map(function (s) { return s.values; }));
    var rightMax = max(series.filter(function (s) { return s.axis === 'right'; }).map(function (s) { return s.values; }));
    axes(svg, H, leftMax, rightMax, run0.loadField || '', 'instances');
    series.forEach(function (s) {
      if (hidden[s.id]) return;
      var m = s.axis === 'left' ? leftMax : rightMax;
      var d = path(s.values, m, H, s.step);
      if (s.area) el('path', { d: d + 'V' + (H - PAD.b) + 'H' + PAD.l + 'Z', fill: s.color, 'fill-opacity': 0.15, stroke: 'none' }, svg);
      el('path', { d: d, fill: 'none', stroke: s.color, 'stroke-width': 2, 'stroke-dasharray': s.dash || '', class: 'series series-' + s.id, 'data-name': s.name }, svg);
    });
    data.runs.forEach(function (r, i) {
      r.events.forEach(function (e) {
        if (e.kind === 'schedule') return;
        var x = PAD.l + (e.at / data.durationMs) * (W - PAD.l - PAD.r);
        var color = e.kind === 'drops' ? '#c0392b' : e.kind === 'flapping-avoided' ? '#b7791f' : e.kind === 'scale-in' || e.kind === 'idle-removed' ? '#2980b9' : COLORS[i % COLORS.length];
        var y = e.kind === 'drops' ? H - PAD.b - 4 : PAD.t + 4 + i * 8;
        var mark = el('circle', { cx: x, cy: y, r: 3.5, fill: color, class: 'event event-' + e.kind }, svg);
        el('title', {}, mark).textContent = clock(e.at) + ' ' + e.kind + (e.from !== null ? ' ' + e.from + '→' + e.to : '') + ': ' + e.detail;
      });
    });
    var cursor = el('line', { y1: PAD.t, y2: H - PAD.b, stroke: '#1d232a', 'stroke-opacity': 0.3, visibility: 'hidden' }, svg);
    var tip = document.getElementById('tip');
    svg.addEventListener('mousemove', function (ev) {
      var rect = svg.getBoundingClientRect();
      var x = ((ev.clientX - rect.left) / rect.width) * W;
      var f = Math.min(1, Math.max(0, (x - PAD.l) / (W - PAD.l - PAD.r)));
      var idx = Math.round(f * (run0.instances.length - 1));
      cursor.setAttribute('x1', x); cursor.setAttribute('x2', x); cursor.setAttribute('visibility', 'visible');
      var lines = [clock(f * data.durationMs)];
      series.forEach(function (s) { if (!hidden[s.id]) lines.push(s.name + ': ' + s.values[idx]); });
      data.runs.forEach(function (r) { lines.push('queued' + (data.runs.length > 1 ? ' — ' + r.label : '') + ': ' + r.queued[idx]); });
      tip.textContent = lines.join('\n');
      tip.style.display = 'block';
      tip.style.left = (ev.clientX - rect.left + 12) + 'px';
      tip.style.top = (ev.clientY - rect.top + 12) + 'px';
    });
    svg.addEventListener('mouseleave', function () { tip.style.display = 'none'; cursor.setAttribute('visibility', 'hidden'); });
  }
  function drawQueue() {
    var h = 160, box = document.getElementById('queue');
    var svg = el('svg', { viewBox: '0 0 ' + W + ' ' + h, id: 'queue-svg' }, box);
    var qMax = max(data.runs.map(function (r) { return r.queued; }));
    var dMax = max(data.runs.map(function (r) { return r.dropped; }));
    axes(svg, h, qMax, dMax, 'queued', 'dropped');
    data.runs.forEach(function (r, i) {
      el('path', { d: path(r.queued, qMax, h, true), fill: 'none', stroke: '#b7791f', 'stroke-width': 1.5, class: 'series series-queued-' + i }, svg);
      el('path', { d: path(r.dropped, dMax, h, true), fill: 'none', stroke: '#c0392b', 'stroke-width': 1.5, class: 'series series-dropped-' + i }, svg);
    });
  }
  function legend() {
    var box = document.getElementById('legend');
    series.forEach(function (s) {
      var label = document.createElement('label');
      var input = document.createElement('input');
      input.type = 'checkbox'; input.checked = true; input.dataset.series = s.id;
      input.addEventListener('change', function () { hidden[s.id] = !input.checked; drawMain(); });
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
      data.runs.forEach(function (r) { var c = document.createElement('td'); var v = r.summary[row[1]]; c.textContent = Math.round(v * 100) / 100; c.dataset.key = row[1]; tr.appendChild(c); });
      table.appendChild(tr);
    });
  }
  function events() {
    var box = document.getElementById('events');
    data.runs.forEach(function (r) {
      r.events.forEach(function (e) {
        var div = document.createElement('div');
        div.className = 'ev ev-' + e.kind;
        div.textContent = (data.runs.length > 1 ? r.label + '  ' : '') + clock(e.at).padStart(6) + '  ' + e.kind + (e.from !== null ? ' ' + e.from + '→' + e.to : '') + '  ' + e.detail;
        box.appendChild(div);
      });
    });
  }
  legend(); drawMain(); drawQueue(); summary(); events();
  document.body.setAttribute('data-rendered', 'yes');
})();
`;
