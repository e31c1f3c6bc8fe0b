/**
 * The report's chart drawing, inlined into the page's script (report-script.ts), which it shares a scope with:
 * `chart(series, run, index)` makes a figure that draws itself as inline SVG at its own width, on a linear or
 * log y axis. It reads DATA (the automations' names and colours) and the helpers `svg` and `tag`.
 */
export const CHART_SCRIPT = String.raw`
  var H = 240, M = { l: 58, r: 16, t: 12, b: 32 };

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
  // Powers of ten between lo and hi (> 0); with 1-2-5 steps when they are too few, plain steps within a decade.
  function logTicks(lo, hi) {
    var a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi)), out = [], k;
    for (k = a; k <= b; k++) if (Math.pow(10, k) >= lo && Math.pow(10, k) <= hi) out.push(Math.pow(10, k));
    if (out.length >= 3) return out.length > 10 ? out.filter(function (_, i) { return i % Math.ceil(out.length / 10) === 0; }) : out;
    out = [];
    for (k = a; k <= b; k++) [1, 2, 5].forEach(function (m) { var v = Number((m * Math.pow(10, k)).toPrecision(12)); if (v >= lo && v <= hi) out.push(v); });
    return out.length >= 3 ? out : niceTicks(lo, hi, 4).filter(function (v) { return v > 0; });
  }
  function linePath(xs, ys, sx, sy) {
    var d = '', pen = false;
    for (var i = 0; i < xs.length; i++) {
      var y = ys[i] === null || ys[i] === undefined ? NaN : sy(ys[i]);
      if (!isFinite(y)) { pen = false; continue; }
      d += (pen ? 'L' : 'M') + sx(xs[i]).toFixed(1) + ' ' + y.toFixed(1);
      pen = true;
    }
    return d;
  }
  function positive(v) { return v !== null && v !== undefined && isFinite(v) && v > 0; }

  // The y range, on the scale's own terms (log10 of the values on a log scale, where values <= 0 have no place).
  function yRange(s, t) {
    var lo = Infinity, hi = -Infinity;
    function see(v) { var u = v === null || v === undefined ? NaN : t(v); if (isFinite(u)) { if (u < lo) lo = u; if (u > hi) hi = u; } }
    s.y.forEach(see);
    s.overlays.forEach(function (o) { o.agg.forEach(see); if (o.th !== undefined) see(o.th); });
    s.marks.forEach(function (m) { see(m[1]); });
    if (!isFinite(lo)) { lo = 0; hi = 1; }
    // Bounds widen the range by at most its own height, so a far-off bound cannot flatten the values.
    var span0 = hi - lo || Math.abs(hi) || 1, lo0 = lo - span0, hi0 = hi + span0;
    s.overlays.forEach(function (o) {
      [o.lo, o.hi].forEach(function (line) {
        if (line) line.forEach(function (v) { var u = v === null ? NaN : t(v); if (u >= lo0 && u <= hi0) see(v); });
      });
    });
    if (lo === hi) { lo -= Math.abs(lo) * 0.1 || 1; hi += Math.abs(hi) * 0.1 || 1; }
    var pad = (hi - lo) * 0.06;
    return [lo - pad, hi + pad];
  }

  function plot(s, id, log, W) {
    var t = log ? function (v) { return v > 0 ? Math.log10(v) : NaN; } : function (v) { return v; };
    var r = yRange(s, t), lo = r[0], hi = r[1];
    var x0 = Infinity, x1 = -Infinity;
    function seeX(v) { if (v < x0) x0 = v; if (v > x1) x1 = v; }
    s.x.forEach(seeX);
    s.marks.forEach(function (m) { seeX(m[0]); });
    s.bands.forEach(function (b) { seeX(b[0]); seeX(b[1]); });
    if (!isFinite(x0)) { x0 = 0; x1 = 1; }
    if (x0 === x1) { x0 -= 1; x1 += 1; }
    var sx = function (x) { return M.l + (x - x0) / (x1 - x0) * (W - M.l - M.r); };
    var sy = function (y) { return H - M.b - (t(y) - lo) / (hi - lo) * (H - M.t - M.b); };

    var root = svg('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, 'class': 'plot', role: 'img', 'data-scale': log ? 'log' : 'linear' });
    root.setAttribute('aria-label', s.metric + ': ' + s.count + ' values, ' + s.marks.length + ' firings' + (log ? ', log scale' : ''));
    var clip = svg('clipPath', { id: id }, svg('defs', {}, root));
    svg('rect', { x: M.l, y: M.t, width: W - M.l - M.r, height: H - M.t - M.b }, clip);
    var yTicks = log ? logTicks(Math.pow(10, lo), Math.pow(10, hi)) : niceTicks(lo, hi, 5);
    yTicks.forEach(function (v) {
      svg('line', { x1: M.l, x2: W - M.r, y1: sy(v), y2: sy(v), 'class': 'grid' }, root);
      svg('text', { x: M.l - 6, y: sy(v) + 3.5, 'text-anchor': 'end', 'class': 'axis' }, root).textContent = fmt(v);
    });
    niceTicks(x0, x1, Math.max(4, Math.round((W - M.l - M.r) / 90))).forEach(function (v) {
      svg('line', { x1: sx(v), x2: sx(v), y1: M.t, y2: H - M.b, 'class': 'grid' }, root);
      svg('text', { x: sx(v), y: H - M.b + 14, 'text-anchor': 'middle', 'class': 'axis' }, root).textContent = fmt(v);
    });
    svg('text', { x: W - M.r, y: H - 3, 'text-anchor': 'end', 'class': 'axis' }, root).textContent = log ? 'step · log y' : 'step';

    var g = svg('g', { 'clip-path': 'url(#' + id + ')' }, root);
    // Suppressed matches: a shaded band over each run of them, behind the lines, with a stronger strip at the foot.
    s.bands.forEach(function (b) {
      var a = DATA.automations[b[2]];
      var left = sx(b[0]) - 2, width = Math.max(4, sx(b[1]) - sx(b[0]) + 4);
      var band = svg('g', { 'class': 'band suppressed' }, g);
      svg('rect', { x: left, y: M.t, width: width, height: H - M.t - M.b, fill: a.color, 'class': 'band-fill' }, band);
      svg('rect', { x: left, y: H - M.b - 5, width: width, height: 5, fill: a.color, 'class': 'band-foot' }, band);
      svg('title', {}, band).textContent = 'suppressed by cooldown: ' + a.name + '\n' + b[3] + (b[3] === 1 ? ' match, step ' + fmt(b[0]) : ' matches, steps ' + fmt(b[0]) + '–' + fmt(b[1])) +
        '\n' + iso(b[4]) + (b[3] === 1 ? '' : ' → ' + iso(b[5]));
    });
    svg('path', { d: linePath(s.x, s.y, sx, sy), 'class': 'values' }, g);
    s.overlays.forEach(function (o) {
      var color = DATA.automations[o.a].color;
      if (o.th !== undefined && (!log || o.th > 0)) svg('line', { x1: M.l, x2: W - M.r, y1: sy(o.th), y2: sy(o.th), stroke: color, 'class': 'threshold' }, g);
      if (o.lo) svg('path', { d: linePath(s.x, o.lo, sx, sy), stroke: color, 'class': 'bound' }, g);
      if (o.hi) svg('path', { d: linePath(s.x, o.hi, sx, sy), stroke: color, 'class': 'bound' }, g);
      svg('path', { d: linePath(s.x, o.agg, sx, sy), stroke: color, 'class': 'agg' }, g);
    });
    // Each firing: a line down the chart and a disc; a NaN or ±Infinity value is a triangle at the top, and a
    // value a log scale cannot show sits on the bottom edge.
    s.marks.forEach(function (m) {
      var a = DATA.automations[m[2]];
      var x = sx(m[0]);
      svg('line', { x1: x, x2: x, y1: M.t, y2: H - M.b, stroke: a.color, 'class': 'fire-line' }, root);
      var y = m[1] === null ? M.t + 6 : log && m[1] <= 0 ? H - M.b - 4 : Math.max(M.t + 4, Math.min(H - M.b - 4, sy(m[1])));
      var shape = m[1] === null
        ? svg('path', { d: 'M' + (x - 5) + ' ' + (y - 4) + 'L' + (x + 5) + ' ' + (y - 4) + 'L' + x + ' ' + (y + 5) + 'Z' }, root)
        : svg('circle', { cx: x, cy: y, r: 5.5 }, root);
      shape.setAttribute('class', 'mark fired');
      shape.setAttribute('fill', a.color);
      svg('title', {}, shape).textContent = 'fired: ' + a.name + '\nstep ' + fmt(m[0]) + ' · ' + iso(m[3]) +
        '\nvalue ' + fmt(m[1]) + (m[4] === null ? '' : ' · aggregate ' + fmt(m[4]));
    });
    return root;
  }

  function legend(s, fig) {
    var box = tag('div', 'legend', null, fig);
    var item = function (cls, color, text) {
      var span = tag('span', null, null, box);
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
    var suppressed = s.bands.reduce(function (n, b) { return n + b[3]; }, s.hiddenSuppressed);
    item('disc', '#57606a', s.marks.length + ' fired');
    item('band', null, suppressed + ' suppressed by cooldown (shaded)');
  }

  // A figure: caption with the log toggle, the plot at the figure's width, the legend; fig.draw() redraws it.
  function chart(s, ri, si) {
    var fig = tag('figure', 'chart');
    var cap = tag('figcaption', null, s.metric, fig);
    var notes = [s.count + ' values'];
    if (s.nth) notes.push('every ' + s.nth + ' drawn');
    if (s.hiddenSuppressed > 0) notes.push(s.hiddenSuppressed + ' more suppressed matches not shaded');
    var note = tag('span', null, notes.join(' · '), cap);
    var label = tag('label', 'log-toggle', null, cap);
    var box = tag('input', null, null, label);
    box.type = 'checkbox';
    label.appendChild(document.createTextNode(' log y'));
    var nonPositive = s.y.filter(function (v) { return v !== null && v <= 0; }).length;
    if (!s.y.some(positive)) { box.disabled = true; label.title = 'No value above 0 to draw on a log scale'; }
    var current = null, width = 0;
    var widthNow = function () { return Math.max(360, Math.round(fig.clientWidth || 800)); };
    fig.draw = function () {
      var w = widthNow();
      var plotted = plot(s, 'clip-' + ri + '-' + si, box.checked, w);
      if (current) fig.replaceChild(plotted, current); else fig.insertBefore(plotted, cap.nextSibling);
      current = plotted;
      width = w;
      note.textContent = notes.concat(box.checked && nonPositive > 0 ? [nonPositive + ' values ≤ 0 not drawn on the log scale'] : []).join(' · ');
    };
    fig.resized = function () { if (Math.abs(widthNow() - width) > 2) fig.draw(); };
    box.addEventListener('change', fig.draw);
    legend(s, fig);
    return fig;
  }
`;
