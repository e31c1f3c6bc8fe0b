/**
 * The report's script, inlined: charts are drawn (inline SVG) only when a run is opened, so a report of
 * 1,000 runs opens as fast as one of ten; tables sort on a header click. Every name is set with
 * `textContent` or `setAttribute`, never parsed as HTML.
 */
export const REPORT_SCRIPT = String.raw`
(function () {
  'use strict';
  var DATA = JSON.parse(document.getElementById('report-data').textContent);
  var NS = 'http://www.w3.org/2000/svg';
  var W = 800, H = 240, M = { l: 58, r: 16, t: 12, b: 32 };

  function svg(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, String(attrs[k]));
    if (parent) parent.appendChild(e);
    return e;
  }
  function tag(name, cls, text, parent) {
    var e = document.createElement(name);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function fmt(v) {
    if (v === null || v === undefined) return 'NaN/±Infinity';
    var a = Math.abs(v);
    if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(2);
    return String(Number(v.toPrecision(4)));
  }
  function iso(ms) { return new Date(ms).toISOString().replace('.000Z', 'Z'); }
  function niceTicks(lo, hi, n) {
    var span = hi - lo;
    var step = Math.pow(10, Math.floor(Math.log10(span / n)));
    var err = span / n / step;
    if (err >= 7.5) step *= 10; else if (err >= 3.5) step *= 5; else if (err >= 1.5) step *= 2;
    var out = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9 && out.length < 20; v += step) out.push(Number(v.toPrecision(12)));
    return out;
  }
  function linePath(xs, ys, sx, sy) {
    var d = '', pen = false;
    for (var i = 0; i < xs.length; i++) {
      var y = ys[i];
      if (y === null || y === undefined) { pen = false; continue; }
      d += (pen ? 'L' : 'M') + sx(xs[i]).toFixed(1) + ' ' + sy(y).toFixed(1);
      pen = true;
    }
    return d;
  }

  function chart(s, ri, si) {
    var fig = tag('figure', 'chart');
    var cap = tag('figcaption', null, s.metric, fig);
    var notes = [s.count + ' values'];
    if (s.stride > 1) notes.push('every ' + s.stride + 'th drawn');
    if (s.hiddenSuppressed > 0) notes.push(s.hiddenSuppressed + ' more suppressed matches not marked');
    tag('span', null, notes.join(' · '), cap);

    var lo = Infinity, hi = -Infinity, x0 = Infinity, x1 = -Infinity;
    function seeY(v) { if (v !== null && v !== undefined && isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; } }
    function seeX(v) { if (v < x0) x0 = v; if (v > x1) x1 = v; }
    s.x.forEach(seeX);
    s.y.forEach(seeY);
    s.overlays.forEach(function (o) { o.agg.forEach(seeY); if (o.th !== undefined) seeY(o.th); });
    s.marks.forEach(function (m) { seeX(m[0]); seeY(m[1]); });
    if (!isFinite(lo)) { lo = 0; hi = 1; }
    // Bounds widen the range by at most its own height, so a far-off bound cannot flatten the values.
    var span0 = hi - lo || Math.abs(hi) || 1, lo0 = lo - span0, hi0 = hi + span0;
    s.overlays.forEach(function (o) {
      [o.lo, o.hi].forEach(function (line) {
        if (line) line.forEach(function (v) { if (v !== null && v >= lo0 && v <= hi0) seeY(v); });
      });
    });
    if (lo === hi) { lo -= Math.abs(lo) * 0.1 || 1; hi += Math.abs(hi) * 0.1 || 1; }
    var pad = (hi - lo) * 0.06; lo -= pad; hi += pad;
    if (!isFinite(x0)) { x0 = 0; x1 = 1; }
    if (x0 === x1) { x0 -= 1; x1 += 1; }
    var sx = function (x) { return M.l + (x - x0) / (x1 - x0) * (W - M.l - M.r); };
    var sy = function (y) { return H - M.b - (y - lo) / (hi - lo) * (H - M.t - M.b); };

    var root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, 'class': 'plot', role: 'img' });
    root.setAttribute('aria-label', s.metric + ': ' + s.count + ' values, ' + s.marks.length + ' marks');
    var clipId = 'clip-' + ri + '-' + si;
    var clip = svg('clipPath', { id: clipId }, svg('defs', {}, root));
    svg('rect', { x: M.l, y: M.t, width: W - M.l - M.r, height: H - M.t - M.b }, clip);
    niceTicks(lo, hi, 5).forEach(function (v) {
      svg('line', { x1: M.l, x2: W - M.r, y1: sy(v), y2: sy(v), 'class': 'grid' }, root);
      svg('text', { x: M.l - 6, y: sy(v) + 3.5, 'text-anchor': 'end', 'class': 'axis' }, root).textContent = fmt(v);
    });
    niceTicks(x0, x1, 8).forEach(function (v) {
      svg('line', { x1: sx(v), x2: sx(v), y1: M.t, y2: H - M.b, 'class': 'grid' }, root);
      svg('text', { x: sx(v), y: H - M.b + 14, 'text-anchor': 'middle', 'class': 'axis' }, root).textContent = fmt(v);
    });
    svg('text', { x: W - M.r, y: H - 3, 'text-anchor': 'end', 'class': 'axis' }, root).textContent = 'step';

    var g = svg('g', { 'clip-path': 'url(#' + clipId + ')' }, root);
    svg('path', { d: linePath(s.x, s.y, sx, sy), 'class': 'values' }, g);
    s.overlays.forEach(function (o) {
      var color = DATA.automations[o.a].color;
      if (o.th !== undefined) svg('line', { x1: M.l, x2: W - M.r, y1: sy(o.th), y2: sy(o.th), stroke: color, 'class': 'threshold' }, g);
      if (o.lo) svg('path', { d: linePath(s.x, o.lo, sx, sy), stroke: color, 'class': 'bound' }, g);
      if (o.hi) svg('path', { d: linePath(s.x, o.hi, sx, sy), stroke: color, 'class': 'bound' }, g);
      svg('path', { d: linePath(s.x, o.agg, sx, sy), stroke: color, 'class': 'agg' }, g);
    });
    // Suppressed matches first, firings on top of them, each firing with a line down the chart.
    var ordered = s.marks.filter(function (m) { return m[2] === 1; }).concat(s.marks.filter(function (m) { return m[2] === 0; }));
    ordered.forEach(function (m) {
      var a = DATA.automations[m[3]];
      var fired = m[2] === 0;
      var x = sx(m[0]);
      if (fired) svg('line', { x1: x, x2: x, y1: M.t, y2: H - M.b, stroke: a.color, 'class': 'fire-line' }, root);
      var y = m[1] === null ? M.t + 6 : Math.max(M.t + 4, Math.min(H - M.b - 4, sy(m[1])));
      var shape = m[1] === null
        ? svg('path', { d: 'M' + (x - 5) + ' ' + (y - 4) + 'L' + (x + 5) + ' ' + (y - 4) + 'L' + x + ' ' + (y + 5) + 'Z' }, root)
        : svg('circle', { cx: x, cy: y, r: fired ? 5.5 : 2.6 }, root);
      shape.setAttribute('class', 'mark ' + (fired ? 'fired' : 'suppressed'));
      if (fired) shape.setAttribute('fill', a.color); else shape.setAttribute('stroke', a.color);
      svg('title', {}, shape).textContent = (fired ? 'fired: ' : 'suppressed by cooldown: ') + a.name +
        '\nstep ' + fmt(m[0]) + ' · ' + iso(m[4]) + '\nvalue ' + fmt(m[1]) + (m[5] === null ? '' : ' · aggregate ' + fmt(m[5]));
    });
    fig.appendChild(root);

    var legend = tag('div', 'legend', null, fig);
    var item = function (cls, color, text) {
      var span = tag('span', null, null, legend);
      var i = tag('i', cls, null, span);
      if (color) { i.style.borderColor = color; if (cls === 'disc') i.style.background = color; }
      span.appendChild(document.createTextNode(text));
    };
    item('', null, 'values');
    s.overlays.forEach(function (o) {
      var a = DATA.automations[o.a];
      var parts = [];
      if (o.agg.some(function (v) { return v !== null; })) parts.push(a.aggregate + ' (dashed)');
      if (o.th !== undefined) parts.push('threshold ' + fmt(o.th) + ' (dotted)');
      if (o.lo || o.hi) parts.push('bound to cross (dotted)');
      if (parts.length === 0) parts.push(a.aggregate);
      item('dash', a.color, a.name + ': ' + parts.join(', '));
    });
    var fired = s.marks.filter(function (m) { return m[2] === 0; }).length;
    item('disc', '#57606a', fired + ' fired');
    item('ring', '#57606a', (s.marks.length - fired + s.hiddenSuppressed) + ' suppressed by cooldown');
    return fig;
  }

  function render(details) {
    if (details.dataset.rendered) return;
    details.dataset.rendered = '1';
    var i = Number(details.dataset.run);
    var run = DATA.runs[i];
    var box = details.querySelector('.charts');
    box.textContent = '';
    if (!run || run.series.length === 0) { tag('p', 'empty', 'No metric of this run is watched by an automation.', box); return; }
    run.series.forEach(function (s, si) { box.appendChild(chart(s, i, si)); });
  }
  document.addEventListener('toggle', function (e) {
    var d = e.target;
    if (d && d.classList && d.classList.contains('run') && d.open) render(d);
  }, true);

  var runs = Array.prototype.slice.call(document.querySelectorAll('details.run'));
  var filter = document.getElementById('run-filter');
  var firedOnly = document.getElementById('fired-only');
  var shown = document.getElementById('runs-shown');
  function applyFilter() {
    var q = filter.value.trim().toLowerCase();
    var n = 0;
    runs.forEach(function (d) {
      var ok = (!q || d.dataset.search.indexOf(q) >= 0) && (!firedOnly.checked || Number(d.dataset.fired) > 0);
      d.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = n + ' of ' + runs.length + ' shown';
  }
  if (filter) { filter.addEventListener('input', applyFilter); firedOnly.addEventListener('change', applyFilter); applyFilter(); }
  var openFired = document.getElementById('open-fired');
  if (openFired) openFired.addEventListener('click', function () {
    runs.filter(function (d) { return !d.hidden && Number(d.dataset.fired) > 0; }).slice(0, 10)
      .forEach(function (d) { d.open = true; render(d); });
  });

  function sortKey(row, col, numeric) {
    var cell = row.cells[col];
    var v = cell.hasAttribute('data-v') ? cell.getAttribute('data-v') : cell.textContent;
    if (!numeric) return v.toLowerCase();
    var n = parseFloat(v);
    return isNaN(n) ? -Infinity : n;
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var body = table.tBodies[0];
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      th.tabIndex = 0;
      var sort = function () {
        var up = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
        var numeric = th.classList.contains('num') || th.dataset.type === 'num';
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = sortKey(a, col, numeric), y = sortKey(b, col, numeric);
          return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1);
        });
        var frag = document.createDocumentFragment();
        rows.forEach(function (r) { frag.appendChild(r); });
        body.appendChild(frag);
      };
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); } });
    });
  });

  function openHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id.indexOf('run-') !== 0) return;
    var d = document.getElementById(id);
    if (!d) return;
    d.hidden = false;
    d.open = true;
    render(d);
    d.scrollIntoView();
  }
  window.addEventListener('hashchange', openHash);
  openHash();
  document.body.setAttribute('data-ready', 'true');
})();
`;
