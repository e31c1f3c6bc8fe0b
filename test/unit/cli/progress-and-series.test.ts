import { describe, expect, it } from 'vitest';
import { PROGRESS_MIN_BYTES, Progress, renderProgress } from '../../../src/cli/progress.js';
import { overlayPoint, RecentValues } from '../../../src/cli/report/overlay.js';
import { MAX_BANDS, MAX_POINTS, SeriesCollector } from '../../../src/cli/report/series.js';
import { MetricThresholdFilter, MetricZScoreFilter } from '../../../src/index.js';
import { VirtualClock } from '../../../src/testing/index.js';

const MB = 1024 * 1024;

describe('the progress bar', () => {
  it('shows bytes, percent, MB/s and events/s', () => {
    const line = renderProgress({ bytes: 10 * MB, total: 40 * MB, events: 50_000, elapsedMs: 2000 }, 100);
    expect(line).toMatch(/^\[#+·+\] +25% {2}10\.0\/40\.0 MB {2}5\.0 MB\/s {2}25,000 events\/s$/);
    expect(line.length).toBeLessThanOrEqual(100);
  });

  it('for a .gz file: percent of the compressed file, MB and MB/s of the unpacked text', () => {
    const line = renderProgress(
      { bytes: 10 * MB, total: 40 * MB, events: 50_000, elapsedMs: 2000, unpacked: 70 * MB },
      120,
    );
    expect(line).toMatch(
      /^\[#+·+\] +25% {2}70\.0 MB unpacked \(10\.0\/40\.0 MB gz\) {2}35\.0 MB\/s {2}25,000 events\/s$/,
    );
  });

  it('draws on a terminal for big files, at most every 100 ms, and erases itself', () => {
    const clock = new VirtualClock(0);
    const writes: string[] = [];
    const progress = new Progress(
      { write: (s: string) => writes.push(s), isTTY: true, columns: 80 },
      clock,
      20 * MB,
    );
    expect(progress.enabled).toBe(true);
    progress.update(MB, 100);
    clock.advance(50);
    progress.update(2 * MB, 200);
    clock.advance(60);
    progress.update(3 * MB, 300);
    expect(writes).toHaveLength(2);
    expect(writes[1]?.startsWith('\r\x1b[2K[')).toBe(true);
    expect(writes[1]).toContain(' 15%');
    progress.finish();
    expect(writes[2]).toBe('\r\x1b[2K');
  });

  it('is hidden when stderr is not a terminal, or the file is small, or there is no size (stdin)', () => {
    const writes: string[] = [];
    const target = (isTTY: boolean) => ({ write: (s: string) => writes.push(s), isTTY });
    const cases = [
      new Progress(target(false), new VirtualClock(0), 100 * MB),
      new Progress(target(true), new VirtualClock(0), PROGRESS_MIN_BYTES - 1),
      new Progress(target(true), new VirtualClock(0), undefined),
    ];
    for (const p of cases) {
      expect(p.enabled).toBe(false);
      p.update(MB, 10);
      p.finish();
    }
    expect(writes).toEqual([]);
  });
});

describe('report series', () => {
  it('keep at most MAX_POINTS points however long the run, always the latest', () => {
    const filter = MetricThresholdFilter({ name: 'loss', window: 5, agg: 'mean', cmp: '>', threshold: 1 });
    const s = new SeriesCollector('loss', [{ index: 0, filter }]);
    const N = 100_003;
    for (let i = 0; i < N; i++) s.push(i, i % 7);
    const data = s.build();
    expect(data.x.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(data.x.length).toBeGreaterThan(MAX_POINTS / 4);
    expect(data.count).toBe(N);
    expect(data.x.at(-1)).toBe(N - 1);
    expect(data.x[1]).toBe(data.stride);
    // The aggregate at the latest point is that of the last 5 values.
    const last5 = [N - 5, N - 4, N - 3, N - 2, N - 1].map((i) => i % 7);
    expect(data.overlays[0]?.agg.at(-1)).toBeCloseTo(last5.reduce((a, b) => a + b) / 5, 5);
  });

  it('mark firings always, and draw suppressed matches as bands, up to a limit of bands', () => {
    const filter = MetricThresholdFilter({ name: 'loss', cmp: '>', threshold: 1 });
    const s = new SeriesCollector('loss', [{ index: 0, filter }]);
    s.push(0, 2);
    s.fired(0, 0, 2, 2);
    // 126 matches in a row: one band.
    for (let i = 1; i <= 126; i++) {
      s.push(i, 2);
      s.suppressed(0, i);
    }
    // Then a miss and a match, MAX_BANDS + 10 times: a band each, until the limit; the rest are counted.
    for (let i = 127; i < 127 + 2 * (MAX_BANDS + 10); i++) {
      s.push(i, i % 2 === 1 ? 0 : 2);
      if (i % 2 === 0) s.suppressed(0, i);
    }
    const data = s.build();
    expect(data.marks).toHaveLength(1);
    expect(data.bands[0]).toEqual([1, 126, 0, 126, 1, 126]);
    expect(data.bands[1]).toEqual([128, 128, 0, 1, 128, 128]);
    expect(data.bands).toHaveLength(MAX_BANDS);
    expect(data.hiddenSuppressed).toBe(11);
  });

  it('z-score overlays: the baseline mean, and mean ± threshold·σ of the values before the latest', () => {
    const recent = new RecentValues(4);
    for (const x of [1, 2, 3, 100]) recent.push(x);
    const p = overlayPoint(MetricZScoreFilter({ name: 'x', window: 3, threshold: 2 }), recent);
    const sd = Math.sqrt(2 / 3);
    expect(p.agg).toBe(2);
    expect(p.lo).toBeCloseTo(2 - 2 * sd, 12);
    expect(p.hi).toBeCloseTo(2 + 2 * sd, 12);
  });
});
