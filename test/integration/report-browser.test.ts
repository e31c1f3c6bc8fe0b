// The replay report in a real browser: Debian's Chromium, driven by playwright-core (no browser download).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { VirtualClock } from '../../src/testing/index.js';

const CHROMIUM = '/usr/bin/chromium';
// In CI the browser is installed by .ci/run, so a missing one fails these tests instead of skipping them.
const available = existsSync(CHROMIUM) || process.env['CI'] !== undefined;
if (!available) {
  console.warn(
    `report-browser.test.ts: skipped, ${CHROMIUM} is not installed (apt-get install -y chromium; .ci/run installs it)`,
  );
}

const example = (file: string): string =>
  fileURLToPath(new URL(`../../src/cli/example/${file}`, import.meta.url));
const REPORT_AUTOMATIONS = [
  'accuracy-above-0.9',
  'loss-improving',
  'loss-not-finite',
  'loss-spike',
  'sweep-stalled',
  'run-failed',
];
const HOSTILE_RUN = '<script>alert(1)</script>';
const HOSTILE_AUTOMATION = '<img src=x onerror=alert(2)>';

async function replayTo(report: string, automations: string, events: string): Promise<void> {
  const ignore = { write: () => true };
  const code = await main(['replay', '-a', automations, '-e', events, '--report', report], {
    stdout: ignore,
    stderr: ignore,
    stdin: Readable.from([]),
    clock: new VirtualClock(Date.parse('2026-04-01T09:00:00Z')),
  });
  expect(code).toBe(0);
}

type Watch = { readonly errors: string[]; readonly requests: string[]; readonly dialogs: string[] };

function watch(page: Page): Watch {
  const w: Watch = { errors: [], requests: [], dialogs: [] };
  page.on('pageerror', (e) => w.errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') w.errors.push(m.text());
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) w.requests.push(r.url());
  });
  page.on('dialog', (d) => {
    w.dialogs.push(d.message());
    void d.dismiss();
  });
  return w;
}

