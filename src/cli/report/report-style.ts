/** The report's stylesheet, inlined: the file must render with no network. */
export const REPORT_STYLE = `
:root { --fg: #1f2328; --muted: #636c76; --line: #d8dee4; --bg: #ffffff; --soft: #f6f8fa; --accent: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
header, main { max-width: 1600px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 22px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h2 small { color: var(--muted); font-weight: normal; }
.meta { color: var(--muted); margin: 0 0 12px; }
.meta code { color: var(--fg); }
nav { display: flex; gap: 16px; margin: 6px 0 0; }
nav a { color: var(--accent); text-decoration: none; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 14px 0 4px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 120px; background: var(--soft); }
.card b { display: block; font-size: 20px; }
.card span { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
.table-wrap { overflow-x: auto; }
td.nowrap { white-space: nowrap; }
td.watch { min-width: 13em; }
td.time { white-space: nowrap; font-variant-numeric: tabular-nums; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th::after { content: " \\2195"; color: #b0b8c1; font-size: 11px; }
table.sortable th[aria-sort="ascending"]::after { content: " \\2191"; color: var(--fg); }
table.sortable th[aria-sort="descending"]::after { content: " \\2193"; color: var(--fg); }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; vertical-align: -1px; }
.muted { color: var(--muted); }
.controls { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 0 0 10px; }
.controls input[type="search"] { padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; min-width: 260px; font: inherit; }
.controls button { font: inherit; padding: 4px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--soft); cursor: pointer; }
details.run { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 6px; background: var(--bg); }
details.run[open] { box-shadow: 0 1px 4px rgba(0,0,0,0.06); }
details.run > summary { cursor: pointer; padding: 7px 12px; display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: baseline; list-style-position: inside; }
details.run > summary .name { font-weight: 600; }
details.run > summary .counts { margin-left: auto; color: var(--muted); font-variant-numeric: tabular-nums; }
details.run > summary .fired { color: #cf222e; font-weight: 600; }
.state { font-size: 12px; padding: 0 7px; border-radius: 10px; background: var(--soft); border: 1px solid var(--line); }
.state.failed, .state.crashed { background: #ffebe9; border-color: #ffcecb; color: #a40e26; }
.state.finished { background: #dafbe1; border-color: #aceebb; color: #116329; }
.state.running { background: #ddf4ff; border-color: #b6e3ff; color: #0550ae; }
.charts { padding: 4px 12px 12px; }
ul.run-firings { list-style: none; margin: 6px 12px 0; padding: 6px 0 0; border-top: 1px solid var(--line); font-size: 13px; }
ul.run-firings li { padding: 2px 0; }
ul.run-firings .time { font-variant-numeric: tabular-nums; color: var(--muted); margin-right: 4px; }
figure.chart { margin: 10px 0 16px; }
figure.chart figcaption { font-weight: 600; margin: 0 0 2px; }
figure.chart figcaption span { font-weight: normal; color: var(--muted); margin-left: 8px; }
figure.chart .log-toggle { font-weight: normal; color: var(--muted); font-size: 12px; margin-left: 14px; cursor: pointer; }
svg.plot { max-width: 100%; height: auto; display: block; background: #fff; }
svg.plot .grid { stroke: #eef1f4; stroke-width: 1; }
svg.plot .axis { fill: var(--muted); font-size: 10.5px; }
svg.plot .values { fill: none; stroke: #57606a; stroke-width: 1.4; }
svg.plot .agg { fill: none; stroke-width: 1.6; stroke-dasharray: 6 3; }
svg.plot .threshold { stroke-width: 1.2; stroke-dasharray: 2 3; }
svg.plot .bound { fill: none; stroke-width: 1.1; stroke-dasharray: 2 3; opacity: 0.85; }
svg.plot .mark.fired { stroke: #1f2328; stroke-width: 1.2; }
svg.plot .band-fill { opacity: 0.1; }
svg.plot .band-foot { opacity: 0.55; }
svg.plot .band { cursor: help; }
svg.plot .fire-line { stroke-width: 1.2; stroke-dasharray: 3 3; opacity: 0.7; }
svg.plot .mark { cursor: help; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 12px; color: var(--muted); margin-top: 2px; }
.legend i { display: inline-block; width: 18px; height: 0; border-top: 2px solid #57606a; vertical-align: 3px; margin-right: 5px; }
.legend i.dash { border-top-style: dashed; }
.legend i.dot { border-top-style: dotted; }
.legend i.disc { width: 9px; height: 9px; border: none; border-radius: 50%; vertical-align: -1px; }
.legend i.band { width: 14px; height: 9px; border: none; background: rgba(87, 96, 106, 0.3); vertical-align: -1px; }
.empty { color: var(--muted); font-style: italic; padding: 6px 0; }
footer { max-width: 1600px; margin: 30px auto; padding: 0 20px; color: var(--muted); font-size: 12px; }
`;
