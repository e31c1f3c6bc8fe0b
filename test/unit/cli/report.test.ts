import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeHtml, scriptJson } from '../../../src/cli/report/escape-html.js';
import type { SeriesData } from '../../../src/cli/report/series.js';
import {
  AUTOMATIONS,
  cli,
  EVENTS,
  metrics,
  SEC,
  state,
  T0,
  tempDir,
  writeJson,
  writeLines,
} from './cli-fixture.js';

const iso = (sec: number): string => new Date(T0 + sec * SEC).toISOString().replace('.000Z', 'Z');

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

type ClientData = {
  automations: { name: string; color: string; aggregate: string }[];
  runs: { series: SeriesData[] }[];
};

async function report(automations: unknown, events: readonly (string | object)[]): Promise<string> {
  const a = writeJson(t.path('automations.json'), automations);
  const e = writeLines(t.path('events.jsonl'), events);
  const out = t.path('report.html');
  const run = await cli(['replay', '-a', a, '-e', e, '--report', out]);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`report       ${out}`);
  return readFileSync(out, 'utf8');
}

function clientData(html: string): ClientData {
  const match = html.match(/<script type="application\/json" id="report-data">(.*?)<\/script>/s);
  expect(match).not.toBeNull();
  return JSON.parse(match?.[1] ?? 'null') as ClientData;
}

const HOSTILE_RUN = '<script>alert(1)</script>';
const HOSTILE_AUTOMATION = '<img src=x onerror="alert(2)">';
const HOSTILE_USER = `"quoted' & <b>bold</b>`;

