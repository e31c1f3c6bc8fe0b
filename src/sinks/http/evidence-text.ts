import type { Evidence } from '../../filters/evidence.js';

/** A number for people: twelve significant digits, so 0.07 × 100 reads 7, not 7.000000000000001. */
export function formatNumber(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(12))) : String(x);
}

/** The filter kind, read from which evidence fields are present (evidence carries no tag). */
export type EvidenceKind = 'zscore' | 'change' | 'threshold' | 'non-finite';

export function evidenceKind(e: Evidence): EvidenceKind {
  if (e.zscore !== undefined) return 'zscore';
  if (e.change !== undefined) return 'change';
  if (e.cmp !== undefined) return 'threshold';
  return 'non-finite';
}

function changeAmount(e: Evidence): string {
  const amount = e.amount ?? Number.NaN;
  return e.changeType === 'relative' ? `${formatNumber(amount * 100)}%` : formatNumber(amount);
}

/**
 * The filter that fired, in one short line: `mean(5) accuracy > 0.6`, `mean(10) loss decrease >= 25% vs
 * prior 50`, `|zscore(30) loss| >= 3`, `loss is not finite`.
 */
export function metricFilterText(e: Evidence): string {
  const n = e.values.length;
  switch (evidenceKind(e)) {
    case 'threshold': {
      const subject = e.agg === undefined ? e.metric : `${e.agg}(${n}) ${e.metric}`;
      return `${subject} ${e.cmp} ${formatNumber(e.threshold ?? Number.NaN)}`;
    }
    case 'change': {
      const verb = e.direction === 'increase' || e.direction === 'decrease' ? e.direction : 'change';
      const prior = e.prior?.values.length ?? 0;
      // A plateau fires on a change below the amount.
      const bound = e.direction === 'flat' ? `< ${changeAmount(e)}` : `>= ${changeAmount(e)}`;
      return `${e.agg ?? 'mean'}(${n}) ${e.metric} ${verb} ${bound} vs prior ${prior}`;
    }
    case 'zscore': {
      const z = `zscore(${n}) ${e.metric}`;
      const t = formatNumber(e.threshold ?? Number.NaN);
      if (e.direction === 'increase') return `${z} >= ${t}`;
      if (e.direction === 'decrease') return `${z} <= -${t}`;
      return `|${z}| >= ${t}`;
    }
    case 'non-finite':
      return `${e.metric} is not finite`;
  }
}

/** The measured change: `-31.2%` (relative) or `-0.4` (absolute). */
export function changeText(e: Evidence): string {
  const d = e.change ?? Number.NaN;
  const sign = d > 0 ? '+' : '';
  return e.changeType === 'relative' ? `${sign}${formatNumber(d * 100)}%` : `${sign}${formatNumber(d)}`;
}

/** The last `max` values, oldest first, with a leading `…` when some were left out. */
export function lastValues(values: readonly number[], max: number): string {
  const shown = values.slice(Math.max(values.length - max, 0)).map(formatNumber);
  return `${values.length > max ? '…, ' : ''}${shown.join(', ')}`;
}