describe('the replay report in headless Chromium', () => {
  let dir = '';
  let context: BrowserContext | undefined;
  const demo = (): string => join(dir, 'demo-report.html');
  const hostile = (): string => join(dir, 'hostile-report.html');
  const signs = (): string => join(dir, 'signs-report.html');

  beforeAll(async () => {
    if (!available) return;
    dir = mkdtempSync(join(tmpdir(), 'mla-browser-'));
    // The automations these tests count firings of: later additions to the demo do not move the counts.
    const counted = join(dir, 'demo-automations.json');
    const all = JSON.parse(readFileSync(example('automations.json'), 'utf8')) as { name: string }[];
    writeFileSync(counted, JSON.stringify(all.filter((a) => REPORT_AUTOMATIONS.includes(a.name))));
    await replayTo(demo(), counted, example('runs.jsonl'));
    const automations = join(dir, 'hostile-automations.json');
    writeFileSync(
      automations,
      JSON.stringify([
        {
          name: HOSTILE_AUTOMATION,
          event: {
            type: 'OnRunMetric',
            scope: 'acme',
            filter: { type: 'MetricThresholdFilter', name: 'loss', cmp: '>', threshold: 1 },
          },
          action: { type: 'DoNothing' },
        },
      ]),
    );
    const events = join(dir, 'hostile-events.jsonl');
    const row = (step: number, loss: number) =>
      JSON.stringify({
        id: `h${step}`,
        source: '/acme/vision',
        type: 'run.metrics',
        time: 1_767_225_600_000 + step * 1000,
        data: {
          entity: 'acme',
          project: 'vision',
          runId: 'h',
          runName: HOSTILE_RUN,
          step,
          metrics: { loss },
        },
      });
    writeFileSync(events, `${[row(0, 0.5), row(1, 2), row(2, 3)].join('\n')}\n`);
    await replayTo(hostile(), automations, events);
    // Values at and below 0, which a log scale cannot draw: one run with some, one with nothing else.
    const signAutomations = join(dir, 'signs-automations.json');
    writeFileSync(
      signAutomations,
      JSON.stringify([
        {
          name: 'm-high',
          event: {
            type: 'OnRunMetric',
            scope: 'acme',
            filter: { type: 'MetricThresholdFilter', name: 'm', cmp: '>', threshold: 50 },
          },
          action: { type: 'DoNothing' },
        },
      ]),
    );
    const signEvents = join(dir, 'signs-events.jsonl');
    const signRow = (runId: string, step: number, m: number) =>
      JSON.stringify({
        id: `${runId}-${step}`,
        source: '/acme/p',
        type: 'run.metrics',
        time: 1_767_225_600_000 + step * 1000,
        data: { entity: 'acme', project: 'p', runId, step, metrics: { m } },
      });
    writeFileSync(
      signEvents,
      `${[
        ...[-2, 0, 0.5, 3, 100, 20].map((m, i) => signRow('mixed', i, m)),
        ...[-1, -2, -3].map((m, i) => signRow('negative', i, m)),
      ].join('\n')}\n`,
    );
    await replayTo(signs(), signAutomations, signEvents);
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  async function open(file: string): Promise<{ page: Page; w: Watch }> {
    if (context === undefined) throw new Error('no browser');
    const page = await context.newPage();
    const w = watch(page);
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-ready="true"]');
    return { page, w };
  }

  it.skipIf(!available)(
    'draws no chart until a run is opened, then its charts, with lines and marks',
    async () => {
      const { page, w } = await open(demo());
      expect(await page.locator('details.run').count()).toBe(5);
      expect(await page.locator('svg.plot').count()).toBe(0);

      // sweep-17: the stalled sweep, whose firings and suppressed matches the assertions below count.
      const first = page.locator('details.run', { hasText: 'sweep-17' });
      await first.locator('summary').click();
      const charts = first.locator('svg.plot');
      await expect.poll(() => charts.count()).toBe(2);
      const area = await first.locator('.charts').evaluate((e) => e.clientWidth);
      for (const chart of await charts.all()) {
        const box = await chart.boundingBox();
        // The charts use the page's width, less the card's padding.
        expect(box?.width).toBeGreaterThan(area - 40);
        expect(box?.width).toBeGreaterThan(1100);
        expect(box?.height).toBeGreaterThan(100);
        const values = await chart.locator('path.values').getAttribute('d');
        expect(values?.length).toBeGreaterThan(500);
        expect(await chart.locator('path.agg').count()).toBeGreaterThan(0);
        expect(await chart.locator('.threshold, .bound').count()).toBeGreaterThan(0);
      }
      // sweep-17: three `sweep-stalled` firings, and 148 suppressed matches, which
      // are drawn as one shaded band after each firing, not 148 marks.
      expect(await first.locator('.name').textContent()).toBe('sweep-17');
      expect(await first.locator('svg.plot .mark.fired').count()).toBe(3);
      expect(await first.locator('svg.plot .mark.suppressed').count()).toBe(0);
      const bands = await first.locator('svg.plot .band.suppressed title').allTextContents();
      expect(bands).toHaveLength(3);
      const matches = bands.map((b) => {
        expect(b).toMatch(/^suppressed by cooldown: sweep-stalled\n\d+ matches, steps \d+–\d+\n2026-03-01T/);
        return Number(/\n(\d+) matches/.exec(b)?.[1]);
      });
      expect(matches.reduce((a, b) => a + b)).toBe(148);
      expect(await first.locator('.legend').first().textContent()).toContain(
        '148 suppressed by cooldown (shaded)',
      );
      const title = await first.locator('svg.plot .mark.fired title').first().textContent();
      expect(title).toMatch(/^fired: sweep-stalled\nstep \d+ · 2026-03-01T/);
      // Every mark lies inside its chart.
      const inside = await first
        .locator('svg.plot')
        .first()
        .evaluate((svg) => {
          const frame = svg.getBoundingClientRect();
          return [...svg.querySelectorAll('.mark')].every((m) => {
            const r = m.getBoundingClientRect();
            return (
              r.width > 0 &&
              r.left >= frame.left &&
              r.right <= frame.right &&
              r.top >= frame.top &&
              r.bottom <= frame.bottom
            );
          });
        });
      expect(inside).toBe(true);
      expect(w.errors).toEqual([]);
      expect(w.requests).toEqual([]);
      await page.close();
    },
  );

  it.skipIf(!available)('a NaN value is marked, and every run can be drawn', async () => {
    const { page, w } = await open(demo());
    await page.locator('#open-fired').click();
    await expect.poll(() => page.locator('svg.plot').count()).toBe(8);
    const vit = page.locator('details.run', { hasText: 'vit-b16-lr3e-3' });
    expect(await vit.locator('path.mark.fired').count()).toBe(1);
    expect(await vit.locator('path.mark.fired title').textContent()).toMatch(/^fired: loss-not-finite/);
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it.skipIf(!available)('sorts the firings table by a header click, both ways', async () => {
    const { page, w } = await open(demo());
    const values = () =>
      page
        .locator('#firing-table tbody tr td:nth-child(5)')
        .evaluateAll((cells) => cells.map((c) => Number.parseFloat(c.getAttribute('data-v') ?? '')));
    const header = page.locator('#firing-table th', { hasText: 'value' });
    await header.click();
    const up = await values();
    expect(up).toHaveLength(11);
    const finite = up.filter((v) => !Number.isNaN(v));
    expect(finite).toEqual([...finite].sort((a, b) => a - b));
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    await header.click();
    const down = (await values()).filter((v) => !Number.isNaN(v));
    expect(down).toEqual([...finite].reverse());
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it.skipIf(!available)('filters runs, and a firing links to its run, opened and drawn', async () => {
    const { page, w } = await open(demo());
    await page.locator('#run-filter').fill('sweep');
    await expect.poll(() => page.locator('details.run:not([hidden])').count()).toBe(2);
    await page.locator('#run-filter').fill('');
    await page.locator('#firing-table a', { hasText: 'vit-b16-lr3e-3' }).first().click();
    const run = page.locator('details.run[open]');
    await expect.poll(() => run.count()).toBe(1);
    expect(await run.locator('.name').textContent()).toBe('vit-b16-lr3e-3');
    expect(await run.locator('svg.plot').count()).toBe(2);
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it.skipIf(!available)('lists a run state firing in its run card', async () => {
    const { page, w } = await open(demo());
    const vit = page.locator('details.run', { hasText: 'vit-b16-lr3e-3' });
    await vit.locator('summary').click();
    const listed = vit.locator('ul.run-firings li');
    await expect.poll(() => listed.count()).toBe(1);
    expect(await listed.textContent()).toBe('2026-03-01T11:23:15Z run-failed fired: running → failed');
    expect(await listed.isVisible()).toBe(true);
    // The runs without a state firing list none.
    expect(await page.locator('details.run', { hasText: 'sweep-17' }).locator('ul.run-firings').count()).toBe(
      0,
    );
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it.skipIf(!available)('a log scale toggle redraws a chart on a log y axis, and back', async () => {
    const { page, w } = await open(demo());
    const vit = page.locator('details.run', { hasText: 'vit-b16-lr3e-3' });
    await vit.locator('summary').click();
    const loss = vit.locator('figure.chart').first();
    const plot = loss.locator('svg.plot');
    const ticks = () => plot.locator('text.axis').allTextContents();
    await expect.poll(() => plot.getAttribute('data-scale')).toBe('linear');
    const linearPath = await plot.locator('path.values').getAttribute('d');
    await loss.locator('.log-toggle input').check();
    await expect.poll(() => plot.getAttribute('data-scale')).toBe('log');
    // Decades (and 2s and 5s between them) on the y axis, and the same values drawn differently.
    expect(await ticks()).toEqual(expect.arrayContaining(['1', '2', '5', '10', '20', '50']));
    expect(await plot.locator('path.values').getAttribute('d')).not.toBe(linearPath);
    expect(await plot.locator('.mark.fired').count()).toBe(2);
    await loss.locator('.log-toggle input').uncheck();
    await expect.poll(() => plot.getAttribute('data-scale')).toBe('linear');
    expect(await plot.locator('path.values').getAttribute('d')).toBe(linearPath);
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it.skipIf(!available)('on a log scale, values at or below 0 are left out and said to be', async () => {
    const { page, w } = await open(signs());
    const mixed = page.locator('details.run', { hasText: 'mixed' });
    await mixed.locator('summary').click();
    await mixed.locator('.log-toggle input').check();
    const plot = mixed.locator('svg.plot');
    await expect.poll(() => plot.getAttribute('data-scale')).toBe('log');
    expect(await mixed.locator('figcaption').textContent()).toContain(
      '2 values ≤ 0 not drawn on the log scale',
    );
    const d = (await plot.locator('path.values').getAttribute('d')) ?? '';
    // Four positive values, one line, no NaN coordinates.
    expect(d.match(/[ML]/g)).toHaveLength(4);
    expect(d).not.toContain('NaN');
    const negative = page.locator('details.run', { hasText: 'negative' });
    await negative.locator('summary').click();
    expect(await negative.locator('.log-toggle input').isDisabled()).toBe(true);
    expect(await negative.locator('.log-toggle').getAttribute('title')).toBe(
      'No value above 0 to draw on a log scale',
    );
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it.skipIf(!available)('redraws its charts at the new width when the window is resized', async () => {
    const { page, w } = await open(demo());
    const first = page.locator('details.run').first();
    await first.locator('summary').click();
    const chart = first.locator('svg.plot').first();
    const before = Number(await chart.getAttribute('width'));
    await page.setViewportSize({ width: 1700, height: 900 });
    await expect.poll(async () => Number(await chart.getAttribute('width'))).toBeGreaterThan(before + 200);
    await page.setViewportSize({ width: 800, height: 900 });
    await expect.poll(async () => Number(await chart.getAttribute('width'))).toBeLessThan(800);
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it.skipIf(!available)('shows hostile names as text and runs none of them', async () => {
    const { page, w } = await open(hostile());
    expect(await page.locator('details.run .name').textContent()).toBe(HOSTILE_RUN);
    expect(await page.locator('#automation-table td.nowrap').first().textContent()).toBe(HOSTILE_AUTOMATION);
    await page.locator('details.run summary').click();
    await expect.poll(() => page.locator('svg.plot').count()).toBe(1);
    expect(await page.locator('.legend').textContent()).toContain(HOSTILE_AUTOMATION);
    expect(await page.locator('svg.plot .mark.fired title').textContent()).toContain(HOSTILE_AUTOMATION);
    expect(await page.locator('script').count()).toBe(2);
    expect(await page.locator('img').count()).toBe(0);
    expect(w.dialogs).toEqual([]);
    expect(w.errors).toEqual([]);
    expect(w.requests).toEqual([]);
    await page.close();
  });
});