describe('escaping: every name in the report comes from user input', () => {
  it('escapeHtml covers text and attribute values', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('scriptJson cannot close its script element, and reads back unchanged', () => {
    const value = { name: '</script><script>alert(1)</script>', comment: '<!-- x -->' };
    const text = scriptJson(value);
    expect(text).not.toContain('<');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('a hostile run name, automation name and user appear only escaped', async () => {
    const automations = [{ ...AUTOMATIONS[0], name: HOSTILE_AUTOMATION }];
    const html = await report(automations, [
      metrics('r1', 0, 0, { loss: 2 }, { runName: HOSTILE_RUN, user: HOSTILE_USER }),
      metrics('r1', 10, 1, { loss: 3 }, { runName: HOSTILE_RUN, user: HOSTILE_USER }),
    ]);
    expect(html).not.toContain(HOSTILE_RUN);
    expect(html).not.toContain(HOSTILE_AUTOMATION);
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;');
    expect(html).toContain('&quot;quoted&#39; &amp; &lt;b&gt;bold&lt;/b&gt;');
    // Exactly two script elements: the data and the code; the hostile names stay inside the JSON as data.
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(clientData(html).automations[0]?.name).toBe(HOSTILE_AUTOMATION);
  });
});

describe('the report file', () => {
  it('is self-contained: no network, no CDN, and a policy that forbids both', async () => {
    const html = await report(AUTOMATIONS, EVENTS);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
    expect(html).not.toMatch(/<link|<img|<iframe|@import|\burl\((?!#)|\bsrc=/i);
    // The only URL is the SVG namespace, a name that is never fetched.
    expect(html.match(/https?:\/\/[^\s'"<]+/g)).toEqual(['http://www.w3.org/2000/svg']);
  });

  it('summarises automations and runs in HTML, and draws no chart until a run is opened', async () => {
    const html = await report(AUTOMATIONS, EVENTS);
    expect(html).toContain('<table class="sortable" id="automation-table">');
    expect(html).toContain('<table class="sortable" id="firing-table">');
    expect(html.match(/<details class="run"/g)).toHaveLength(2);
    expect(html).not.toContain('<svg');
    // Runs with the most firings first: alpha fired twice, beta once (plus its run-failed firing).
    expect(html.indexOf('id="run-0"')).toBeLessThan(html.indexOf('id="run-1"'));
    expect(html.match(/<tbody>[\s\S]*?<\/tbody>/g)?.[1]?.match(/<tr>/g)).toHaveLength(4);
  });

  it('holds each watched series: values, the aggregate and threshold, marks at firings, bands of suppressed matches', async () => {
    const data = clientData(await report(AUTOMATIONS, EVENTS));
    expect(data.automations.map((a) => a.name)).toEqual(['loss-high', 'run-failed']);
    const all = data.runs.flatMap((r) => r.series);
    expect(all.map((s) => s.metric)).toEqual(['loss', 'loss']);
    const alpha = data.runs[0]?.series[0] as SeriesData;
    expect(alpha.x).toEqual([0, 1, 2, 3, 4, 5]);
    expect(alpha.y).toEqual([0.5, 1.5, 1.6, 1.7, 0.9, 1.2]);
    expect(alpha.overlays).toEqual([{ a: 0, agg: [0.5, 1.5, 1.6, 1.7, 0.9, 1.2], th: 1 }]);
    // Firings: [x, value, automation, time, aggregate].
    expect(alpha.marks.map((m) => [m[0], m[1], m[2]])).toEqual([
      [1, 1.5, 0],
      [5, 1.2, 0],
    ]);
    // The two suppressed matches in a row are one band: [from x, to x, automation, matches, from time, to time].
    expect(alpha.bands).toEqual([[2, 3, 0, 2, T0 + 30 * SEC, T0 + 45 * SEC]]);
  });

  it('a band of suppressed matches ends where a value does not match, or the automation fires', async () => {
    const automations = [{ ...AUTOMATIONS[0], cooldownMs: 3_600_000 }];
    const losses = [2, 2, 2, 0.5, 2, 2, 0.5, 0.5, 2];
    const data = clientData(
      await report(
        automations,
        losses.map((loss, i) => metrics('r', i, i * 10, { loss })),
      ),
    );
    const s = data.runs[0]?.series[0] as SeriesData;
    expect(s.marks.map((m) => m[0])).toEqual([0]);
    expect(s.bands.map((b) => [b[0], b[1], b[3]])).toEqual([
      [10, 20, 2],
      [40, 50, 2],
      [80, 80, 1],
    ]);
  });

  it('a run state firing is listed in its run card, with the change that fired', async () => {
    const html = await report(AUTOMATIONS, EVENTS);
    const beta = html.match(
      /<details class="run"[^>]*>\s*<summary><span class="name">beta<\/span>[\s\S]*?<\/details>/,
    )?.[0];
    expect(beta).toBeDefined();
    expect(beta).toMatch(/<ul class="run-firings">\s*<li[^>]*>.*run-failed.*failed.*<\/li>\s*<\/ul>/s);
    expect(beta).toContain(iso(100));
    const alpha = html.match(
      /<details class="run"[^>]*>\s*<summary><span class="name">alpha<\/span>[\s\S]*?<\/details>/,
    )?.[0];
    expect(alpha).not.toContain('run-firings');
  });

  it('says which points a thinned chart draws with an English ordinal: every 2nd, 4th', async () => {
    const automations = [AUTOMATIONS[0]];
    const events = Array.from({ length: 500 }, (_, i) => metrics('r', i, i, { loss: 0.5 }));
    const data = clientData(await report(automations, events));
    const s = data.runs[0]?.series[0] as SeriesData & { nth?: string };
    expect(s.stride).toBe(2);
    expect(s.nth).toBe('2nd');
  });

  it('draws window aggregates and moving bounds as the engine computes them', async () => {
    const automations = [
      {
        name: 'mean3',
        event: {
          type: 'OnRunMetric',
          scope: 'acme',
          filter: {
            type: 'MetricThresholdFilter',
            name: 'm',
            window: 3,
            agg: 'mean',
            cmp: '>',
            threshold: 10,
          },
        },
        action: { type: 'DoNothing' },
      },
      {
        name: 'drop',
        event: {
          type: 'OnRunMetric',
          scope: 'acme',
          filter: {
            type: 'MetricChangeFilter',
            name: 'm',
            agg: 'mean',
            currentWindow: 1,
            priorWindow: 2,
            changeType: 'absolute',
            direction: 'decrease',
            amount: 1,
          },
        },
        action: { type: 'DoNothing' },
      },
    ];
    const values = [2, 4, 6, 3];
    const data = clientData(
      await report(
        automations,
        values.map((m, i) => metrics('r', i, i, { m })),
      ),
    );
    const [mean, drop] = data.runs[0]?.series[0]?.overlays ?? [];
    expect(mean).toEqual({
      a: 0,
      agg: [null, null, 4, 13 / 3].map((x) => (x === null ? null : Number(x.toPrecision(6)))),
      th: 10,
    });
    // current mean(1) against the mean of the 2 before it, minus 1: (2+4)/2-1 at step 2, (4+6)/2-1 at step 3.
    expect(drop).toEqual({ a: 1, agg: [null, null, 6, 3], lo: [null, null, 2, 4] });
  });

  it('stays small and quick for 1,000 runs: summaries in HTML, series as data', async () => {
    const events: object[] = [];
    for (let r = 0; r < 1000; r++) {
      for (let step = 0; step < 5; step++)
        events.push(metrics(`run${r}`, r + step, step, { loss: step === 4 && r % 10 === 0 ? 5 : 0.5 }));
      events.push(state(`run${r}`, r + 10, r % 7 === 0 ? 'failed' : 'finished'));
    }
    const html = await report(AUTOMATIONS, events);
    expect(html.match(/<details class="run"/g)).toHaveLength(1000);
    expect(html).not.toContain('<svg');
    expect(html.length).toBeLessThan(3_000_000);
    expect(clientData(html).runs).toHaveLength(1000);
  });

  it('a run filter keeps an automation off the runs it does not apply to', async () => {
    const automations = [
      {
        name: 'sweeps-only',
        event: {
          type: 'OnRunMetric',
          scope: 'acme',
          filter: { type: 'MetricThresholdFilter', name: 'loss', cmp: '>', threshold: 1 },
          runFilter: { runName: '^sweep-' },
        },
        action: { type: 'DoNothing' },
      },
      AUTOMATIONS[0],
    ];
    const data = clientData(
      await report(automations, [
        metrics('a', 0, 0, { loss: 2 }, { runName: 'sweep-1' }),
        metrics('b', 1, 0, { loss: 2 }, { runName: 'baseline' }),
      ]),
    );
    const overlaysOf = (i: number) =>
      data.runs[i]?.series[0]?.overlays.map((o) => data.automations[o.a]?.name);
    expect(overlaysOf(0)).toEqual(['sweeps-only', 'loss-high']);
    expect(overlaysOf(1)).toEqual(['loss-high']);
  });
});
