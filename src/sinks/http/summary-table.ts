import type { FiringSummary } from '../../core/firing.js';
import { formatNumber } from './evidence-text.js';

/** A schedule's summary as table cells: a header row, then one row per run listed (most recent first). */
export function summaryTable(summary: FiringSummary): string[][] {
  const header = ['run', 'name', 'user', 'state', ...summary.metrics.map((m) => `${m} last (min–max)`)];
  const rows = summary.runs.map((r) => [
    `${r.entity}/${r.project}/${r.runId}`,
    r.runName ?? '',
    r.user ?? '',
    r.state ?? '',
    ...summary.metrics.map((m) => {
      const v = r.metrics[m];
      return v === undefined ? '' : `${formatNumber(v.last)} (${formatNumber(v.min)}–${formatNumber(v.max)})`;
    }),
  ]);
  return [header, ...rows];
}

/** `${summary}`: the table as plain text, columns padded, and a line for runs left out past 1,000. */
export function summaryText(summary: FiringSummary): string {
  const table = summaryTable(summary);
  const widths = (table[0] ?? []).map((_, c) => Math.max(...table.map((row) => (row[c] ?? '').length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, c) => cell.padEnd(widths[c] ?? 0))
      .join('  ')
      .trimEnd();
  const [header = [], ...rows] = table;
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  const left = summary.total - summary.runs.length;
  if (left > 0) out.push(`… and ${left} more runs`);
  return out.join('\n');
}
