import { specKey } from './aggregate.js';
import { loadNumbers, saveNumbers } from './aggregate-numbers.js';
import type { SeriesArena } from './arena.js';
import type { SeriesLayout, WindowReader } from './layout.js';
import { MetricSeries } from './metric-series.js';
import type { SeriesState } from './series-state.js';

/**
 * The series `series` shows, as a snapshot holds it. `idOf` names a binding's automation, or undefined for a
 * reader since replaced: those are not kept.
 */
export function saveSeries<W extends WindowReader>(
  series: MetricSeries<W>,
  idOf: (watcher: W) => string | undefined,
): SeriesState {
  const { layout, data, base } = series;
  const n = series.count;
  const bindings: SeriesState['bindings'][number][] = [];
  for (const b of layout.bindings) {
    const automationId = idOf(b.watcher);
    if (automationId === undefined) continue;
    bindings.push({
      automationId,
      firstIndex: series.firstIndex(b.first),
      aggregates: b.aggregates.map((a) => a.key),
    });
  }
  return {
    lastStep: series.lastStep,
    ring: {
      capacity: layout.capacity,
      count: n,
      values: series.slice(Math.max(0, n - layout.capacity), n - 1),
    },
    aggregates: layout.aggregates.map((a) => ({
      ...a.spec,
      start: data[base + a.offset] as number,
      numbers: saveNumbers(data, base + a.offset, a),
    })),
    bindings,
  };
}

/**
 * A saved series, laid out for the readers installed now (`idOf` names their automations). Saved aggregates
 * and first indices carry over as `migrate` would carry them; readers new since the save start at the next value.
 */
export function loadSeries<W extends WindowReader>(
  saved: SeriesState,
  arena: SeriesArena,
  layout: SeriesLayout<W>,
  idOf: (watcher: W) => string | undefined,
): MetricSeries<W> {
  const series = new MetricSeries(arena, layout);
  const buf = series.data;
  const base = series.base;
  const { count, values } = saved.ring;
  const keep = Math.min(values.length, layout.capacity);
  for (let k = values.length - keep; k < values.length; k++) {
    buf[base + layout.ring + ((count - values.length + k) % layout.capacity)] = values[k] as number;
  }
  series.count = count;
  series.last = count === 0 ? layout.capacity - 1 : (count - 1) % layout.capacity;
  series.lastStep = saved.lastStep;
  const aggregates = new Map(saved.aggregates.map((s) => [specKey(s), s]));
  for (const a of layout.aggregates) {
    const s = aggregates.get(a.key);
    if (s === undefined) {
      buf[base + a.offset] = count;
      continue;
    }
    buf[base + a.offset] = s.start;
    loadNumbers(buf, base + a.offset, a, s.numbers);
  }
  for (const b of layout.bindings) {
    const id = idOf(b.watcher);
    const s = saved.bindings.find((x) => x.automationId === id);
    buf[base + b.first] = s?.aggregates.every((key) => aggregates.has(key)) ? s.firstIndex : count;
  }
  return series;
}
