import { CHART_SCRIPT } from './chart-script.js';

/**
 * The report's script, inlined: charts are drawn (inline SVG) only when a run is opened, so a report of
 * 1,000 runs opens as fast as one of ten; they are redrawn when the window's width changes; tables sort on a
 * header click. Every name is set with `textContent` or `setAttribute`, never parsed as HTML.
 */
export const REPORT_SCRIPT = `
(function () {
  'use strict';
  var DATA = JSON.parse(document.getElementById('report-data').textContent);
  var NS = 'http://www.w3.org/2000/svg';

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
${CHART_SCRIPT}
  function render(details) {
    if (details.dataset.rendered) return;
    details.dataset.rendered = '1';
    var i = Number(details.dataset.run);
    var run = DATA.runs[i];
    var box = details.querySelector('.charts');
    box.textContent = '';
    if (!run || run.series.length === 0) { tag('p', 'empty', 'No metric of this run is watched by an automation.', box); return; }
    run.series.forEach(function (s, si) {
      var fig = chart(s, i, si);
      box.appendChild(fig);
      // Drawn once in the page, at the width it has there.
      fig.draw();
      figures.push(fig);
    });
  }
  var figures = [];
  var resizing = 0;
  window.addEventListener('resize', function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { figures.forEach(function (f) { f.resized(); }); }, 150);
  });
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
